import type { StoreData, StoredCredential, StoredRateLimits, UsageStats } from "../model/store.js";
import { clearCooldownStats, recordFailure, recordSuccess, unusableUntil, type RecordFailureOptions } from "./cooldown.js";
import { DEFAULT_COOLDOWN_POLICY } from "./policy.js";
import type { CooldownPolicy, FailureOutcome, FailureReason } from "../model/failure.js";

/** What {@link withFailure} returns. @internal */
export interface FailureUpdate {
  /** The new document (`data` itself when `reason` is `null`). */
  readonly data: StoreData;
  /** The reason and until when the profile is now unusable. */
  readonly outcome: FailureOutcome;
}

/**
 * Records a failure of one profile in a store document (see {@link recordFailure}).
 *
 * @remarks
 * The profile does not need a stored credential: a profile read live elsewhere (the Claude Code
 * login) cools down the same way. A `null` reason (not a credential problem, e.g. an abort) changes
 * nothing and returns `data` itself, so a store mutator can skip the write.
 *
 * @param data - the document (not mutated)
 * @param profileId - the profile that failed
 * @param reason - the classified failure, or `null`
 * @param now - epoch ms
 * @param policy - durations; defaults to {@link DEFAULT_COOLDOWN_POLICY}
 * @param options - `retryAfterMs`, `family`, `model`, `quotaResetAt` and `kind` of the failed response
 * @returns the new document and the outcome; `outcome.unusableUntil` is when the profile is usable
 *   again for that family (an earlier, longer cooldown included), or `null` when it is usable now
 * @internal
 */
export function withFailure(
  data: StoreData,
  profileId: string,
  reason: FailureReason | null,
  now: number,
  policy: CooldownPolicy = DEFAULT_COOLDOWN_POLICY,
  options: RecordFailureOptions = {},
): FailureUpdate {
  const current = data.usageStats?.[profileId];
  if (reason === null) return { data, outcome: { reason, unusableUntil: unusableUntil(current, now, options.family ?? null) } };
  const stats = recordFailure(current, reason, now, policy, options);
  return { data: withStats(data, profileId, stats), outcome: { reason, unusableUntil: unusableUntil(stats, now, options.family ?? null) } };
}

/**
 * Records a success of one profile (see {@link recordSuccess}) and sets `lastGood[provider]`.
 *
 * @param data - the document (not mutated)
 * @param profileId - the profile that succeeded
 * @param provider - its provider
 * @param now - epoch ms
 * @param family - the model family that succeeded, when known (its cooldown ends; others stay)
 * @returns the new document
 * @internal
 */
export function withSuccess(data: StoreData, profileId: string, provider: string, now: number, family: string | null = null): StoreData {
  const next = withStats(data, profileId, recordSuccess(data.usageStats?.[profileId], now, family));
  return { ...next, lastGood: { ...data.lastGood, [provider]: profileId } };
}

/**
 * Clears one profile's cooldown and billing disable early (see {@link clearCooldownStats}).
 *
 * @param data - the document (not mutated)
 * @param profileId - the profile to clear
 * @returns the new document, or `data` itself when the profile has no stats
 * @internal
 */
export function withClearedCooldown(data: StoreData, profileId: string): StoreData {
  const current = data.usageStats?.[profileId];
  return current === undefined ? data : withStats(data, profileId, clearCooldownStats(current));
}

/**
 * Marks one profile so that the next resolve refreshes its OAuth token first (after a 401 on an
 * unexpired token).
 *
 * @param data - the document (not mutated)
 * @param profileId - the profile to mark
 * @returns the new document with `usageStats[profileId].forceRefresh = true`
 * @internal
 */
export function withForceRefresh(data: StoreData, profileId: string): StoreData {
  return withStats(data, profileId, { ...data.usageStats?.[profileId], forceRefresh: true });
}

/**
 * Removes a profile's `forceRefresh` mark, e.g. once a refresh went through.
 *
 * @param data - the document (not mutated)
 * @param profileId - the profile to unmark
 * @returns the new document, or `data` itself when the mark was not set
 * @internal
 */
