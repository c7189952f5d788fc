import type { Clock } from "../model/clock.js";
import type { Credential } from "../model/credential.js";
import { isAuthProfilesError } from "../model/errors.js";
import type { OAuthProfile, StoredCredential, UsageStats } from "../model/store.js";
import type { Logger } from "../model/logger.js";
import { AdvisoryRetry, freshUntil, refreshWindow } from "../credentials/token-freshness.js";


/** What {@link OAuthFreshness} needs. @internal */
export interface OAuthFreshnessDeps {
  /** Refreshes one stored OAuth profile (single flight, under the store lock). */
  readonly refresh: (profileId: string, seen: OAuthProfile, force: boolean) => Promise<StoredCredential>;
  /** Clock. */
  readonly now: Clock;
  /** Refresh when the token expires within this many ms. */
  readonly refreshMarginMs: number;
  /** Logger. */
  readonly logger: Logger;
  /** The credential of a stored entry (cached per entry object). */
  readonly credentialOf: (profileId: string, entry: StoredCredential) => Credential;
}

/**
 * Decides, per OAuth profile, whether the stored token can be sent as is, by its refresh window
 * (`refreshWindow`, shared with the Claude Code login). `fresh`: sent as is (a comparison, nothing
 * more). `advisory`: sent as is while one background refresh runs. `required` (expired or flagged
 * by a 401): the caller waits for the refresh.
 *
 * @internal
 */
export class OAuthFreshness {
  readonly #deps: OAuthFreshnessDeps;
  readonly #advisory = new AdvisoryRetry<string>();

  /** @param deps - refresh function, clock, margin, logger */
  constructor(deps: OAuthFreshnessDeps) {
    this.#deps = deps;
  }

  /**
   * @param profileId - the profile
   * @param entry - its stored OAuth entry
   * @param stats - its usage stats (`forceRefresh` after a 401)
   * @returns a credential that is fresh enough to send
   * @throws AuthProfilesError `OAUTH_REFRESH_FAILED` when a needed refresh fails
   */
  async credential(profileId: string, entry: OAuthProfile, stats: UsageStats | undefined): Promise<Credential> {
    const now = this.#deps.now();
    const sendable = this.sendable(profileId, entry, stats, now);
    if (sendable !== null) return sendable;
    const forced = stats?.forceRefresh === true;
    const fresh = await this.#deps.refresh(profileId, entry, forced);
    return this.#deps.credentialOf(profileId, fresh);
  }

  /**
   * The synchronous part of {@link OAuthFreshness.credential}: the stored token when it can be sent
   * without waiting (starting a background refresh inside the margin).
   *
   * @param profileId - the profile
   * @param entry - its stored OAuth entry
   * @param stats - its usage stats
   * @param now - epoch ms
   * @returns the credential, or `null` when the caller must wait for a refresh
   */
  sendable(profileId: string, entry: OAuthProfile, stats: UsageStats | undefined, now: number): Credential | null {
    const window = refreshWindow(entry.expires, now, this.#deps.refreshMarginMs, stats?.forceRefresh === true);
    if (window === "fresh") return this.#deps.credentialOf(profileId, entry);
    if (window === "advisory") {
      this.#refreshInBackground(profileId, entry, now);
      return this.#deps.credentialOf(profileId, entry);
    }
    return null;
  }

  /**
   * Until when {@link OAuthFreshness.sendable} answers "fresh" for this entry and stats (no refresh
   * started, the stored token sent), so a caller may reuse that answer while `now` is before it.
   *
   * @param entry - the stored OAuth entry
   * @param stats - its usage stats
   * @returns epoch ms (exclusive); `-Infinity` when it is not fresh at any time
   */
  freshUntil(entry: OAuthProfile, stats: UsageStats | undefined): number {
    return freshUntil(entry.expires, this.#deps.refreshMarginMs, stats?.forceRefresh === true);
  }

  #refreshInBackground(profileId: string, entry: OAuthProfile, now: number): void {
    if (!this.#advisory.mayTry(profileId, now)) return;
    this.#deps.refresh(profileId, entry, false).then(
      () => this.#advisory.succeeded(profileId),
      (error: unknown) => {
        this.#advisory.failed(profileId, this.#deps.now());
        const code = isAuthProfilesError(error) ? error.code : "unknown";
        this.#deps.logger.warn(`auth-profiles: background refresh of ${profileId} failed (${code}); the current token is still valid.`);
      },
    );
  }
}
