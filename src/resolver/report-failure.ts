import type { Clock } from "../model/clock.js";
import type { AuthProfilesConfig } from "../config/types.js";
import { isAuthProfilesError } from "../model/errors.js";
import { classifyFailure } from "../selection/classify.js";
import { retryAfterMsFromError } from "../selection/retry-after.js";
import type { CooldownPolicy, FailureOutcome } from "../model/failure.js";
import { providerOfProfile } from "./profile-provider.js";
import type { ResolverState } from "./state.js";
import type { UsageWriter } from "./usage-writer.js";

/** What {@link reportFailureTo} needs. @internal */
export interface ReportFailureDeps {
  /** The resolver's cached state. */
  readonly state: ResolverState;
  /** Writes usage outcomes. */
  readonly usage: UsageWriter;
  /** Clock. */
  readonly now: Clock;
  /** The cooldown policy of a provider under a config. */
  readonly policyFor: (config: AuthProfilesConfig, provider: string) => CooldownPolicy;
  /** Session stickiness, dropped for a failing profile. */
  readonly sessions: Map<string, string>;
}

/**
 * Builds `reportFailure`: classify, drop session stickiness, cool the profile down per policy
 * (`retry-after` aware). A 401/403 on an OAuth token that has not expired yet also flags it for a
 * forced refresh, since the server can revoke tokens early.
 *
 * @param deps - state, writer, clock, policy, sessions
 * @returns the `reportFailure` implementation
 * @internal
 */
export function reportFailureTo(deps: ReportFailureDeps): (profileId: string, error: unknown) => Promise<FailureOutcome> {
  return async (profileId, error) => {
    const reason = classifyFailure(error);
    if (reason === null) return { reason: null, unusableUntil: null };
    for (const [session, sticky] of deps.sessions) if (sticky === profileId) deps.sessions.delete(session);
    const snap = await deps.state.current();
    const entry = snap.data.profiles[profileId];
    const provider = providerOfProfile(snap.data, profileId);
    const now = deps.now();
    const forceRefresh = reason === "auth" && !isAuthProfilesError(error) && entry?.type === "oauth" && typeof entry.expires === "number" && entry.expires > now;
    return deps.usage.failure(profileId, reason, deps.policyFor(snap.config, provider), retryAfterMsFromError(error, now), forceRefresh);
  };
}
