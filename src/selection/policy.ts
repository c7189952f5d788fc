import type { AuthProfilesConfig } from "../config/types.js";
import { AuthProfilesError } from "../model/errors.js";
import type { CooldownPolicy } from "../model/failure.js";
import { requireObject } from "../model/arguments.js";

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** Failure counters reset when the last failure is older than this: 24 h. @internal */
export const DEFAULT_FAILURE_WINDOW_MS = 24 * HOUR_MS;

/** Cooldown ladder for `rate_limit`, `overloaded`, `timeout`, `unknown`: 30 s, 1 min, 5 min (the cap). @internal */
export const DEFAULT_TRANSIENT_STEPS_MS: readonly number[] = Object.freeze([30 * SECOND_MS, MINUTE_MS, 5 * MINUTE_MS]);

/** Cooldown ladder for `auth`: 1 min, 5 min, 25 min, 1 h (the cap). @internal */
export const DEFAULT_AUTH_STEPS_MS: readonly number[] = Object.freeze([MINUTE_MS, 5 * MINUTE_MS, 25 * MINUTE_MS, HOUR_MS]);

/** A `retry-after` longer than the ladder's step wins, up to this: 1 h. @internal */
export const DEFAULT_RETRY_AFTER_CAP_MS = HOUR_MS;

/** First billing disable, doubled on each further billing failure: 5 h. @internal */
export const DEFAULT_BILLING_BASE_MS = 5 * HOUR_MS;

/** Longest billing disable: 24 h. @internal */
export const DEFAULT_BILLING_MAX_MS = 24 * HOUR_MS;

/** Longest rest until a quota window's reset: 24 h. @internal */
export const DEFAULT_QUOTA_CAP_MS = 24 * HOUR_MS;

/** Rest of a subscription out of extra usage when no reset is known: 1 h. @internal */
export const DEFAULT_EXTRA_USAGE_MS = HOUR_MS;

/** The permanent-auth disable: 24 h. @internal */
export const DEFAULT_PERMANENT_AUTH_MS = 24 * HOUR_MS;

/**
 * The contract's cooldown defaults.
 *
 * @remarks
 * Transient failures: 30 s, 1 min, 5 min, then 5 min (a longer `retry-after` wins, up to 1 h).
 * Auth failures: 1 min, 5 min, 25 min, then 1 h. Billing: disabled 5 h, 10 h, 20 h, then 24 h.
 * Counters reset after 24 h without a failure. A 429 with an exhausted window rests until its
 * reset (at most 24 h); a subscription out of extra usage until the unified reset (1 h when
 * unknown); a permanent auth failure is disabled 24 h.
 *
 * @category Selection
 */
export const DEFAULT_COOLDOWN_POLICY: CooldownPolicy = Object.freeze({
  failureWindowMs: DEFAULT_FAILURE_WINDOW_MS,
  transientStepsMs: DEFAULT_TRANSIENT_STEPS_MS,
  authStepsMs: DEFAULT_AUTH_STEPS_MS,
  retryAfterCapMs: DEFAULT_RETRY_AFTER_CAP_MS,
  billingBaseMs: DEFAULT_BILLING_BASE_MS,
  billingMaxMs: DEFAULT_BILLING_MAX_MS,
  quotaCapMs: DEFAULT_QUOTA_CAP_MS,
  extraUsageMs: DEFAULT_EXTRA_USAGE_MS,
  permanentAuthMs: DEFAULT_PERMANENT_AUTH_MS,
});

/**
 * Input of {@link cooldownPolicyFor}.
 *
 * @category Selection
 */
export interface CooldownPolicyInput {
  /** The bot config; its `auth.cooldowns` (OpenClaw's hour fields) apply over the defaults. */
  readonly config?: AuthProfilesConfig | undefined;
  /** The provider, for `billingBackoffHoursByProvider`. */
  readonly provider?: string | undefined;
  /** Programmatic overrides (the resolver's `cooldown` option), applied last. */
  readonly overrides?: Partial<CooldownPolicy> | undefined;
}

