import fc from "fast-check";
import { SECRETS } from "./secrets.js";

/**
 * The seed of every property in this folder: runs are reproducible (CI must be deterministic).
 * Change it locally to explore other inputs.
 */
export const FC_SEED = 20_261_125;

/** Strings that bad input likes to contain: secrets, env references, JSON5 and path oddities. */
const NASTY_STRINGS = [
  SECRETS.apiKey,
  SECRETS.token,
  SECRETS.refresh,
  `Bearer ${SECRETS.access}`,
  "${HOME}",
  "${MISSING_VAR}",
  "$${ESCAPED}",
  "$include",
  "__proto__",
  "constructor",
  "anthropic",
  "anthropic:default",
  "anthropic:claude-cli",
  "api_key",
  "token",
  "oauth",
  "1h",
  "5m",
  "",
  " ",
  "\u0000",
  "\uFEFF",
  "../../etc/passwd",
  "é",
  "😀",
] as const;

/** A string, often one of the nasty ones above. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ maxLength: 12 }), fc.string({ unit: "binary", maxLength: 12 }));

/** Any JSON-ish leaf, including numbers JSON cannot represent exactly. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 2, 1.5, Number.MAX_SAFE_INTEGER, 1e300, -1e300, 1_767_000_000_000),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value built from nasty leaves, at most 3 levels deep. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(nastyString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Either a nasty value or one of `values`. */
function sometimes<T>(...values: T[]): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constantFrom(...values), nastyJson);
}

/** A profile id: usually well-formed. */
const profileId = fc.oneof(fc.constantFrom("anthropic:default", "anthropic:work", "anthropic:claude-cli", "anthropic:manual", "openai:x"), nastyString);

/** A config object shaped like OpenClaw's, with any part of it replaced by junk. */
export const configValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyJson,
  fc.record(
    {
      auth: fc.oneof(
        nastyJson,
        fc.record(
          {
            profiles: fc.oneof(
              nastyJson,
              fc.dictionary(profileId, fc.record({ provider: sometimes("anthropic"), mode: sometimes("api_key", "token", "oauth"), email: sometimes("me@example.com") }, { requiredKeys: [] }), { maxKeys: 3 }),
            ),
            order: fc.oneof(nastyJson, fc.dictionary(fc.oneof(fc.constant("anthropic"), nastyString), fc.array(profileId, { maxLength: 3 }), { maxKeys: 2 })),
            cooldowns: fc.oneof(
              nastyJson,
              fc.dictionary(fc.constantFrom("billingBackoffHours", "billingMaxHours", "failureWindowHours", "billingBackoffHoursByProvider"), nastyJson, { maxKeys: 3 }),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      agents: fc.oneof(
        nastyJson,
        fc.record(
          {
            defaults: fc.oneof(
              nastyJson,
              fc.record(
                {
                  model: fc.oneof(nastyJson, fc.record({ primary: sometimes("anthropic/claude-sonnet-4-5") }, { requiredKeys: [] })),
                  models: fc.oneof(nastyJson, fc.dictionary(fc.oneof(fc.constant("anthropic/claude-sonnet-4-5"), nastyString), fc.record({ params: fc.oneof(nastyJson, fc.record({ cacheControlTtl: sometimes("5m", "1h") })) }, { requiredKeys: [] }), { maxKeys: 2 })),
                },
                { requiredKeys: [] },
              ),
            ),
            list: fc.oneof(nastyJson, fc.array(fc.record({ id: sometimes("main", "work"), model: nastyJson, agentDir: nastyJson }, { requiredKeys: [] }), { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
      ),
      env: fc.oneof(nastyJson, fc.dictionary(fc.constantFrom("ANTHROPIC_API_KEY", "vars", "FOO", "shellEnv"), nastyJson, { maxKeys: 3 })),
    },
    { requiredKeys: [] },
  ),
);

/** JSON5 fragments: glued together they make text that is sometimes JSON5 and often almost. */
const JSON5_TOKENS = ["{", "}", "[", "]", ":", ",", '"auth"', "auth", "profiles", '"anthropic:default"', "'x'", "// c\n", "/* c */", "Infinity", "NaN", "+1", ".5", "0x1F", "null", "true", '"${FOO}"', '"$include"', `"${SECRETS.apiKey}"`, "\n", " ", '"', "'", "\\"];

/** Text that looks like JSON5 more or less. */
export const json5ishText: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom(...JSON5_TOKENS), fc.string({ maxLength: 4 })), { maxLength: 40 }).map((parts) => parts.join("")),
  configValue.map((value) => JSON.stringify(value) ?? ""),
  fc.string({ maxLength: 60 }),
);

/** A store document shaped like `auth-profiles.json`, with any part of it replaced by junk. */
export const storeValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyJson,
  fc.record(
    {
      version: sometimes<unknown>(1, 2, "1"),
      profiles: fc.oneof(
        nastyJson,
        fc.dictionary(
          profileId,
          fc.record(
            {
              type: sometimes("api_key", "token", "oauth", "aws_sigv4"),
              provider: sometimes("anthropic"),
              key: sometimes(SECRETS.apiKey),
              token: sometimes(SECRETS.token),
              access: sometimes(SECRETS.access),
              refresh: sometimes(SECRETS.refresh),
              expires: sometimes(0, 1_767_000_000_000),
            },
            { requiredKeys: [] },
          ),
          { maxKeys: 3 },
        ),
      ),
      order: fc.oneof(nastyJson, fc.dictionary(fc.oneof(fc.constant("anthropic"), nastyString), fc.array(profileId, { maxLength: 3 }), { maxKeys: 2 })),
      lastGood: nastyJson,
      usageStats: fc.oneof(
        nastyJson,
        fc.dictionary(
          profileId,
          fc.record({ lastUsed: nastyJson, cooldownUntil: nastyJson, errorCount: nastyJson, failureCounts: nastyJson, disabledUntil: nastyJson, disabledReason: sometimes("billing") }, { requiredKeys: [] }),
          { maxKeys: 2 },
        ),
      ),
    },
    { requiredKeys: [] },
  ),
);

/** Bytes for a file: raw bytes, arbitrary text, or a JSON document (often with a secret inside). */
export function fileBytes(document: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 120 }),
    fc.string({ maxLength: 80 }).map((text) => Buffer.from(text)),
    document.map((value) => Buffer.from(JSON.stringify(value, null, 2) ?? "")),
    // A valid-looking document cut short, as a crashed non-atomic writer leaves it.
    fc.tuple(document, fc.nat()).map(([value, cut]) => {
      const text = JSON.stringify(value, null, 2) ?? "";
      return Buffer.from(text.slice(0, text.length === 0 ? 0 : cut % text.length));
    }),
  );
}
