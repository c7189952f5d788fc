import type { UsageStats } from "../model/store.js";
import type { FailureKind } from "./classify.js";
import { familyCooldownOf, familyFailureCount, mirrorSlot, profileCooldownUntil, withFamilyCooldown, withoutFamilyCooldown } from "./family-cooldown.js";
import { DEFAULT_COOLDOWN_POLICY, DEFAULT_EXTRA_USAGE_MS, DEFAULT_PERMANENT_AUTH_MS, DEFAULT_QUOTA_CAP_MS } from "./policy.js";
import { isFailureReason, isTransientReason } from "./reasons.js";
import type { CooldownPolicy, FailureReason, UnusableProfile } from "../model/failure.js";
import { requireNumber, requireObject, requireString } from "../model/arguments.js";

/**
 * Options of {@link recordFailure}.
 *
 * @category Selection
 */
export interface RecordFailureOptions {
  /** The server's `retry-after`, in ms (see `retryAfterMsFromError`); used by transient reasons only. */
  readonly retryAfterMs?: number | null | undefined;
  /**
   * The model family of the failed request (see `modelFamilyOf`). With one, `rate_limit`,
   * `overloaded`, `timeout` and `unknown` rest only that (profile, family) pair.
   */
  readonly family?: string | null | undefined;
  /** The model id of the failed request, written as OpenClaw's `cooldownModel`. */
  readonly model?: string | null | undefined;
  /**
   * Epoch ms of the reset of a window the response's headers say is exhausted (see
   * `exhaustionOf`): a `rate_limit` then rests until it (capped by `quotaCapMs`) instead of the ladder.
   * A reset that has already passed (by at most 60 s: the window refilled
   * while the 429 was on its way) sets no cooldown for the first such failure in the failure window;
   * a repeat, or an older reset (a clock that disagrees with the server's), takes the ladder.
   */
  readonly quotaResetAt?: number | null | undefined;
  /** The special lane from `classifyFailureDetail`. */
  readonly kind?: FailureKind | null | undefined;
}

/** Reasons whose cooldown is scoped to the model family when one is known. */
const FAMILY_SCOPED: ReadonlySet<FailureReason> = new Set<FailureReason>(["rate_limit", "overloaded", "timeout", "unknown"]);

/** Fields a success clears. */
const SUCCESS_CLEARS = [
  "errorCount",
  "failureCounts",
  "cooldownUntil",
  "cooldownReason",
  "disabledUntil",
  "disabledReason",
  "lastFailureAt",
  "forceRefresh",
  "cooldownModel",
] as const;

/** Fields an explicit clear removes: both lanes and the counters (not `forceRefresh`). */
const CLEAR_COOLDOWN_CLEARS = ["cooldownUntil", "cooldownReason", "cooldownModel", "familyCooldowns", "disabledUntil", "disabledReason", "errorCount", "failureCounts"] as const;

/** OpenClaw's reason for the permanent-auth lane (`disabledReason`). @internal */
export const PERMANENT_AUTH_REASON = "auth_permanent";

/**
 * A 429 naming a window whose reset passed at most this long ago is a refilled window, not a
 * throttle: 60 s.
 *
 * @internal
 */
export const LAPSED_RESET_GRACE_MS = 60_000;

/** Keeps `2 ** n` finite so that a zero base never becomes `0 * Infinity`. */
const MAX_DOUBLINGS = 52;

/**
 * Records one failure in a profile's usage stats and cools the profile down as the policy says.
 *
 * @remarks
 * Counters reset first when the last failure is older than the failure window. `format` is counted
 * but never cools down. Transient reasons (`rate_limit`, `overloaded`, `timeout`, `unknown`) step
 * through `transientStepsMs` by their count in the window, and a longer `retryAfterMs` wins up to
 * `retryAfterCapMs`. `auth` steps through `authStepsMs`. `billing` sets `disabledUntil` to
 * `now + min(billingMaxMs, billingBaseMs × 2^(k−1))`. A new cooldown never shortens a later one.
 *
 * @param stats - the profile's current stats (not mutated), or `undefined` for none yet
 * @param reason - the classified failure
 * @param now - epoch ms
 * @param policy - durations; defaults to {@link DEFAULT_COOLDOWN_POLICY}
 * @param options - `retryAfterMs` from the failed response
 * @returns the new stats; unknown fields are kept
 *
 * @example
 * ```ts
 * let stats = recordFailure(undefined, "rate_limit", now, policy); // cooldownUntil = now + 30 s
 * stats = recordFailure(stats, "rate_limit", now, policy);         // cooldownUntil = now + 1 min
 * ```
 *
 * @category Selection
 */
