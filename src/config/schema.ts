import * as v from "valibot";

/**
 * valibot schemas of the config keys this library reads. Every object is loose: keys we do not
 * read (the rest of a bot's config) pass through untouched.
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

const nonNegativeNumber = v.pipe(v.number(), v.minValue(0));

/** `auth.profiles[id]`. @internal */
export const ProfileMetaSchema = plainObject(
  v.looseObject({ provider: v.string(), mode: v.picklist(CREDENTIAL_MODES), email: v.optional(v.string()) }),
);

/** `auth.cooldowns` (hours, all ≥ 0). @internal */
export const CooldownConfigSchema = plainObject(
  v.looseObject({
    billingBackoffHours: v.optional(nonNegativeNumber),
    billingBackoffHoursByProvider: v.optional(plainObject(v.record(v.string(), nonNegativeNumber))),
    billingMaxHours: v.optional(nonNegativeNumber),
    failureWindowHours: v.optional(nonNegativeNumber),
  }),
);

/** The `auth` block. @internal */
export const AuthConfigSchema = plainObject(
  v.looseObject({
    profiles: v.optional(plainObject(v.record(v.string(), ProfileMetaSchema))),
    order: v.optional(plainObject(v.record(v.string(), v.array(v.string())))),
    cooldowns: v.optional(CooldownConfigSchema),
  }),
);

/** `models[…]` entries. @internal */
export const ModelEntrySchema = plainObject(
  v.looseObject({
    alias: v.optional(v.string()),
    // A free record, as in OpenClaw's schema: a cacheControlTtl / cacheRetention this library cannot
    // apply is left out and reported by settleModelParams, never CONFIG_INVALID.
    params: v.optional(plainObject(v.looseObject({}))),
  }),
);

/** A model reference: `"anthropic/<model>"` or `{ primary?, fallbacks? }`. @internal */
export const ModelRefSchema = v.pipe(
  v.unknown(),
  v.check((input) => typeof input === "string" || isPlainObject(input), "must be a string or an object"),
  v.union([v.string(), v.looseObject({ primary: v.optional(v.string()), fallbacks: v.optional(v.array(v.string())) })]),
);

const agentSettingsEntries = {
  model: v.optional(ModelRefSchema),
  models: v.optional(plainObject(v.record(v.string(), ModelEntrySchema))),
};

/** `agents.list[]` entries. @internal */
export const AgentEntrySchema = plainObject(
  v.looseObject({ ...agentSettingsEntries, id: v.string(), agentDir: v.optional(v.string()) }),
);

/** The `agents` block. @internal */
export const AgentsConfigSchema = plainObject(
  v.looseObject({
    defaults: v.optional(plainObject(v.looseObject(agentSettingsEntries))),
    list: v.optional(v.array(AgentEntrySchema)),
  }),
);

/** The `env` block: string variables, `vars` (strings), and OpenClaw's `shellEnv` settings. @internal */
export const EnvBlockSchema = plainObject(
  v.objectWithRest({ vars: v.optional(plainObject(v.record(v.string(), v.string()))), shellEnv: v.optional(v.unknown()) }, v.string()),
);

/** A whole bot config: the keys above are validated, all others are kept as they are. @internal */
export const AuthProfilesConfigSchema = plainObject(
  v.looseObject({ auth: v.optional(AuthConfigSchema), agents: v.optional(AgentsConfigSchema), env: v.optional(EnvBlockSchema) }),
);
