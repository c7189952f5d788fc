import * as v from "valibot";
import { lazySchema, once } from "../model/lazy-schema.js";
/** The only store version this library reads and writes. @internal */
export const STORE_VERSION = 1;

/**
 * The profile schemas, built on their first use (not at import). A stored failure reason this
 * version does not know (OpenClaw writes `auth_permanent`, `model_not_found`, …) is kept as written:
 * the cooldown still applies, and a rewrite keeps it.
 */
const profileSchemas = once(() => {
  const FailureReason = v.string();

  const ApiKeyProfile = v.looseObject({
    type: v.literal("api_key"),
    provider: v.string(),
    key: v.string(),
    email: v.exactOptional(v.string()),
  });

  const TokenProfile = v.looseObject({
    type: v.literal("token"),
    provider: v.string(),
    token: v.string(),
    expires: v.exactOptional(v.number()),
    email: v.exactOptional(v.string()),
  });

  const OAuthProfile = v.looseObject({
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

  const UnknownProfile = v.looseObject({
    type: v.string(),
    provider: v.exactOptional(v.string()),
  });

  const UsageStats = v.looseObject({
    lastUsed: v.exactOptional(v.number()),
    cooldownUntil: v.exactOptional(v.number()),
    cooldownReason: v.exactOptional(FailureReason),
    disabledUntil: v.exactOptional(v.number()),
    disabledReason: v.exactOptional(FailureReason),
    errorCount: v.exactOptional(v.number()),
    failureCounts: v.exactOptional(v.record(v.string(), v.number())),
    lastFailureAt: v.exactOptional(v.number()),
    forceRefresh: v.exactOptional(v.boolean()),
  });

  return { ApiKeyProfile, TokenProfile, OAuthProfile, UnknownProfile, UsageStats };
});

/** `type: "api_key"` entries. Unknown fields are kept. @internal */
export const ApiKeyProfileSchema = lazySchema(() => profileSchemas().ApiKeyProfile);

/** `type: "token"` entries (setup-token, paste-token). Unknown fields are kept. @internal */
export const TokenProfileSchema = lazySchema(() => profileSchemas().TokenProfile);

/** `type: "oauth"` entries. Unknown fields are kept. @internal */
export const OAuthProfileSchema = lazySchema(() => profileSchemas().OAuthProfile);

/** An entry whose `type` this version does not know: kept as is, never selected. @internal */
export const UnknownProfileSchema = lazySchema(() => profileSchemas().UnknownProfile);

/**
 * One entry of `profiles`. The schema is picked by `type`, so a known type with a bad shape
 * reports the exact field (`profiles["anthropic:work"].key`) rather than "no union member matched",
 * and an unknown type is kept instead of rejected.
 *
 * @internal
 */
export const ProfileEntrySchema = v.lazy((input) => {
  const type = typeof input === "object" && input !== null ? (input as { type?: unknown }).type : undefined;
  const schemas = profileSchemas();
  switch (type) {
    case "api_key":
      return schemas.ApiKeyProfile;
    case "token":
      return schemas.TokenProfile;
    case "oauth":
      return schemas.OAuthProfile;
    default:
      return schemas.UnknownProfile;
  }
});

/** OpenClaw's per-profile `usageStats` entry. Unknown fields are kept. @internal */
export const UsageStatsSchema = lazySchema(() => profileSchemas().UsageStats);

/** One `order[provider]` list. @internal */
export const OrderListSchema = lazySchema(() => v.array(v.string()));

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