export function withoutForceRefresh(data: StoreData, profileId: string): StoreData {
  const current = data.usageStats?.[profileId];
  if (current === undefined || !Object.hasOwn(current, "forceRefresh")) return data;
  const stats = Object.fromEntries(Object.entries(current).filter(([key]) => key !== "forceRefresh")) as UsageStats;
  return withStats(data, profileId, stats);
}

/**
 * Replaces (or adds) one profile's credential, keeping the rest of the document and any unknown
 * fields of the entry it replaces (when the type is the same).
 *
 * @remarks
 * `reset` says what happens to the profile's usage stats:
 * - `"failures"` (default, for a new credential from a writer): cooldown, disable, error counts and
 *   `forceRefresh` are cleared (a new key deserves a try); `lastUsed` is kept.
 * - `"forceRefresh"` (for refreshed OAuth tokens of the same login): only the `forceRefresh` flag
 *   is cleared; cooldowns stay.
 *
 * @param data - the current document
 * @param profileId - the id
 * @param entry - the new credential
 * @param reset - which usage stats the new credential clears
 * @returns the new document
 * @internal
 */
export function withProfile(data: StoreData, profileId: string, entry: StoredCredential, reset: "failures" | "forceRefresh" = "failures"): StoreData {
  const previous = Object.hasOwn(data.profiles, profileId) ? data.profiles[profileId] : undefined;
  const kept = previous !== undefined && previous.type === entry.type ? previous : {};
  const next: StoreData = { ...data, profiles: { ...data.profiles, [profileId]: { ...kept, ...entry } } };
  if (reset === "forceRefresh") return withoutForceRefresh(next, profileId);
  const stats = data.usageStats?.[profileId];
  if (stats === undefined) return next;
  const { cooldownUntil: _c, cooldownReason: _cr, cooldownModel: _cm, familyCooldowns: _fc, disabledUntil: _d, disabledReason: _dr, errorCount: _e, failureCounts: _f, forceRefresh: _r, ...rest } = stats;
  return withStats(next, profileId, rest);
}

/**
 * Stores a family's last rate-limit reading in `usageStats[id].rateLimits[family]`, so other
 * processes and hosts sharing the store see the headroom too.
 *
 * @param data - the document (not mutated)
 * @param profileId - the profile
 * @param family - the model family
 * @param limits - the reading (see `toStoredRateLimits`)
 * @returns the new document
 * @internal
 */
export function withRateLimits(data: StoreData, profileId: string, family: string, limits: StoredRateLimits): StoreData {
  const stats = data.usageStats?.[profileId] ?? {};
  const previous = typeof stats.rateLimits === "object" && stats.rateLimits !== null ? stats.rateLimits : {};
  return withStats(data, profileId, { ...stats, rateLimits: { ...previous, [family]: limits } });
}

function withStats(data: StoreData, profileId: string, stats: UsageStats): StoreData {
  return { ...data, usageStats: { ...data.usageStats, [profileId]: stats } };
}

/**
 * Moves `usageStats[id].lastUsed` forward (never back) for each `[profileId, at]`, touching nothing
 * else: the round-robin key, for in-memory picks and batched success records.
 *
 * @param data - the store document (not mutated)
 * @param entries - profile ids and the epoch ms they were used at
 * @returns the new document, or `data` itself when nothing moved
 * @internal
 */
export function withLastUsed(data: StoreData, entries: Iterable<readonly [string, number]>): StoreData {
  let usageStats: Record<string, UsageStats> | null = null;
  for (const [profileId, at] of entries) {
    const stats = (usageStats ?? data.usageStats ?? {})[profileId] ?? {};
    if ((stats.lastUsed ?? 0) >= at) continue;
    usageStats ??= { ...(data.usageStats ?? {}) };
    usageStats[profileId] = { ...stats, lastUsed: at };
  }
  return usageStats === null ? data : { ...data, usageStats };
}
