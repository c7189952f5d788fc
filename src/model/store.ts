import type { FailureReason } from "./failure.js";

/**
 * A stored API key (`type: "api_key"`). Unknown fields are kept on rewrite.
 *
 * @category Store
 */
export interface ApiKeyProfile {
  /** The credential type discriminator. */
  readonly type: "api_key";
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** The API key (`sk-ant-api03-…`). */
  readonly key: string;
  /** The account e-mail, when known. */
  readonly email?: string;
  readonly [extra: string]: unknown;
}

/**
 * A static bearer token such as a setup-token (`type: "token"`), never refreshed.
 *
 * @category Store
 */
export interface TokenProfile {
  /** The credential type discriminator. */
  readonly type: "token";
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** The bearer token (`sk-ant-oat01-…`). */
  readonly token: string;
  /** Epoch ms; absent or `0` means it does not expire. */
  readonly expires?: number;
  /** The account e-mail, when known. */
  readonly email?: string;
  readonly [extra: string]: unknown;
}

/**
 * A refreshable OAuth login (`type: "oauth"`).
 *
 * @category Store
 */
export interface OAuthProfile {
  /** The credential type discriminator. */
  readonly type: "oauth";
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** The access token (`sk-ant-oat01-…`). */
  readonly access: string;
  /** The rotating refresh token (`sk-ant-ort01-…`). */
  readonly refresh: string;
  /** Epoch ms at which `access` expires. */
  readonly expires: number;
  /** The account e-mail, when known. */
  readonly email?: string;
  /** The OAuth client id the tokens were issued to, when it is not the default one. */
  readonly clientId?: string;
  /** The provider's account id, when known. */
  readonly accountId?: string;
  /** The provider's project id, when known. */
  readonly projectId?: string;
  /** The enterprise base URL, for providers that have one. */
  readonly enterpriseUrl?: string;
  readonly [extra: string]: unknown;
}

/**
 * A stored entry whose `type` this version does not know: kept on rewrite, never selected.
 *
 * @category Store
 */
export interface UnknownProfile {
  /** The credential type discriminator. */
  readonly type: string;
  /** The provider id, e.g. `anthropic`. */
  readonly provider?: string;
  readonly [extra: string]: unknown;
}

/**
 * Any credential entry of `auth-profiles.json` that this library can use.
 *
 * @category Store
 */
export type StoredCredential = ApiKeyProfile | TokenProfile | OAuthProfile;

/**
 * A failure reason written by another program that this version does not know (OpenClaw writes
 * `auth_permanent`, `model_not_found`, `session_expired`, …). It is kept as written on rewrite and
 * read as "no known reason".
 *
 * @category Store
 */
export type StoredReason = string;

/**
 * Entries of a store document that this version cannot use, kept aside so that a rewrite puts
 * them back exactly as they were. Reached through {@link KEPT_ENTRIES}.
 *
 * @remarks
 * A symbol key survives the object spreads mutators use (`{ ...current, profiles }`) but not
 * `JSON.stringify`, so only `serializeStore` writes the entries back, and only selection and
 * status code that asks for them sees them.
 *
 * @category Store
 */
export interface KeptEntry {
  /** The top-level section: `profiles`, `order`, `lastGood` or `usageStats`. */
  readonly section: string;
  /** The key inside the section (profile id or provider), or `null` when the whole section is unusable. */
  readonly key: string | null;
  /** The value exactly as read. */
  readonly raw: unknown;
  /** Its position in the section when it was read (0-based), so a rewrite keeps the file's order. */
  readonly index: number;
  /** Why it cannot be used: a JSON path and a problem, never a value. */
  readonly problem: string;
}

/**
 * The symbol under which a {@link StoreData} holds its {@link KeptEntry} list.
 *
 * @category Store
 */
export const KEPT_ENTRIES: unique symbol = Symbol.for("auth-profiles.keptEntries");

/**
 * OpenClaw's per-profile usage and cooldown fields (epoch ms).
 *
 * @category Store
 */