export function recordFailure(
  stats: UsageStats | undefined,
  reason: FailureReason,
  now: number,
  policy: CooldownPolicy = DEFAULT_COOLDOWN_POLICY,
  options: RecordFailureOptions = {},
): UsageStats {
  const current = resetIfWindowPassed(stats ?? {}, now, policy.failureWindowMs);
  const previousCounts = current.failureCounts ?? {};
  const reasonCount = count(previousCounts[reason]) + 1;
  const failureCounts = { ...previousCounts, [reason]: reasonCount };
  const counted: UsageStats = { ...current, errorCount: count(current.errorCount) + 1, failureCounts, lastFailureAt: now };
  if (reason === "format") return counted;
  if (options.kind === "auth_permanent") {
    return extendLane(counted, "disabled", now + (policy.permanentAuthMs ?? DEFAULT_PERMANENT_AUTH_MS), PERMANENT_AUTH_REASON);
  }
  if (reason === "billing") {
    const doublings = Math.min(reasonCount - 1, MAX_DOUBLINGS);
    const durationMs = Math.min(policy.billingMaxMs, policy.billingBaseMs * 2 ** doublings);
    return extendLane(counted, "disabled", now + durationMs, reason);
  }
  if (reason === "auth") return extendLane(counted, "cooldown", now + step(policy.authStepsMs, reasonCount), reason);
  const quotaCapMs = policy.quotaCapMs ?? DEFAULT_QUOTA_CAP_MS;
  if (options.kind === "extra_usage") {
    // Extra usage is per account: the whole profile rests until the unified reset.
    const reset = future(options.quotaResetAt, now) ?? now + (policy.extraUsageMs ?? DEFAULT_EXTRA_USAGE_MS);
    return extendLane(counted, "cooldown", Math.min(reset, now + quotaCapMs), reason);
  }
  const quotaAt = reason === "rate_limit" ? finite(options.quotaResetAt) : null;
  const quotaReset = quotaAt !== null && quotaAt > now ? quotaAt : null;
  const lapsed = quotaAt !== null && quotaAt <= now && now - quotaAt <= LAPSED_RESET_GRACE_MS;
  const family = options.family ?? null;
  if (family !== null && FAMILY_SCOPED.has(reason)) {
    const familyCount = familyFailureCount(current, family) + 1;
    const ladder = (): number => now + withRetryAfter(step(policy.transientStepsMs, familyCount), options.retryAfterMs, policy.retryAfterCapMs);
    const until = quotaReset !== null ? Math.min(quotaReset, now + quotaCapMs) : lapsed && familyCount === 1 ? now : ladder();
    const model = typeof options.model === "string" && options.model !== "" ? { model: options.model } : {};
    return withFamilyCooldown(counted, family, { until, reason, count: familyCount, ...model }, now);
  }
  if (quotaReset !== null) return extendLane(counted, "cooldown", Math.min(quotaReset, now + quotaCapMs), reason);
  if (lapsed && transientCount(failureCounts) === 1) return counted;
  const stepMs = step(policy.transientStepsMs, transientCount(failureCounts));
  return extendLane(counted, "cooldown", now + withRetryAfter(stepMs, options.retryAfterMs, policy.retryAfterCapMs), reason);
}

/**
 * Records a success: marks the profile used and clears counters, the profile-wide cooldown, the
 * disable, `forceRefresh` and OpenClaw's `cooldownModel`, plus the cooldown of the succeeding
 * family. Other families' cooldowns stay (a Sonnet success says nothing about Opus limits), and
 * OpenClaw's slot is re-mirrored from them.
 *
 * @param stats - the profile's current stats (not mutated), or `undefined`
 * @param now - epoch ms, stored as `lastUsed` (the round-robin key)
 * @param family - the model family that succeeded, when known
 * @returns the new stats; unknown fields are kept
 *
 * @category Selection
 */
export function recordSuccess(stats: UsageStats | undefined, now: number, family: string | null = null): UsageStats {
  const cleared = omit(stats ?? {}, SUCCESS_CLEARS);
  const next = stats?.familyCooldowns === undefined ? cleared : withoutFamilyCooldown(cleared, family, now);
  return { ...next, lastUsed: now };
}

/**
 * Clears a cooldown early, both lanes: `cooldownUntil` and `disabledUntil` (e.g. after a billing
 * top-up), with their reasons and the failure counters. `lastUsed`, `lastFailureAt` and
 * `forceRefresh` are kept.
 *
 * @param stats - the profile's current stats (not mutated), or `undefined`
 * @returns the new stats
 *
 * @category Selection
 */
export function clearCooldownStats(stats: UsageStats | undefined): UsageStats {
  return omit(stats ?? {}, CLEAR_COOLDOWN_CLEARS);
}

