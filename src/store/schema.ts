import * as v from "valibot";
/** The only store version this library reads and writes. @internal */
export const STORE_VERSION = 1;

/**
 * A stored failure reason. A reason this version does not know (OpenClaw writes `auth_permanent`,
 * `model_not_found`, …) is kept as written: the cooldown still applies, and a rewrite keeps it.
 */
const FailureReasonSchema = v.string();

/** `type: "api_key"` entries. Unknown fields are kept. @internal */
export const ApiKeyProfileSchema = v.looseObject({
  type: v.literal("api_key"),
  provider: v.string(),
  key: v.string(),
  email: v.exactOptional(v.string()),
});

/** `type: "token"` entries (setup-token, paste-token). Unknown fields are kept. @internal */
export const TokenProfileSchema = v.looseObject({
  type: v.literal("token"),
  provider: v.string(),
  token: v.string(),
  expires: v.exactOptional(v.number()),
  email: v.exactOptional(v.string()),
});

/** `type: "oauth"` entries. Unknown fields are kept. @internal */
export const OAuthProfileSchema = v.looseObject({
  type: v.literal("oauth"),
  provider: v.string(),
  access: v.string(),
  refresh: v.string(),
  expires: v.number(),
  email: v.exactOptional(v.string()),
  clientId: v.exactOptional(v.string()),
  accountId: v.exactOptional(v.string()),
  projectId: v.exactOptional(v.string()),
  enterpriseUrl: v.exactOptional(v.string()),
});

/** An entry whose `type` this version does not know: kept as is, never selected. @internal */
export const UnknownProfileSchema = v.looseObject({
  type: v.string(),
  provider: v.exactOptional(v.string()),
});

/**
 * One entry of `profiles`. The schema is picked by `type`, so a known type with a bad shape
 * reports the exact field (`profiles["anthropic:work"].key`) rather than "no union member matched",
 * and an unknown type is kept instead of rejected.
 *
 * @internal
 */
export const ProfileEntrySchema = v.lazy((input) => {
  const type = typeof input === "object" && input !== null ? (input as { type?: unknown }).type : undefined;
  switch (type) {
    case "api_key":
      return ApiKeyProfileSchema;
    case "token":
      return TokenProfileSchema;
    case "oauth":
      return OAuthProfileSchema;
    default:
      return UnknownProfileSchema;
  }
});

/** OpenClaw's per-profile `usageStats` entry. Unknown fields are kept. @internal */
export const UsageStatsSchema = v.looseObject({
  lastUsed: v.exactOptional(v.number()),
  cooldownUntil: v.exactOptional(v.number()),
  cooldownReason: v.exactOptional(FailureReasonSchema),
  disabledUntil: v.exactOptional(v.number()),
  disabledReason: v.exactOptional(FailureReasonSchema),
  errorCount: v.exactOptional(v.number()),
  failureCounts: v.exactOptional(v.record(v.string(), v.number())),
  lastFailureAt: v.exactOptional(v.number()),
  forceRefresh: v.exactOptional(v.boolean()),
});

/** One `order[provider]` list. @internal */
export const OrderListSchema = v.array(v.string());

/** One `lastGood[provider]` value. @internal */
export const LastGoodSchema = v.string();

/**
 * The schema of one entry of each keyed top-level section. Each entry is checked on its own, so
 * one odd entry is set aside (see `KeptEntry`) instead of failing the whole store.
 *
 * @internal
 */
export const SECTION_ENTRY_SCHEMAS = {
  profiles: ProfileEntrySchema,
  order: OrderListSchema,
  lastGood: LastGoodSchema,
  usageStats: UsageStatsSchema,
} as const;

/** The keyed top-level sections of a store document. @internal */
export type StoreSectionName = keyof typeof SECTION_ENTRY_SCHEMAS;
