import type { Clock } from "../../model/clock.js";
import { AuthProfilesError, isAuthProfilesError, formatEpochMs } from "../../model/errors.js";
import type { Logger } from "../../model/logger.js";
import type { OAuthProfile, ProfileStore, StoreData, StoredCredential } from "../../model/store.js";
import { RefreshError } from "./refresh-error.js";
import { isKnownCredential } from "../stored.js";
import { withProfile } from "../../selection/usage.js";
import { refreshWindow } from "../token-freshness.js";
import type { TokenRefreshResult } from "./token-endpoint.js";
import { maskedRotation, refreshTokenDigest } from "../../store/refresh-journal.js";
import { checkRefreshStoredOptions } from "../arguments.js";

/**
 * Spends a refresh token and returns the new pair: usually `requestTokenRefresh` bound to the
 * resolver's fetch, endpoint, client id, clock and the profile id.
 *
 * @category Credential sources
 */
export type OAuthTokenEndpoint = (refreshToken: string) => Promise<TokenRefreshResult>;

/**
 * Options of {@link refreshStoredOAuth}.
 *
 * @category Credential sources
 */
export interface RefreshStoredOAuthOptions {
  /** The store holding the profile. */
  readonly store: ProfileStore;
  /** The OAuth profile to refresh. */
  readonly profileId: string;
  /** Clock, epoch ms. */
  readonly now: Clock;
  /** Refresh when the token expires within this many ms (see `DEFAULT_REFRESH_MARGIN_MS`). */
  readonly refreshMarginMs: number;
  /** Refresh even when the token has not expired (after a 401). Default `false`. */
  readonly force?: boolean | undefined;
  /**
   * The access token the caller used (the one a 401 rejected). With `force`, a stored token that
   * differs from it was refreshed by someone else meanwhile and is returned as is.
   */
  readonly seenAccess?: string | undefined;
  /** Exchanges the stored refresh token for a new pair. */
  readonly endpoint: OAuthTokenEndpoint;
  /** Receives secret-free debug lines, and an error line when a rotated pair could not be saved. */
  readonly logger?: Logger | undefined;
  /**
   * Called instead of failing when the endpoint answered but the store could not be written (full
   * disk, lost lock, stalled backend): the new pair is the only valid login left, so it is returned
   * and held (see `withHeldLogins`) rather than dropped.
   */
  readonly onHeld?: ((profile: OAuthProfile, error: unknown) => void) | undefined;
}

/**
 * Tells whether an OAuth token must be refreshed now.
 *
 * @param profile - the stored OAuth profile (only `expires` is read)
 * @param now - epoch ms
 * @param marginMs - refresh this long before the expiry
 * @param forced - `true` after a 401: refresh regardless of the expiry
 * @returns `true` when forced, or when the token expires within `marginMs`
 * @internal
 */
export function needsRefresh(profile: Pick<OAuthProfile, "expires">, now: number, marginMs: number, forced: boolean): boolean {
  return refreshWindow(profile.expires, now, marginMs, forced) !== "fresh";
}

/**
 * Refreshes a stored OAuth profile at most once across processes: under the store's lock, against a
 * fresh read, and only if nobody else already did it.
 *
 * @remarks
 * Inside `store.update` (and inside `store.withRefreshLock` when the store has one, for shared
 * backends whose `update` is optimistic):
 * 1. the entry is re-read; gone → `NO_CREDENTIALS`; not `oauth` (replaced by a setup-token, say) →
 *    returned as is;
 * 2. if it is still fresh (expires beyond `now + refreshMarginMs`) and not forced, or forced but
 *    its access token differs from `seenAccess` and is fresh, another process refreshed it: it is
 *    returned with no token request and no write;
 * 3. otherwise the endpoint is called, and `{ ...old, access, refresh, expires }` is written (every
 *    other field kept; the rotated refresh token replaces the old one), clearing
 *    `usageStats[id].forceRefresh`;
 * 4. if the endpoint fails, nothing is written (the stored credential stays byte for byte) and the
 *    error is rethrown;
 * 5. once the endpoint answered, the pair goes to `store.recordRotation` (an fsynced journal append)
 *    before the store write; if that write then fails, the pair is returned anyway and
 *    `onHeld` is told (the resolver keeps serving it from memory and retries the write). The spent
 *    refresh token is never sent again: later loads lay the held pair over the store.
 *
 * A `usageStats[id].forceRefresh` flag left by another process (after its 401) forces the refresh
 * like `force`. The token request runs while the lock is held, which is why its timeout
 * (`DEFAULT_REFRESH_TIMEOUT_MS`) stays well under the lock's stale time.
 *
 * @param options - store, profile id, clock, margin, force, seen access token and the endpoint
 * @returns the stored credential after the call: the refreshed profile, another process's result,
 *   or a non-OAuth entry as is
 * @throws AuthProfilesError `NO_CREDENTIALS` when the profile is gone or has an unknown type
 * @throws RefreshError `OAUTH_REFRESH_FAILED` when the endpoint fails
 * @throws AuthProfilesError `STORE_LOCKED`, `STORE_INVALID`, `STORE_IO` from the store, before the
 *   endpoint answered
 *
 * @category Credential sources
 */
