import { AuthProfilesError, isAuthProfilesError } from "../model/errors.js";
import type { Logger } from "../model/logger.js";
import type { OAuthProfile, ProfileStore, StoreData, StoreMutator, StoreUpdateResult, TokenRotation } from "../model/store.js";
import { createRefreshJournal, refreshTokenDigest, type RefreshJournal } from "./refresh-journal.js";

/** First pause before saving a held login again after a failed write; it doubles up to the max. @internal */
export const HELD_LOGIN_RETRY_MIN_MS = 1_000;
/** Longest pause between two attempts to save a held login. @internal */
export const HELD_LOGIN_RETRY_MAX_MS = 30_000;

/** A rotated OAuth login the store does not hold yet (secret-free). @internal */
export interface HeldLogin {
  /** The profile. */
  readonly profileId: string;
  /** Epoch ms at which its access token expires. */
  readonly expires: number;
  /** Epoch ms at which the token endpoint issued it. */
  readonly since: number;
  /** `journal`: also in the recovery journal on disk; `memory`: only in this process. */
  readonly heldIn: "journal" | "memory";
  /** `true` when it was recovered from the journal (a previous process could not save it). */
  readonly recovered: boolean;
}

/** Options of {@link withHeldLogins}. @internal */
export interface HeldLoginsOptions {
  /** The recovery journal file, or `null` to hold rotated pairs in memory only. */
  readonly journalPath: string | null;
  /** Told about recoveries and failed saves (secret-free). */
  readonly logger: Logger;
  /** First retry pause. Default {@link HELD_LOGIN_RETRY_MIN_MS}. */
  readonly retryMinMs?: number;
  /** Longest retry pause. Default {@link HELD_LOGIN_RETRY_MAX_MS}. */
  readonly retryMaxMs?: number;
  /** Whether `close()` also closes the wrapped store (the resolver created it). Default `true`. */
  readonly closeInner?: boolean;
}

/** A store that never loses a rotated OAuth pair. @internal */
export interface HeldLoginsStore extends ProfileStore {
  /** Records a rotated pair: in memory at once, then an fsynced append to the journal. Never throws. */
  recordRotation(rotation: TokenRotation): Promise<void>;
  /** The rotated logins not (yet) in the store. */
  heldLogins(): readonly HeldLogin[];
  /** Stops the retry timer, then closes the wrapped store when it owns it. */
  close(): Promise<void>;
}

interface Held {
  readonly rotation: TokenRotation;
  journaled: boolean;
  recovered: boolean;
}

/**
 * Wraps a store so that a rotated OAuth pair survives a failed store write and a crash.
 *
 * @remarks
 * Anthropic invalidates a refresh token the moment it answers with the next one, so the new pair
 * is the only valid login there is. `recordRotation` (called by the refresh right after the
 * answer) keeps it in memory and appends it, fsynced, to the journal. Every `read` and `update`
 * then lays the held and journaled pairs over the stored document: a pair applies when the stored
 * entry still holds the refresh token it replaced (compared by digest), so a newer login saved
 * meanwhile always wins. An `update` writes applied pairs along with its own change; once the
 * store holds a pair it is dropped from memory and trimmed from the journal, under the store's
 * lock. A failed write leaves the pairs held, says so in the error, and is retried in the
 * background (1 s doubling to 30 s, the timer never keeps the process alive).
 *
 * These writes stay synchronous and durable: a rotated token is never written behind.
 *
 * @param store - the store to wrap
 * @param options - journal path, logger and retry pauses
 * @returns the wrapped store
 * @internal
 */
