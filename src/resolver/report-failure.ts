import type { Clock } from "../model/clock.js";
import type { StickySessions } from "./sessions.js";
import type { AuthProfilesConfig } from "../config/types.js";
import { isAuthProfilesError } from "../model/errors.js";
import { classifyFailureDetail } from "../selection/classify.js";
import { exhaustionOf, toStoredRateLimits } from "../selection/headroom.js";
import { rateLimitsFromError } from "../selection/rate-limit-headers.js";
import { retryAfterMsFromError } from "../selection/retry-after.js";
import type { LimitBook } from "./limit-book.js";
import type { AuthEventListener } from "../model/events.js";
import type { ReportContext } from "./types.js";
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
  readonly sessions: StickySessions;
  /** The rate-limit family of a model id. */
  readonly familyOf: (model: string | null, fast: boolean) => string | null;
  /** Headroom readings. */
  readonly limits: LimitBook;
  /** The `onEvent` listener, or `null`. */
  readonly emit: AuthEventListener | null;
}

/**
 * Builds `reportFailure`: classify, drop session stickiness, read the rate-limit headers, cool the
 * profile (or the (profile, family) pair) down per policy: until the real reset when the headers
 * say a window is exhausted, else the ladder (`retry-after` aware). A 401/403 on an OAuth token
 * that has not expired yet also flags it for a forced refresh, since the server can revoke tokens early.
 *
 * @param deps - state, writer, clock, policy, sessions
 * @returns the `reportFailure` implementation
 * @internal
 */
export function reportFailureTo(deps: ReportFailureDeps): (profileId: string, error: unknown, context?: ReportContext) => Promise<FailureOutcome> {
  return async (profileId, error, context = {}) => {
    const { reason, kind } = classifyFailureDetail(error);
    if (reason === null) return { reason: null, unusableUntil: null };
    deps.sessions.forgetProfile(profileId);
    const snap = await deps.state.current();
    const entry = snap.data.profiles[profileId];
    const provider = providerOfProfile(snap.data, profileId);
    const now = deps.now();
    const forceRefresh = reason === "auth" && !isAuthProfilesError(error) && entry?.type === "oauth" && typeof entry.expires === "number" && entry.expires > now;
    const model = context.model ?? null;
    const family = deps.familyOf(model, context.fast === true);
    const snapshot = rateLimitsFromError(error, now);
    // The answer is in: this request no longer holds room in its pair (before the reading, same tick).
    deps.limits.release(profileId, family, now);
    const note = snapshot === null || family === null ? null : deps.limits.note(profileId, family, snapshot, now);
    const exhaustion = note !== null ? note.exhaustion : snapshot === null ? null : exhaustionOf(snapshot, now);
    if (note?.changed === true) deps.emit?.({ type: "limitsUpdated", at: now, profileId, family, retryAt: exhaustion?.until ?? null, window: exhaustion?.window ?? null });
    // A 429 naming a window whose reset has just passed: the window refilled meanwhile (see recordFailure).
    const lapsed = reason === "rate_limit" && exhaustion === null && snapshot !== null ? exhaustionOf(snapshot, now, { family, lapsed: true }) : null;
    const quotaResetAt = kind === "extra_usage" ? (snapshot?.unifiedResetAt ?? exhaustion?.until ?? null) : reason === "rate_limit" ? (exhaustion?.until ?? lapsed?.until ?? null) : null;
    const limits = family === null || snapshot === null ? null : { family, stored: toStoredRateLimits(exhaustion, now) };
    const options = { retryAfterMs: snapshot?.retryAfterMs ?? retryAfterMsFromError(error, now), family, model, quotaResetAt, kind };
    const outcome = await deps.usage.failure(profileId, reason, deps.policyFor(snap.config, provider), options, forceRefresh, limits);
    if (deps.emit !== null && outcome.unusableUntil !== null) {
      const scoped = family !== null && kind !== "extra_usage" && kind !== "auth_permanent" && (reason === "rate_limit" || reason === "overloaded" || reason === "timeout" || reason === "unknown");
      const kindOf = kind === "auth_permanent" || reason === "billing" ? "disabled" : "cooldown";
      deps.emit({ type: "cooldown", at: now, profileId, family: scoped ? family : null, reason: kind === "auth_permanent" ? "auth_permanent" : reason, kind: kindOf, retryAt: outcome.unusableUntil });
    }
    return outcome;
  };
}
