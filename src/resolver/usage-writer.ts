import type { Clock } from "../model/clock.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import { keptProfile } from "../store/kept-entries.js";
import type { RecordFailureOptions } from "../selection/cooldown.js";
import { withClearedCooldown, withLastUsed, withRateLimits, withSuccess } from "../selection/usage.js";
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
import { applyFailureRecord, type FailureRecord } from "./failure-record.js";

/** Successes that only move `lastUsed` are written at most this often. @internal */
export const SUCCESS_FLUSH_INTERVAL_MS = 1_000;
/** A failure record that could not be written is tried again after this long. */
export const FAILURE_RETRY_MS = 1_000;
/**
 * How long a reported failure waits before its write starts: a failover's next attempt goes out at
 * once, and the write (lock, read, validation, fsyncs) would otherwise compete with it for this
 * process's event loop. Failures reported meanwhile join the same write. @internal
 */
export const FAILURE_WRITE_DELAY_MS = 20;

/** What a {@link UsageWriter} works with. @internal */
export interface UsageWriterDeps {
  /** The store. */
  readonly store: ProfileStore;
  /** Clock. */
  readonly now: Clock;
  /** Logger. */
  readonly logger: Logger;
  /** Hands each written document to the resolver's cache. */
  readonly adopt: (data: StoreData) => void;
  /**
   * Hands a document written for batched successes to the resolver's cache, with the profiles
   * whose `lastUsed` it moved (so the cache can keep its orders when nothing else changed).
   */
  readonly adoptUsage: (data: StoreData, moved: ReadonlySet<string>) => void;
  /** The document as the resolver sees it now (pending failures applied). */
  readonly current: () => Promise<StoreData>;
  /** Tells the resolver that the pending failures changed (rebuild its view through {@link UsageWriter.overlay}). */
  readonly pendingChanged: () => void;
}

/**
 * Writes usage outcomes to the store.
 *
 * @remarks
 * - A failure is applied in memory at once (the next resolve skips the profile) and written behind,
 *   under the store lock, starting {@link FAILURE_WRITE_DELAY_MS} later (so it does not compete with
 *   the failover attempt that follows at once): failures reported meanwhile, or while a write is in
 *   flight, go out together in one write. Until written they are laid over every document the resolver reads ({@link overlay}), so a
 *   re-read cannot lose them; `flush()` (called by `close()`) waits for them. The trade: a crash
 *   within those few milliseconds loses an advisory cooldown, never a credential.
 * - A first 401 on an unexpired OAuth token (a forced refresh), a success that clears a cooldown, and
 *   `clear` are written at once, after the pending failures, so they land in report order.
 * - A success that only moves `lastUsed` (the common case) is batched and written at most once a
 *   second, so a busy bot does not take the lock on every request. The written document is
 *   adopted without re-sorting the orders when nobody else changed the store meanwhile.
 *
 * @internal
 */
export class UsageWriter {
  readonly #store: ProfileStore;
  readonly #now: Clock;
  readonly #logger: Logger;
  readonly #adopt: (data: StoreData) => void;
  readonly #adoptUsage: (data: StoreData, moved: ReadonlySet<string>) => void;
  readonly #current: () => Promise<StoreData>;
  readonly #pendingChanged: () => void;
  readonly #pending = new Map<string, { provider: string; at: number }>();
  readonly #failures: FailureRecord[] = [];
  #failureWrite: Promise<void> | null = null;
  #failureRetry: NodeJS.Timeout | null = null;
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #stopped = false;

  /** @param deps - store, clock, logger and the resolver's cache hooks */
  constructor(deps: UsageWriterDeps) {
    this.#store = deps.store;
    this.#now = deps.now;
    this.#logger = deps.logger;
    this.#adopt = deps.adopt;
    this.#adoptUsage = deps.adoptUsage;
    this.#current = deps.current;
    this.#pendingChanged = deps.pendingChanged;
  }