/**
 * When a profile becomes usable again (for a model family): the latest of the profile-wide
 * `cooldownUntil`, `disabledUntil` and the family's own cooldown.
 *
 * @remarks A `cooldownUntil` scoped by OpenClaw's `cooldownModel` counts only for that model's family.
 *
 * @param stats - the profile's stats, or `undefined`
 * @param now - epoch ms
 * @param family - the model family of the call, or `null` for profile-wide state only
 * @returns that time in epoch ms when it is after `now`, else `null` (usable now)
 *
 * @category Selection
 */
export function unusableUntil(stats: UsageStats | undefined, now: number, family: string | null = null): number | null {
  if (stats !== undefined) requireObject("unusableUntil", "stats", stats);
  requireNumber("unusableUntil", "now", now);
  if (family !== null) requireString("unusableUntil", "family", family);
  const scoped = familyCooldownOf(stats, family, now)?.until ?? Number.NEGATIVE_INFINITY;
  const until = Math.max(profileCooldownUntil(stats), time(stats?.disabledUntil), scoped);
  return until > now ? until : null;
}

/**
 * Describes why and until when a profile is unusable, for ordering, errors and the status report.
 *
 * @param profileId - the profile id
 * @param provider - its provider
 * @param stats - its stats, or `undefined`
 * @param now - epoch ms
 * @param family - the model family of the call, or `null`: a family cooldown then does not count
 * @returns `kind: "disabled"` when `disabledUntil` is the later time, else `"cooldown"` (with
 *   `family` when the family's cooldown binds); `null` when usable
 *
 * @category Selection
 */
export function describeUnusable(
  profileId: string,
  provider: string,
  stats: UsageStats | undefined,
  now: number,
  family: string | null = null,
): UnusableProfile | null {
  const until = unusableUntil(stats, now, family);
  if (until === null) return null;
  const scoped = familyCooldownOf(stats, family, now);
  const disabled = time(stats?.disabledUntil) >= until;
  const byFamily = !disabled && scoped !== null && scoped.until >= until;
  const storedReason: unknown = disabled ? stats?.disabledReason : byFamily ? scoped.reason : stats?.cooldownReason;
  return {
    profileId,
    provider,
    kind: disabled ? "disabled" : "cooldown",
    reason: storedReason === PERMANENT_AUTH_REASON ? "auth" : isFailureReason(storedReason) ? storedReason : null,
    until,
    remainingMs: until - now,
    ...(byFamily && family !== null ? { family } : {}),
  };
}

function resetIfWindowPassed(stats: UsageStats, now: number, failureWindowMs: number): UsageStats {
  const last = stats.lastFailureAt;
  if (typeof last !== "number" || !Number.isFinite(last) || now - last <= failureWindowMs) return stats;
  return mirrorSlot(omit(stats, ["errorCount", "failureCounts", "familyCooldowns"]), now);
}

function future(at: number | null | undefined, now: number): number | null {
  return typeof at === "number" && Number.isFinite(at) && at > now ? at : null;
}

function finite(at: number | null | undefined): number | null {
  return typeof at === "number" && Number.isFinite(at) ? at : null;
}

function extendLane(stats: UsageStats, lane: "cooldown" | "disabled", until: number, reason: FailureReason | typeof PERMANENT_AUTH_REASON): UsageStats {
  if (lane === "disabled") {
    if (time(stats.disabledUntil) >= until) return stats;
    return { ...stats, disabledUntil: until, disabledReason: reason as FailureReason };
  }
  // A profile-wide cooldown takes OpenClaw's slot: a family mirror (cooldownModel) in it gives way.
  const existing = profileCooldownUntil(stats);
  if (existing >= until) return stats;
  const { cooldownModel: _scopedTo, ...rest } = stats;
  return { ...rest, cooldownUntil: until, cooldownReason: reason as FailureReason };
}

/** The n-th failure (1-based) takes step n; past the end, the last step is the cap. */
function step(stepsMs: readonly number[], n: number): number {
  return stepsMs[Math.min(Math.max(n, 1), stepsMs.length) - 1] ?? 0;
}

function withRetryAfter(stepMs: number, retryAfterMs: number | null | undefined, capMs: number): number {
  if (typeof retryAfterMs !== "number" || !Number.isFinite(retryAfterMs) || retryAfterMs <= stepMs) return stepMs;
  return Math.max(stepMs, Math.min(retryAfterMs, capMs));
}

function transientCount(counts: Readonly<Partial<Record<FailureReason, number>>>): number {
  let total = 0;
  for (const [reason, value] of Object.entries(counts)) {
    if (isFailureReason(reason) && isTransientReason(reason)) total += count(value);
  }
  return total;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function time(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY;
}

function omit(stats: UsageStats, keys: readonly string[]): UsageStats {
  // fromEntries defines own properties, so a stored "__proto__" key stays data, never a prototype.
  return Object.fromEntries(Object.entries(stats).filter(([key]) => !keys.includes(key))) as UsageStats;
}
