import * as v from "valibot";
import { lazySchema, once } from "../model/lazy-schema.js";

/**
 * valibot schemas of the config keys this library reads. Every object is loose: keys we do not
 * read (the rest of a bot's config) pass through untouched. They are built together on the first
 * validation, not at import (`import("auth-profiles")` stays cheap).
 */

/** Allowed `auth.profiles[id].mode` values. @internal */
export const CREDENTIAL_MODES = ["api_key", "token", "oauth"] as const;
/** `params.cacheControlTtl` values this library applies. @internal */
export const CACHE_CONTROL_TTLS = ["5m", "1h"] as const;

function isPlainObject(input: unknown): boolean {
  return typeof input === "object" && input !== null && !Array.isArray(input);
}

/**
 * Wraps an object or record schema so that arrays are refused (valibot's object schemas accept
 * them), with a fixed message that names no input.
 *
 * @param schema - a `looseObject`, `objectWithRest` or `record` schema
 * @returns the same schema, refusing anything but a plain object
 * @internal
 */
export function plainObject<TSchema extends v.GenericSchema>(schema: TSchema) {
  return v.pipe(v.unknown(), v.check(isPlainObject, "must be an object"), schema);
}

/** Builds every config schema at once, on first use, so they share their parts as before. */
const schemas = once(() => {
  const nonNegativeNumber = v.pipe(v.number(), v.minValue(0));

  const ProfileMeta = plainObject(
    v.looseObject({ provider: v.string(), mode: v.picklist(CREDENTIAL_MODES), email: v.optional(v.string()) }),
  );

  const CooldownConfig = plainObject(
    v.looseObject({
      billingBackoffHours: v.optional(nonNegativeNumber),
      billingBackoffHoursByProvider: v.optional(plainObject(v.record(v.string(), nonNegativeNumber))),
      billingMaxHours: v.optional(nonNegativeNumber),
      failureWindowHours: v.optional(nonNegativeNumber),
    }),
  );

  const AuthConfig = plainObject(
    v.looseObject({
      profiles: v.optional(plainObject(v.record(v.string(), ProfileMeta))),
      order: v.optional(plainObject(v.record(v.string(), v.array(v.string())))),
      cooldowns: v.optional(CooldownConfig),
    }),
  );

  const ModelEntry = plainObject(
    v.looseObject({
      alias: v.optional(v.string()),
      // A free record, as in OpenClaw's schema: a cacheControlTtl / cacheRetention this library cannot
      // apply is left out and reported by settleModelParams, never CONFIG_INVALID.
      params: v.optional(plainObject(v.looseObject({}))),
    }),
  );

  const ModelRef = v.pipe(
    v.unknown(),
    v.check((input) => typeof input === "string" || isPlainObject(input), "must be a string or an object"),
    v.union([v.string(), v.looseObject({ primary: v.optional(v.string()), fallbacks: v.optional(v.array(v.string())) })]),
  );

  const agentSettingsEntries = {
    model: v.optional(ModelRef),
    models: v.optional(plainObject(v.record(v.string(), ModelEntry))),
  };

  const AgentEntry = plainObject(v.looseObject({ ...agentSettingsEntries, id: v.string(), agentDir: v.optional(v.string()) }));

  const AgentsConfig = plainObject(
    v.looseObject({
      defaults: v.optional(plainObject(v.looseObject(agentSettingsEntries))),
      list: v.optional(v.array(AgentEntry)),
    }),
  );

  const EnvBlock = plainObject(
    v.objectWithRest({ vars: v.optional(plainObject(v.record(v.string(), v.string()))), shellEnv: v.optional(v.unknown()) }, v.string()),
  );

  const AuthProfilesConfig = plainObject(
    v.looseObject({ auth: v.optional(AuthConfig), agents: v.optional(AgentsConfig), env: v.optional(EnvBlock) }),
  );

  return { ProfileMeta, CooldownConfig, AuthConfig, ModelEntry, ModelRef, AgentEntry, AgentsConfig, EnvBlock, AuthProfilesConfig };
});

/** `auth.profiles[id]`. @internal */
export const ProfileMetaSchema = lazySchema(() => schemas().ProfileMeta);

/** `auth.cooldowns` (hours, all ≥ 0). @internal */
export const CooldownConfigSchema = lazySchema(() => schemas().CooldownConfig);

/** The `auth` block. @internal */
export const AuthConfigSchema = lazySchema(() => schemas().AuthConfig);

/** `models[…]` entries. @internal */
export const ModelEntrySchema = lazySchema(() => schemas().ModelEntry);

/** A model reference: `"anthropic/<model>"` or `{ primary?, fallbacks? }`. @internal */
export const ModelRefSchema = lazySchema(() => schemas().ModelRef);

/** `agents.list[]` entries. @internal */
export const AgentEntrySchema = lazySchema(() => schemas().AgentEntry);

/** The `agents` block. @internal */
export const AgentsConfigSchema = lazySchema(() => schemas().AgentsConfig);

/** The `env` block: string variables, `vars` (strings), and OpenClaw's `shellEnv` settings. @internal */
export const EnvBlockSchema = lazySchema(() => schemas().EnvBlock);

/** A whole bot config: the keys above are validated, all others are kept as they are. @internal */
export const AuthProfilesConfigSchema = lazySchema(() => schemas().AuthProfilesConfig);