  /**
   * @param data - a document as read or written
   * @returns it with the failures not yet written applied (itself when there are none)
   */
  overlay(data: StoreData): StoreData {
    let out = data;
    for (const record of this.#failures) out = applyFailureRecord(out, record).data;
    return out;
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
    const record: FailureRecord = { profileId, reason, policy, options, forceRefresh, limits, at: this.#now() };
    if (forceRefresh) {
      // OAuth state that a refresh reads from disk: written at once, like every token write.
      await this.flushFailures();
      const { result, data } = await this.#store.update((current) => {
        const applied = applyFailureRecord(current, { ...record, at: this.#now() });
        return { data: applied.data, result: applied.outcome };
      });
      this.#adopt(data);
      return result;
    }
    const { outcome } = applyFailureRecord(await this.#current(), record);
    this.#failures.push(record);
    this.#pendingChanged();
    // A write in flight picks the record up when it is done; else one starts shortly. The timer
    // keeps the process alive until then, so a script that exits without close() still writes.
    if (this.#failureWrite === null) this.#failureRetry ??= setTimeout(() => this.#writeFailures(), FAILURE_WRITE_DELAY_MS);
    return outcome;
  }

  /** Waits until the failures reported so far are written (or their write failed; it is retried). */
  async flushFailures(): Promise<void> {
    if (this.#failures.length > 0) this.#writeFailures();
    await this.#failureWrite;
  }

  #writeFailures(): void {
    if (this.#failureRetry !== null) clearTimeout(this.#failureRetry);
    this.#failureRetry = null;
    this.#failureWrite ??= (async () => {
      try {
        while (this.#failures.length > 0) {
          const batch = this.#failures.slice();
          const { data } = await this.#store.update((current) => ({ data: batch.reduce((doc, r) => applyFailureRecord(doc, r).data, current), result: undefined }));
          this.#failures.splice(0, batch.length);
          this.#adopt(data);
        }
      } catch (error) {
        this.#logger.warn(`auth-profiles: could not record ${this.#failures.length} failure(s) (${describe(error)}); kept in memory, will retry.`);
        if (!this.#stopped) this.#failureRetry = setTimeout(() => this.#writeFailures(), FAILURE_RETRY_MS).unref();
      } finally {
        this.#failureWrite = null;
      }
    })();
  }

  /**
   * @param profileId - the profile
   * @param provider - its provider
   * @param stats - its current usage stats, as cached
   * @param family - the call's model family, when known
   */
  async success(profileId: string, provider: string, stats: UsageStats | undefined, family: string | null = null): Promise<void> {
    const at = this.#now();
    if (this.batchSuccess(profileId, provider, stats, family, at)) return;
    this.#pending.delete(profileId);
    await this.flushFailures();
    const { data } = await this.#store.update((current) => ({ data: withSuccess(current, profileId, provider, at, family), result: undefined }));
    this.#adopt(data);
  }

  /**
   * @param stats - the profile's current usage stats, as cached
   * @param family - the call's model family, when known
   * @param at - epoch ms of the success
   * @returns whether a success must be written at once (it clears a cooldown or a failure count)
   */
  successNeedsWrite(stats: UsageStats | undefined, family: string | null, at: number): boolean {
    return needsClearing(stats, family, at);
  }

  /**
   * The synchronous part of {@link UsageWriter.success}: batches a success that only moves
   * `lastUsed` (the holder of an already pending one is updated in place).
   *
   * @param profileId - the profile
   * @param provider - its provider
   * @param stats - its current usage stats, as cached
   * @param family - the call's model family, when known
   * @param at - epoch ms of the success
   * @returns `false`, having done nothing, when the success must be written at once ({@link UsageWriter.success})
   */
  batchSuccess(profileId: string, provider: string, stats: UsageStats | undefined, family: string | null, at: number): boolean {
    if (needsClearing(stats, family, at)) return false;
    const held = this.#pending.get(profileId);
    if (held !== undefined && held.provider === provider) held.at = at;
    else this.#pending.set(profileId, { provider, at });
    this.#timer ??= setTimeout(() => void this.flush(), SUCCESS_FLUSH_INTERVAL_MS).unref();
    return true;
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
    await this.flushFailures();
    const { data } = await this.#store.update((current) => ({ data: withClearedCooldown(current, profileId), result: undefined }));
    this.#adopt(data);
  }

  /** Stops retry and batch timers for good (after the final `flush()` of `close()`). */
  stop(): void {
    this.#stopped = true;
    if (this.#failureRetry !== null) clearTimeout(this.#failureRetry);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#failureRetry = null;
    this.#timer = null;
  }

  /** Writes pending failures and batched successes now. Never throws (logs instead). */
  async flush(): Promise<void> {
    await this.flushFailures();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#flushing !== null) await this.#flushing;
    if (this.#pending.size === 0) return;
    const batch = new Map(this.#pending);
    this.#pending.clear();
    this.#flushing = this.#store
      .update((current) => ({ data: withBatchedSuccesses(current, batch), result: undefined }))
      .then(({ data }) => this.#adoptUsage(data, new Set(batch.keys())))
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
  // A profile the store keeps as written (a secret reference, an entry of a newer shape) is still
  // the store's: its usage is recorded like any other's, the entry itself untouched.
  const known = [...batch].filter(([id]) => Object.hasOwn(data.profiles, id) || id === CLAUDE_CLI_PROFILE_ID || keptProfile(data, id) !== undefined);
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
