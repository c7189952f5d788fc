import type { FailureReason } from "../model/failure.js";

/**
 * Every failure reason, in the order the contract lists them.
 *
 * @category Selection
 */
export const FAILURE_REASONS: readonly FailureReason[] = Object.freeze([
  "auth",
  "billing",
  "rate_limit",
  "overloaded",
  "timeout",
  "format",
  "unknown",
]);

const KNOWN: ReadonlySet<string> = new Set(FAILURE_REASONS);
const TRANSIENT: ReadonlySet<FailureReason> = new Set<FailureReason>(["rate_limit", "overloaded", "timeout", "unknown"]);

/**
 * Tells whether a value is a {@link FailureReason} (stored files may hold other strings).
 *
 * @param value - anything, e.g. a stored `cooldownReason`
 * @returns `true` for one of the seven reasons
 *
 * @category Selection
 */
export function isFailureReason(value: unknown): value is FailureReason {
  return typeof value === "string" && KNOWN.has(value);
}

/**
 * Tells whether a reason uses the short transient ladder (`rate_limit`, `overloaded`, `timeout`, `unknown`).
 *
 * @param reason - a failure reason
 * @returns `true` for a transient reason
 *
 * @category Selection
 */
export function isTransientReason(reason: FailureReason): boolean {
  return TRANSIENT.has(reason);
}