/**
 * Builds the cooldown policy for one provider: defaults, then config `auth.cooldowns`, then overrides.
 *
 * @param input - config, provider and overrides, all optional
 * @returns a frozen policy
 * @throws AuthProfilesError `CONFIG_INVALID` when an `auth.cooldowns` value is not a non-negative
 *   number; `INVALID_ARGUMENT` when an override is not a non-negative number (or a non-empty list of them)
 *
 * @example
 * ```ts
 * const policy = cooldownPolicyFor({ config, provider: "anthropic", overrides: { retryAfterCapMs: 600_000 } });
 * ```
 *
 * @category Selection
 */
export function cooldownPolicyFor(input: CooldownPolicyInput = {}): CooldownPolicy {
  requireObject("cooldownPolicyFor", "input", input);
  const fromConfig = configOverrides(input.config, input.provider);
  const overrides = definedOverrides(input.overrides ?? {});
  return Object.freeze({ ...DEFAULT_COOLDOWN_POLICY, ...fromConfig, ...overrides });
}

function configOverrides(config: AuthProfilesConfig | undefined, provider: string | undefined): Partial<CooldownPolicy> {
  const cooldowns = config?.auth?.cooldowns;
  if (cooldowns === undefined) return {};
  const out: { -readonly [K in keyof CooldownPolicy]?: CooldownPolicy[K] } = {};
  const windowHours = hours(cooldowns.failureWindowHours, "auth.cooldowns.failureWindowHours");
  if (windowHours !== undefined) out.failureWindowMs = windowHours * HOUR_MS;
  const byProvider = provider === undefined ? undefined : providerValue(cooldowns.billingBackoffHoursByProvider, provider);
  const baseHours =
    hours(byProvider?.value, `auth.cooldowns.billingBackoffHoursByProvider.${byProvider?.key ?? ""}`) ??
    hours(cooldowns.billingBackoffHours, "auth.cooldowns.billingBackoffHours");
  if (baseHours !== undefined) out.billingBaseMs = baseHours * HOUR_MS;
  const maxHours = hours(cooldowns.billingMaxHours, "auth.cooldowns.billingMaxHours");
  if (maxHours !== undefined) out.billingMaxMs = maxHours * HOUR_MS;
  return out;
}

function providerValue(
  record: Readonly<Record<string, number>> | undefined,
  provider: string,
): { readonly key: string; readonly value: unknown } | undefined {
  if (record === undefined || record === null || typeof record !== "object") return undefined;
  const wanted = provider.trim().toLowerCase();
  // Exact key first; OpenClaw normalises provider ids, so fall back to a case-insensitive match.
  if (Object.hasOwn(record, provider)) return { key: provider, value: record[provider] };
  const key = Object.keys(record).find((k) => k.trim().toLowerCase() === wanted);
  return key === undefined ? undefined : { key, value: record[key] };
}

function hours(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  throw new AuthProfilesError("CONFIG_INVALID", `Invalid config value at ${path}: expected a non-negative number of hours.`, {
    hint: `Set ${path} to a number of hours such as 5, or remove it to use the default.`,
    details: { path },
  });
}

function definedOverrides(overrides: Partial<CooldownPolicy>): Partial<CooldownPolicy> {
  const out: { -readonly [K in keyof CooldownPolicy]?: CooldownPolicy[K] } = {};
  for (const key of ["failureWindowMs", "retryAfterCapMs", "billingBaseMs", "billingMaxMs", "quotaCapMs", "extraUsageMs", "permanentAuthMs"] as const) {
    const value: unknown = overrides[key];
    if (value === undefined) continue;
    if (!isDuration(value)) throw invalidOverride(key);
    out[key] = value;
  }
  for (const key of ["transientStepsMs", "authStepsMs"] as const) {
    const value: unknown = overrides[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.length === 0 || !value.every(isDuration)) throw invalidOverride(key);
    out[key] = Object.freeze([...(value as readonly number[])]);
  }
  return out;
}

function isDuration(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function invalidOverride(key: keyof CooldownPolicy): AuthProfilesError {
  const expected = key.endsWith("StepsMs") ? "a non-empty list of non-negative milliseconds" : "non-negative milliseconds";
  return new AuthProfilesError("INVALID_ARGUMENT", `Invalid cooldown option "${key}": expected ${expected}.`, {
    hint: `Pass cooldown.${key} as ${expected}, or leave it out to use the default.`,
    details: { option: `cooldown.${key}` },
  });
}
