import type { Clock } from "../model/clock.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import type { RecordFailureOptions } from "../selection/cooldown.js";
import { withClearedCooldown, withFailure, withForceRefresh, withLastUsed, withRateLimits, withSuccess } from "../selection/usage.js";
import type { CooldownPolicy, FailureOutcome, FailureReason } from "../model/failure.js";
import type { ProfileStore, StoreData, StoredRateLimits, UsageStats } from "../model/store.js";

/** A family's rate-limit reading to store with an outcome. @internal */
export interface FamilyLimits {
  /** The model family. */
  readonly family: string;
  /** What to store. */
  readonly stored: StoredRateLimits;
}
import type { Logger } from "../model/logger.js";
import { familyCooldownOf } from "../selection/family-cooldown.js";

/** Successes that only move `lastUsed` are written at most this often. @internal */
export const SUCCESS_FLUSH_INTERVAL_MS = 1_000;

/**
 * Writes usage outcomes to the store. Failures and successes that clear a cooldown are written at
 * once, under the store lock. A success that only moves `lastUsed` (the common case) is batched and
 * written at most once a second, so a busy bot does not take the lock on every request.
 *
 * @internal
 */
export class UsageWriter {
  readonly #store: ProfileStore;
  readonly #now: Clock;
  readonly #logger: Logger;
  readonly #adopt: (data: StoreData) => void;
  readonly #pending = new Map<string, { provider: string; at: number }>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;

  /**
   * @param store - the store
   * @param now - clock
   * @param logger - logger
   * @param adopt - hands each written document to the resolver's cache
   */
  constructor(store: ProfileStore, now: Clock, logger: Logger, adopt: (data: StoreData) => void) {
    this.#store = store;
    this.#now = now;
    this.#logger = logger;
    this.#adopt = adopt;
  }

  /**
   * @param profileId - the profile
   * @param reason - the classified reason
   * @param policy - the cooldown policy
   * @param options - `retryAfterMs`, family, model, quota reset and lane of the failure
   * @param forceRefresh - also flag an OAuth token for a forced refresh
   * @param limits - the failed response's rate-limit reading, stored in the same write
   * @returns the outcome
   */
  async failure(
    profileId: string,
    reason: FailureReason,
    policy: CooldownPolicy,
    options: RecordFailureOptions,
    forceRefresh: boolean,
    limits: FamilyLimits | null = null,
  ): Promise<FailureOutcome> {
    const { result, data } = await this.#store.update((read) => {
      const now = this.#now();
      const current = limits === null ? read : withRateLimits(read, profileId, limits.family, limits.stored);
      const applied = withFailure(current, profileId, reason, now, policy, options);
      if (!forceRefresh) return { data: applied.data, result: applied.outcome };
      // First 401 on an unexpired OAuth token: a refresh may fix it, so refresh instead of resting.
      const before = current.usageStats?.[profileId];
      const recent = before?.lastFailureAt !== undefined && now - before.lastFailureAt < policy.failureWindowMs;
      if (recent && (before?.failureCounts?.auth ?? 0) > 0) return { data: withForceRefresh(applied.data, profileId), result: applied.outcome };
      const stats = applied.data.usageStats?.[profileId] ?? {};
      const { cooldownUntil: _dropped, cooldownReason: _reason, ...rest } = stats;
      const restored = before?.cooldownUntil === undefined ? rest : { ...rest, cooldownUntil: before.cooldownUntil };
      const data = withForceRefresh({ ...applied.data, usageStats: { ...applied.data.usageStats, [profileId]: restored } }, profileId);
      return { data, result: { reason, unusableUntil: null } };
    });
    this.#adopt(data);
    return result;
  }

  /**
   * @param profileId - the profile
   * @param provider - its provider
   * @param stats - its current usage stats, as cached
   * @param family - the call's model family, when known
   */
  async success(profileId: string, provider: string, stats: UsageStats | undefined, family: string | null = null): Promise<void> {
    const at = this.#now();
    if (!needsClearing(stats, family, at)) {
      this.#pending.set(profileId, { provider, at });
      this.#timer ??= setTimeout(() => void this.flush(), SUCCESS_FLUSH_INTERVAL_MS).unref();
      return;
    }
    this.#pending.delete(profileId);
    const { data } = await this.#store.update((current) => ({ data: withSuccess(current, profileId, provider, at, family), result: undefined }));
    this.#adopt(data);
  }

  /**
   * Stores a family's rate-limit reading (when exhaustion starts, ends or its reset moves).
   *
   * @param profileId - the profile
   * @param limits - the family and its reading
   */
  async limits(profileId: string, limits: FamilyLimits): Promise<void> {
    const { data } = await this.#store.update((current) => ({ data: withRateLimits(current, profileId, limits.family, limits.stored), result: undefined }));
    this.#adopt(data);
  }

  /** @param profileId - the profile whose cooldown and disable are cleared */
  async clear(profileId: string): Promise<void> {
    const { data } = await this.#store.update((current) => ({ data: withClearedCooldown(current, profileId), result: undefined }));
    this.#adopt(data);
  }

  /** Writes batched successes now. Never throws (logs instead). */
  async flush(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#flushing !== null) await this.#flushing;
    if (this.#pending.size === 0) return;
    const batch = new Map(this.#pending);
    this.#pending.clear();
    this.#flushing = this.#store
      .update((current) => ({ data: withBatchedSuccesses(current, batch), result: undefined }))
      .then(({ data }) => this.#adopt(data))
      .catch((error: unknown) => {
        this.#logger.warn(`auth-profiles: could not record lastUsed (${describe(error)}); will retry.`);
        for (const [id, entry] of batch) if (!this.#pending.has(id)) this.#pending.set(id, entry);
      })
      .finally(() => {
        this.#flushing = null;
      });
    await this.#flushing;
  }
}

function needsClearing(stats: UsageStats | undefined, family: string | null, now: number): boolean {
  if (stats === undefined) return false;
  // Another family's cooldown is no reason for a locked write on every success of this one.
  const slotIsOtherFamily = stats.cooldownModel !== undefined && familyCooldownOf(stats, family, now) === null && (stats.errorCount ?? 0) === 0;
  return (
    (stats.errorCount ?? 0) > 0 ||
    (stats.cooldownUntil !== undefined && !slotIsOtherFamily) ||
    (family !== null && stats.familyCooldowns?.[family] !== undefined) ||
    stats.disabledUntil !== undefined ||
    stats.forceRefresh === true ||
    (stats.failureCounts !== undefined && Object.keys(stats.failureCounts).length > 0)
  );
}

/** Records batched successes: `lastUsed` moves forward and `lastGood` names each provider's latest. */
function withBatchedSuccesses(data: StoreData, batch: ReadonlyMap<string, { provider: string; at: number }>): StoreData {
  const known = [...batch].filter(([id]) => data.profiles[id] !== undefined || id === CLAUDE_CLI_PROFILE_ID);
  const lastGood: Record<string, string> = { ...(data.lastGood ?? {}) };
  const latest = new Map<string, number>();
  for (const [id, { provider, at }] of known) {
    if ((latest.get(provider) ?? -1) < at) {
      latest.set(provider, at);
      lastGood[provider] = id;
    }
  }
  return { ...withLastUsed(data, known.map(([id, { at }]) => [id, at] as const)), lastGood };
}

function describe(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "error";
}
