import type { UsageStats } from "../model/store.js";
import { DEFAULT_COOLDOWN_POLICY } from "./policy.js";
import { isFailureReason, isTransientReason } from "./reasons.js";
import type { CooldownPolicy, FailureReason, UnusableProfile } from "../model/failure.js";

/** Options of {@link recordFailure}. */
export interface RecordFailureOptions {
  /** The server's `retry-after`, in ms (see `retryAfterMsFromError`); used by transient reasons only. */
  readonly retryAfterMs?: number | null | undefined;
}

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
] as const;

/** Fields an explicit clear removes: both lanes and the counters (not `forceRefresh`). */
const CLEAR_COOLDOWN_CLEARS = ["cooldownUntil", "cooldownReason", "disabledUntil", "disabledReason", "errorCount", "failureCounts"] as const;

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
  if (reason === "billing") {
    const doublings = Math.min(reasonCount - 1, MAX_DOUBLINGS);
    const durationMs = Math.min(policy.billingMaxMs, policy.billingBaseMs * 2 ** doublings);
    return extendLane(counted, "disabled", now + durationMs, reason);
  }
  if (reason === "auth") return extendLane(counted, "cooldown", now + step(policy.authStepsMs, reasonCount), reason);
  const stepMs = step(policy.transientStepsMs, transientCount(failureCounts));
  return extendLane(counted, "cooldown", now + withRetryAfter(stepMs, options.retryAfterMs, policy.retryAfterCapMs), reason);
}

/**
 * Records a success: marks the profile used and clears counters, cooldown, disable and `forceRefresh`.
 *
 * @param stats - the profile's current stats (not mutated), or `undefined`
 * @param now - epoch ms, stored as `lastUsed` (the round-robin key)
 * @returns the new stats; unknown fields are kept
 */
export function recordSuccess(stats: UsageStats | undefined, now: number): UsageStats {
  return { ...omit(stats ?? {}, SUCCESS_CLEARS), lastUsed: now };
}

/**
 * Clears a cooldown early, both lanes: `cooldownUntil` and `disabledUntil` (e.g. after a billing
 * top-up), with their reasons and the failure counters. `lastUsed`, `lastFailureAt` and
 * `forceRefresh` are kept.
 *
 * @param stats - the profile's current stats (not mutated), or `undefined`
 * @returns the new stats
 */
export function clearCooldownStats(stats: UsageStats | undefined): UsageStats {
  return omit(stats ?? {}, CLEAR_COOLDOWN_CLEARS);
}

/**
 * When a profile becomes usable again: the later of `cooldownUntil` and `disabledUntil`.
 *
 * @param stats - the profile's stats, or `undefined`
 * @param now - epoch ms
 * @returns that time in epoch ms when it is after `now`, else `null` (usable now)
 */
export function unusableUntil(stats: UsageStats | undefined, now: number): number | null {
  const until = Math.max(time(stats?.cooldownUntil), time(stats?.disabledUntil));
  return until > now ? until : null;
}

/**
 * Describes why and until when a profile is unusable, for ordering, errors and the status report.
 *
 * @param profileId - the profile id
 * @param provider - its provider
 * @param stats - its stats, or `undefined`
 * @param now - epoch ms
 * @returns `kind: "disabled"` when `disabledUntil` is the later time, else `"cooldown"`; `null` when usable
 */
export function describeUnusable(
  profileId: string,
  provider: string,
  stats: UsageStats | undefined,
  now: number,
): UnusableProfile | null {
  const until = unusableUntil(stats, now);
  if (until === null) return null;
  const disabled = time(stats?.disabledUntil) >= time(stats?.cooldownUntil);
  const storedReason = disabled ? stats?.disabledReason : stats?.cooldownReason;
  return {
    profileId,
    provider,
    kind: disabled ? "disabled" : "cooldown",
    reason: isFailureReason(storedReason) ? storedReason : null,
    until,
    remainingMs: until - now,
  };
}

function resetIfWindowPassed(stats: UsageStats, now: number, failureWindowMs: number): UsageStats {
  const last = stats.lastFailureAt;
  if (typeof last !== "number" || !Number.isFinite(last) || now - last <= failureWindowMs) return stats;
  return omit(stats, ["errorCount", "failureCounts"]);
}

function extendLane(stats: UsageStats, lane: "cooldown" | "disabled", until: number, reason: FailureReason): UsageStats {
  const existing = time(lane === "cooldown" ? stats.cooldownUntil : stats.disabledUntil);
  if (existing >= until) return stats;
  return lane === "cooldown"
    ? { ...stats, cooldownUntil: until, cooldownReason: reason }
    : { ...stats, disabledUntil: until, disabledReason: reason };
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
