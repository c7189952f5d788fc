/**
 * Why a request failed, as far as choosing a profile is concerned.
 *
 * - `auth`: bad, expired or revoked credential (401/403)
 * - `billing`: out of credit (402, "credit balance is too low")
 * - `rate_limit`: 429
 * - `overloaded`: 529 / `overloaded_error` (global capacity, not your quota)
 * - `timeout`: 408, network timeouts
 * - `format`: a bad request (400); never cools a profile down
 * - `unknown`: anything else worth a short cooldown
 *
 * @category Resolving
 */
export type FailureReason = "auth" | "billing" | "rate_limit" | "overloaded" | "timeout" | "format" | "unknown";

/**
 * How long a profile rests after failures. All durations in milliseconds.
 *
 * @remarks Defaults: `DEFAULT_COOLDOWN_POLICY`.
 *
 * @category Resolving
 */
export interface CooldownPolicy {
  /** Counters reset when the last failure is older than this. Default 24 h. */
  readonly failureWindowMs: number;
  /** Ladder for `rate_limit`, `overloaded`, `timeout` and `unknown`; the last step is the cap. Default 30 s, 1 min, 5 min. */
  readonly transientStepsMs: readonly number[];
  /** Ladder for `auth`; the last step is the cap. Default 1 min, 5 min, 25 min, 1 h. */
  readonly authStepsMs: readonly number[];
  /** A `retry-after` longer than the ladder's step wins, up to this cap. Default 1 h. */
  readonly retryAfterCapMs: number;
  /** First billing disable; doubles on each further billing failure. Default 5 h. */
  readonly billingBaseMs: number;
  /** Cap of the billing disable. Default 24 h. */
  readonly billingMaxMs: number;
  /**
   * A 429 whose headers say a window is exhausted rests until that window's reset, at most this
   * long. Default 24 h.
   */
  readonly quotaCapMs?: number;
  /** Rest of a subscription out of extra usage when the unified reset is unknown. Default 1 h. */
  readonly extraUsageMs?: number;
  /**
   * The permanent-auth disable (revoked token, organisation on hold, …): ended early only by
   * `clearCooldown`, a success or a new credential. Default 24 h.
   */
  readonly permanentAuthMs?: number;
}

/**
 * A profile that cannot be used right now, and until when.
 *
 * @category Resolving
 */
export interface UnusableProfile {
  /** The profile id, e.g. `anthropic:default`. */
  readonly profileId: string;
  /** The provider, e.g. `anthropic`. */
  readonly provider: string;
  /** `cooldown` (short, after transient failures) or `disabled` (billing, permanent auth). */
  readonly kind: "cooldown" | "disabled";
  /** The model family the cooldown is scoped to (`opus`, …); absent when the whole profile rests. */
  readonly family?: string;
  /** The failure reason behind it, when known. */
  readonly reason: FailureReason | null;
  /** Epoch ms at which it becomes usable again. */
  readonly until: number;
  /** `until - now`, in ms. */
  readonly remainingMs: number;
  /**
   * Present when the profile rests because the rate-limit headers say a window of the family is
   * used up (or every request it has room for is in flight) rather than because a request failed:
   * the window that binds (`requests`, `tokens`, `5h`, `unified`, …). `until` is then its reset,
   * which the server stated, so half-open recovery does not probe it.
   */
  readonly window?: string;
}

/**
 * What `AuthResolver.reportFailure` decided.
 *
 * @category Resolving
 */
export interface FailureOutcome {
  /** The classified reason, or `null` when the error is not a credential problem (e.g. an abort). */
  readonly reason: FailureReason | null;
  /** Epoch ms until which the profile is unusable, or `null` when it was not cooled down. */
  readonly unusableUntil: number | null;
}