export interface UsageStats {
  /** Epoch ms of the last success (round-robin key). */
  readonly lastUsed?: number;
  /** Epoch ms until which the profile rests after a transient failure. */
  readonly cooldownUntil?: number;
  /** The reason of the current cooldown; a reason this version does not know is kept as written. */
  readonly cooldownReason?: FailureReason | StoredReason;
  /** Epoch ms until which the profile is disabled (billing). */
  readonly disabledUntil?: number;
  /** The reason of the current disable; a reason this version does not know is kept as written. */
  readonly disabledReason?: FailureReason | StoredReason;
  /** Failures inside the current failure window. */
  readonly errorCount?: number;
  /** Failures per reason inside the current failure window. */
  readonly failureCounts?: Readonly<Partial<Record<FailureReason, number>>>;
  /** Epoch ms of the last failure. */
  readonly lastFailureAt?: number;
  /** Set by a 401 on an unexpired OAuth token: the next resolve refreshes first. */
  readonly forceRefresh?: boolean;
  /**
   * OpenClaw's field (≥ 2026.3): the model id the current `cooldownUntil` applies to; absent for a
   * profile-wide cooldown. Read here as a cooldown of that model's family.
   */
  readonly cooldownModel?: string;
  /** This library's cooldowns scoped to one model family, by family (`opus`, `sonnet:fast`, …). */
  readonly familyCooldowns?: Readonly<Record<string, FamilyCooldown>>;
  /** The last known rate-limit headroom per model family (see `parseRateLimitHeaders`). */
  readonly rateLimits?: Readonly<Record<string, StoredRateLimits>>;
  readonly [extra: string]: unknown;
}

/**
 * A cooldown of one (profile, model family) pair.
 *
 * @category Selection
 */
export interface FamilyCooldown {
  /** Epoch ms until which the family rests on this profile. */
  readonly until: number;
  /** Why (`rate_limit`, `overloaded`, `timeout`, `unknown`). */
  readonly reason: string;
  /** The model id that failed (mirrored to OpenClaw's `cooldownModel`). */
  readonly model?: string;
  /** Failures of this family in the failure window (its ladder position). */
  readonly count?: number;
}

/**
 * What the store keeps of a family's rate-limit headers: written when exhaustion starts, moves or ends.
 *
 * @category Selection
 */
export interface StoredRateLimits {
  /** Epoch ms of the response the figures come from. */
  readonly at: number;
  /** Epoch ms until which a window is known to be exhausted, or absent when there is headroom. */
  readonly exhaustedUntil?: number;
  /** The exhausted window (`requests`, `tokens`, `unified`, `5h`, …). */
  readonly window?: string;
  /** `true` when the exhaustion is only a utilization at or above the threshold (tried last, not skipped). */
  readonly soft?: boolean;
}

/**
 * The whole `auth-profiles.json` document (version 1). Unknown top-level fields are kept.
 *
 * @category Store
 */
export interface StoreData {
  /** Always 1. */
  readonly version: 1;
  /** Profile metadata (or credentials, in the store) keyed by profile id. */
  readonly profiles: Readonly<Record<string, StoredCredential | UnknownProfile>>;
  /** Explicit profile order per provider. */
  readonly order?: Readonly<Record<string, readonly string[]>>;
  /** The last profile that succeeded, per provider (informational). */
  readonly lastGood?: Readonly<Record<string, string>>;
  /** Usage and cooldown state per profile id. */
  readonly usageStats?: Readonly<Record<string, UsageStats>>;
  /** Entries read but not usable by this version, written back unchanged (see {@link KeptEntry}). */
  readonly [KEPT_ENTRIES]?: readonly KeptEntry[];
  readonly [extra: string]: unknown;
}

/**
 * What a store mutator returns: the new document (omit it to write nothing) and a result for the
 * caller of {@link ProfileStore.update}.
 *
 * @category Store
 */
export interface StoreMutation<T> {
  /** The new document; `undefined` means "nothing changed, do not write". */
  readonly data?: StoreData | undefined;
  /** Passed back to the caller. */
  readonly result: T;
}

