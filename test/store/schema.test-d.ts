import type * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import type {
  ApiKeyProfileSchema,
  OAuthProfileSchema,
  TokenProfileSchema,
  UnknownProfileSchema,
  UsageStatsSchema,
} from "../../src/store/schema.js";
import type { ApiKeyProfile, OAuthProfile, TokenProfile, UnknownProfile, UsageStats } from "../../src/model/store.js";

describe("store schema output types", () => {
  it("produces each profile shape", () => {
    expectTypeOf<v.InferOutput<typeof ApiKeyProfileSchema>>().toExtend<ApiKeyProfile>();
    expectTypeOf<v.InferOutput<typeof TokenProfileSchema>>().toExtend<TokenProfile>();
    expectTypeOf<v.InferOutput<typeof OAuthProfileSchema>>().toExtend<OAuthProfile>();
    expectTypeOf<v.InferOutput<typeof UnknownProfileSchema>>().toExtend<UnknownProfile>();
    expectTypeOf<v.InferOutput<typeof UsageStatsSchema>>().toExtend<UsageStats>();
  });
});
