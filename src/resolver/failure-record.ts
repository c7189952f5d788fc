import type { RecordFailureOptions } from "../selection/cooldown.js";
import { withFailure, withForceRefresh, withRateLimits } from "../selection/usage.js";
import type { CooldownPolicy, FailureOutcome, FailureReason } from "../model/failure.js";
import type { StoreData, StoredRateLimits } from "../model/store.js";

/** One reported failure, as applied to a store document. @internal */
export interface FailureRecord {
  /** The profile that failed. */
  readonly profileId: string;
  /** The classified reason. */
  readonly reason: FailureReason;
  /** The cooldown policy. */
  readonly policy: CooldownPolicy;
  /** `retryAfterMs`, family, model, quota reset and lane of the failure. */
  readonly options: RecordFailureOptions;
  /** The failed response's rate-limit reading of a model family, stored with the failure. */
  readonly limits: { readonly family: string; readonly stored: StoredRateLimits } | null;
  /** Also flag an OAuth token for a forced refresh (a first 401 on an unexpired token). */
  readonly forceRefresh: boolean;
  /** When it was reported, epoch ms. */
  readonly at: number;
}

/**
 * Applies a failure to a store document: cooldown per policy, or, for the first 401 on an unexpired
 * OAuth token, a forced refresh instead of a rest (a refresh may fix it).
 *
 * @param current - the document (not mutated)
 * @param record - the failure
 * @returns the new document and the outcome
 * @internal
 */
export function applyFailureRecord(read: StoreData, record: FailureRecord): { readonly data: StoreData; readonly outcome: FailureOutcome } {
  const { profileId, reason, policy, options, forceRefresh, limits, at: now } = record;
  const current = limits === null ? read : withRateLimits(read, profileId, limits.family, limits.stored);
  const applied = withFailure(current, profileId, reason, now, policy, options);
  if (!forceRefresh) return applied;
  const before = current.usageStats?.[profileId];
  const recent = before?.lastFailureAt !== undefined && now - before.lastFailureAt < policy.failureWindowMs;
  if (recent && (before?.failureCounts?.auth ?? 0) > 0) return { data: withForceRefresh(applied.data, profileId), outcome: applied.outcome };
  const stats = applied.data.usageStats?.[profileId] ?? {};
  const { cooldownUntil: _dropped, cooldownReason: _reason, ...rest } = stats;
  const restored = before?.cooldownUntil === undefined ? rest : { ...rest, cooldownUntil: before.cooldownUntil };
  const data = withForceRefresh({ ...applied.data, usageStats: { ...applied.data.usageStats, [profileId]: restored } }, profileId);
  return { data, outcome: { reason, unusableUntil: null } };
}