/**
 * A read-modify-write step, run under the store's lock against a fresh read. Must not mutate its input:
 * return new objects for what changes. The documents a store hands out are frozen, so a change in place
 * throws a `TypeError` (the update fails, the file is untouched) instead of being silently lost.
 *
 * @category Store
 */
export type StoreMutator<T> = (current: StoreData) => StoreMutation<T> | Promise<StoreMutation<T>>;

/**
 * What {@link ProfileStore.update} resolves to.
 *
 * @category Store
 */
export interface StoreUpdateResult<T> {
  /** The mutator's result. */
  readonly result: T;
  /** The document as it is now (written, or unchanged). */
  readonly data: StoreData;
}

/**
 * Options of {@link ProfileStore.watch}.
 *
 * @category Store
 */
export interface WatchOptions {
  /** Skip changes made through this same store object (a hint; default `false`). */
  readonly ignoreOwnWrites?: boolean;
}

/**
 * A rotated OAuth pair the token endpoint just issued, recorded before anything else can fail
 * (Anthropic invalidates the spent refresh token the moment it answers).
 *
 * @category Store
 */
export interface TokenRotation {
  /** The profile refreshed. */
  readonly profileId: string;
  /** The new access token. */
  readonly access: string;
  /** The new refresh token. */
  readonly refresh: string;
  /** Epoch ms at which `access` expires. */
  readonly expires: number;
  /** A digest of the spent refresh token (never the token): the stored entry this pair replaces. */
  readonly replaces: string;
  /** Epoch ms at which it was recorded. */
  readonly at: number;
}

/**
 * Where profiles live: a file (`createFileProfileStore`) or any shared backend.
 *
 * @remarks
 * `update` is an atomic read-modify-write across processes (and hosts, for shared backends): two
 * concurrent updates never lose each other's changes.
 *
 * @category Store
 */
export interface ProfileStore {
  /** Where the store lives, for messages (a file path, or a URL without password). */
  readonly path: string;
  /** Reads the current document; an absent store reads as an empty document. */
  read(): Promise<StoreData>;
  /** Locks, re-reads, applies `mutator`, writes atomically when it returned `data`, unlocks. */
  update<T>(mutator: StoreMutator<T>): Promise<StoreUpdateResult<T>>;
  /**
   * Calls `onChange` soon (within a second) after anyone changes the store. Must not keep the
   * process alive.
   *
   * @param onChange - called after a change
   * @param options - `ignoreOwnWrites`: a hint that changes made through this same store object
   *   need not be reported (the caller already holds what `update` returned); a store may ignore it
   * @returns a function that stops watching
   */
  watch(onChange: () => void, options?: WatchOptions): () => void;
  /**
   * Optional: runs `work` while holding a cross-process lock dedicated to refreshing `profileId`,
   * for backends whose `update` is optimistic (retried) rather than locked. A file store omits it:
   * its `update` already holds a lock.
   */
  withRefreshLock?<T>(profileId: string, work: () => Promise<T>): Promise<T>;
  /** Releases timers and connections; idempotent. */
  close?(): Promise<void>;
  /**
   * Optional: the profile ids that another agent's store holds in the same backend (ids only: no
   * secret is read or decrypted), empty when that agent has none. `status()` uses it to tell a
   * shared config's entries that belong to other agents from missing ones. The Redis store
   * implements it; a file or SQLite store has no need (other agents are found on disk).
   *
   * @param agentId - the other agent
   * @returns its profile ids
   */
  profileIdsOfAgent?(agentId: string): Promise<readonly string[]>;
  /**
   * Optional: where a resolver keeps its recovery journal of rotated OAuth pairs for this store (a
   * local file, 0600). The file store sets it to `<path>.refresh-journal`; without it a rotated pair
   * that cannot be written is held in memory only.
   */
  readonly refreshJournalPath?: string | undefined;
  /**
   * Optional: makes a rotated OAuth pair durable right after the token endpoint answered, before
   * the store write that can fail (full disk, lost lock, stalled backend). Never throws: a failure
   * is logged and the pair is held in memory. Set by the resolver's journal wrapper.
   */
  recordRotation?(rotation: TokenRotation): Promise<void>;
}