export async function refreshStoredOAuth(options: RefreshStoredOAuthOptions): Promise<StoredCredential> {
  checkRefreshStoredOptions(options);
  const { store, profileId } = options;
  // Set the moment the endpoint answered: from then on the spent refresh token is dead, and this
  // pair must reach the caller whatever happens to the store write.
  let rotated: OAuthProfile | undefined;
  const refreshNow = async (entry: OAuthProfile): Promise<OAuthProfile> => {
    const next = await refreshed(options, entry);
    rotated = next;
    // Durable first: the cheapest durable step (an fsynced journal append) before the store write.
    // Synchronous on purpose: a rotated token is never written behind.
    await store.recordRotation?.(maskedRotation({ profileId, access: next.access, refresh: next.refresh, expires: next.expires, replaces: refreshTokenDigest(entry.refresh), at: options.now() }));
    return next;
  };
  try {
    if (store.withRefreshLock === undefined) {
      // A locked store: the whole decision, the token request and the write happen under one lock.
      // The file store runs the mutator again when another process committed first (its lock was
      // taken over while the token request ran): the old refresh token is spent by then, so the
      // second run writes the pair already obtained onto the newer document and never calls again.
      const { result } = await store.update<StoredCredential>(async (current) => {
        if (rotated !== undefined) return { data: withProfile(current, profileId, withTokens(current, profileId, rotated), "forceRefresh"), result: rotated };
        const decision = decide(options, current);
        if (decision.kind === "keep") return { result: decision.entry };
        const next = await refreshNow(decision.entry);
        return { data: withProfile(current, profileId, next, "forceRefresh"), result: next };
      });
      return result;
    }
    // An optimistic store retries its mutator on conflict, so the token request (which spends the
    // rotating refresh token) must never run inside it: decide and call under the refresh lock, then
    // write only the new tokens.
    return await store.withRefreshLock(profileId, async () => {
      const decision = decide(options, await store.read());
      if (decision.kind === "keep") return decision.entry;
      const next = await refreshNow(decision.entry);
      await store.update((current) => ({ data: withProfile(current, profileId, withTokens(current, profileId, next), "forceRefresh"), result: undefined }));
      return next;
    });
  } catch (error) {
    if (rotated === undefined) throw error;
    const code = isAuthProfilesError(error) ? error.code : "error";
    options.logger?.error(`auth-profiles: refreshed the OAuth login of ${profileId} but could not save it to ${store.path} (${code}); the login is held in memory${store.refreshJournalPath === undefined ? "" : ` and in ${store.refreshJournalPath}`} and saving is retried.`);
    options.onHeld?.(rotated, error);
    return rotated;
  }
}

/** The stored entry as it is now (its other fields may have changed meanwhile) with the new tokens. */
function withTokens(current: StoreData, profileId: string, next: OAuthProfile): OAuthProfile {
  const entry = current.profiles[profileId];
  const base = entry !== undefined && entry.type === "oauth" ? (entry as OAuthProfile) : next;
  return { ...base, access: next.access, refresh: next.refresh, expires: next.expires };
}

type Decision = { readonly kind: "keep"; readonly entry: StoredCredential } | { readonly kind: "refresh"; readonly entry: OAuthProfile };

function decide(options: RefreshStoredOAuthOptions, current: StoreData): Decision {
  const { profileId } = options;
  const entry = current.profiles[profileId];
  if (!isKnownCredential(entry)) throw missingProfile(profileId, options.store.path, entry !== undefined);
  if (entry.type !== "oauth") return { kind: "keep", entry };
  const flagged = current.usageStats?.[profileId]?.forceRefresh === true;
  const forced = (options.force === true || flagged) && (options.seenAccess === undefined || options.seenAccess === entry.access);
  if (!needsRefresh(entry, options.now(), options.refreshMarginMs, forced)) {
    options.logger?.debug(`OAuth token of ${profileId} is already fresh (refreshed elsewhere?); no token request.`);
    return { kind: "keep", entry };
  }
  return { kind: "refresh", entry };
}

async function refreshed(options: RefreshStoredOAuthOptions, entry: OAuthProfile): Promise<OAuthProfile> {
  const fresh = await callEndpoint(options, entry.refresh);
  options.logger?.debug(`Refreshed the OAuth token of ${options.profileId}; it expires at ${formatEpochMs(fresh.expires)}.`);
  return { ...entry, access: fresh.access, refresh: fresh.refresh, expires: fresh.expires };
}

async function callEndpoint(options: RefreshStoredOAuthOptions, refreshToken: string): Promise<TokenRefreshResult> {
  try {
    return await options.endpoint(refreshToken);
  } catch (error) {
    if (isAuthProfilesError(error)) throw error;
    throw new RefreshError(
      { profileId: options.profileId, kind: "unknown", detail: error instanceof Error ? error.message : String(error) },
      { cause: error, secrets: [refreshToken] },
    );
  }
}

function missingProfile(profileId: string, storePath: string, unknownType: boolean): AuthProfilesError {
  return new AuthProfilesError("NO_CREDENTIALS", `No credentials found for profile "${profileId}".${unknownType ? ` The entry in ${storePath} has a type this version cannot use.` : ""}`, {
    ...(unknownType ? { hintRef: { id: "replaceStored" as const, args: { profileId } } } : { hint: `The profile was removed from ${storePath}; add it again or pick another profile.` }),
    details: { profileId, store: storePath },
  });
}
