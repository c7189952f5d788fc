import type * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import type {
  AgentEntrySchema,
  AuthConfigSchema,
  AuthProfilesConfigSchema,
  ModelEntrySchema,
  ModelRefSchema,
  ProfileMetaSchema,
} from "../../src/config/schema.js";
import type { AgentEntry, AuthConfig, AuthProfilesConfig, ModelEntry, ModelRef, ProfileMeta } from "../../src/config/types.js";
import { parseConfig } from "../../src/config.js";

describe("config schemas", () => {
  it("produce values assignable to the shared config types", () => {
    expectTypeOf<v.InferOutput<typeof AuthProfilesConfigSchema>>().toExtend<AuthProfilesConfig>();
    expectTypeOf<v.InferOutput<typeof AuthConfigSchema>>().toExtend<AuthConfig>();
    expectTypeOf<v.InferOutput<typeof ProfileMetaSchema>>().toExtend<ProfileMeta>();
    expectTypeOf<v.InferOutput<typeof ModelEntrySchema>>().toExtend<ModelEntry>();
    expectTypeOf<v.InferOutput<typeof ModelRefSchema>>().toExtend<ModelRef>();
    expectTypeOf<v.InferOutput<typeof AgentEntrySchema>>().toExtend<AgentEntry>();
  });

  it("type the validated keys precisely", () => {
    type Output = v.InferOutput<typeof AuthProfilesConfigSchema>;
    type Profiles = NonNullable<NonNullable<Output["auth"]>["profiles"]>;
    expectTypeOf<Profiles[string]["mode"]>().toEqualTypeOf<"api_key" | "token" | "oauth">();
    // params is a free record in the schema (as in OpenClaw's); the values this library cannot
    // apply are left out after validation, so the shared type is precise.
    type Models = NonNullable<NonNullable<NonNullable<AuthProfilesConfig["agents"]>["defaults"]>["models"]>;
    expectTypeOf<NonNullable<NonNullable<Models[string]["params"]>["cacheControlTtl"]>>().toEqualTypeOf<"5m" | "1h">();
    expectTypeOf<NonNullable<NonNullable<Models[string]["params"]>["cacheRetention"]>>().toEqualTypeOf<"none" | "short" | "long">();
  });

  it("makes parseConfig return the shared type", () => {
    expectTypeOf(parseConfig).returns.toEqualTypeOf<AuthProfilesConfig>();
  });
});