export function withHeldLogins(store: ProfileStore, options: HeldLoginsOptions): HeldLoginsStore {
  const journal: RefreshJournal | null = options.journalPath === null ? null : createRefreshJournal(options.journalPath);
  const logger = options.logger;
  const retryMinMs = options.retryMinMs ?? HELD_LOGIN_RETRY_MIN_MS;
  const retryMaxMs = options.retryMaxMs ?? HELD_LOGIN_RETRY_MAX_MS;
  /** Held pairs by the digest of the refresh token they replace. */
  const held = new Map<string, Held>();
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;
  let trimming: Promise<void> = Promise.resolve();

  const journalEntries = async (): Promise<readonly TokenRotation[]> => {
    if (journal === null) return [];
    try {
      return await journal.entries();
    } catch (error) {
      logger.warn(`auth-profiles: could not read the recovery journal ${journal.path} (${codeOf(error)}).`);
      return [];
    }
  };

  /** Lays held and journaled pairs over `data`; forgets the ones the store holds or has outgrown. */
  const overlay = (data: StoreData, fromJournal: readonly TokenRotation[]): { data: StoreData; applied: number; settled: Set<TokenRotation> } => {
    const byKey = new Map<string, TokenRotation>();
    for (const rotation of fromJournal) byKey.set(rotation.replaces, rotation);
    for (const entry of held.values()) byKey.set(entry.rotation.replaces, entry.rotation);
    const rotations = [...byKey.values()].sort((a, b) => a.at - b.at);
    const settled = new Set<TokenRotation>();
    let profiles = data.profiles;
    let applied = 0;
    for (const rotation of rotations) {
      const found = profiles[rotation.profileId];
      const entry = found?.type === "oauth" ? (found as OAuthProfile) : null;
      const refresh = entry !== null && typeof entry.refresh === "string" ? entry.refresh : null;
      if (entry !== null && refresh !== null && refresh !== rotation.refresh && refreshTokenDigest(refresh) === rotation.replaces) {
        const next: OAuthProfile = { ...entry, access: rotation.access, refresh: rotation.refresh, expires: rotation.expires };
        profiles = { ...profiles, [rotation.profileId]: next };
        applied += 1;
        if (!held.has(rotation.replaces)) {
          held.set(rotation.replaces, { rotation, journaled: true, recovered: true });
          logger.warn(`auth-profiles: recovered the refreshed OAuth login of ${rotation.profileId} from ${journal?.path ?? "memory"}: the store did not hold it yet; it is saved with the next write.`);
        }
      } else {
        // The store holds this pair, or a login this pair knows nothing about (a newer sign-in, a
        // removed profile): nothing to apply, ever. Sorting by issue time lets chains apply in order.
        settled.add(rotation);
      }
    }
    for (const rotation of settled) held.delete(rotation.replaces);
    return { data: applied === 0 ? data : { ...data, profiles }, applied, settled };
  };

  const schedule = (): void => {
    if (closed || timer !== undefined || held.size === 0) return;
    const delayMs = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures, 16));
    timer = setTimeout(() => {
      timer = undefined;
      update(() => ({ result: undefined })).then(
        () => {
          failures = 0;
          schedule();
        },
        () => undefined, // update() counted the failure and scheduled the next attempt
      );
    }, delayMs);
    timer.unref();
  };

  const heldError = (error: unknown): unknown => {
    if (held.size === 0 || !isAuthProfilesError(error)) return error;
    const ids = [...new Set([...held.values()].map((h) => h.rotation.profileId))];
    const where = [...held.values()].every((h) => h.journaled) && journal !== null ? `in memory and in ${journal.path}` : "in memory";
    return new AuthProfilesError(error.code, `${error.message} The refreshed OAuth login of ${ids.map((id) => `"${id}"`).join(", ")} is held ${where} and is saved with the next successful write.`, {
      hint: error.hint,
      cause: error,
      details: { ...error.details, heldLogins: ids },
    });
  };

  async function update<T>(mutator: StoreMutator<T>): Promise<StoreUpdateResult<T>> {
    try {
      const outcome = await store.update<T>(async (current) => {
        const fromJournal = await journalEntries();
        const laid = overlay(current, fromJournal);
        // Under the store's lock (file store): trim what the store now holds. A failed trim only
        // leaves entries that later loads recognise as settled.
        if (journal !== null && fromJournal.some((rotation) => laid.settled.has(rotation))) {
          await journal.rewrite(fromJournal.filter((rotation) => !laid.settled.has(rotation))).catch((error: unknown) => {
            logger.debug(`auth-profiles: could not trim the recovery journal ${journal.path} (${codeOf(error)}).`);
          });
        }
        const mutation = await mutator(laid.data);
        if (mutation.data === undefined && laid.applied > 0) return { data: laid.data, result: mutation.result };
        return mutation;
      });
      // The store holds a journaled pair now: trim it from the journal with a no-op update (which
      // runs under the store's lock), so live tokens do not linger on disk.
      if (settle(outcome.data) && !closed) trimming = store.update(trimOnly).then(() => undefined, () => undefined);
      if (held.size > 0) schedule();
      return outcome;
    } catch (error) {
      if (held.size > 0) {
        failures += 1;
        schedule();
      }
      throw heldError(error);
    }
  }

  /** Drops held pairs that `data` (just written) holds; tells whether one of them was journaled. */
  const settle = (data: StoreData): boolean => {
    let journaled = false;
    for (const [key, entry] of held) {
      const stored = data.profiles[entry.rotation.profileId];
      if (stored?.type === "oauth" && stored["refresh"] === entry.rotation.refresh) {
        held.delete(key);
        journaled ||= entry.journaled;
      }
    }
    return journaled;
  };

  /** Rewrites the journal without the pairs `current` (read under the lock) already holds. */
  const trimOnly = async (current: StoreData): Promise<{ result: undefined }> => {
    if (journal === null) return { result: undefined };
    const fromJournal = await journalEntries();
    const keep = fromJournal.filter((rotation) => {
      const entry = current.profiles[rotation.profileId];
      const refresh = entry?.type === "oauth" ? (entry as OAuthProfile).refresh : null;
      return refresh !== null && refresh !== rotation.refresh && refreshTokenDigest(refresh) === rotation.replaces;
    });
    if (keep.length < fromJournal.length) await journal.rewrite(keep).catch(() => undefined);
    return { result: undefined };
  };

  const wrapped: HeldLoginsStore = {
    path: store.path,
    refreshJournalPath: journal?.path,
    async read() {
      const laid = overlay(await store.read(), await journalEntries());
      if (laid.applied > 0) schedule();
      return laid.data;
    },
    update,
    watch: (onChange, watchOptions) => store.watch(onChange, watchOptions),
    async recordRotation(rotation) {
      const entry: Held = { rotation, journaled: false, recovered: false };
      held.set(rotation.replaces, entry);
      if (journal === null) return;
      try {
        await journal.append(rotation);
        entry.journaled = true;
      } catch (error) {
        logger.error(`auth-profiles: could not write the recovery journal ${journal.path} (${codeOf(error)}); the refreshed OAuth login of ${rotation.profileId} is held in memory only until the store can be written.`);
      }
    },
    heldLogins() {
      return [...held.values()].map((h) => ({
        profileId: h.rotation.profileId,
        expires: h.rotation.expires,
        since: h.rotation.at,
        heldIn: h.journaled ? ("journal" as const) : ("memory" as const),
        recovered: h.recovered,
      }));
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await trimming;
      if (options.closeInner !== false) await store.close?.();
    },
  };
  if (store.withRefreshLock !== undefined) {
    const withRefreshLock = store.withRefreshLock.bind(store);
    return { ...wrapped, withRefreshLock };
  }
  return wrapped;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "error";
}
