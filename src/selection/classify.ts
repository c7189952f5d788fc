import { classNamesOf, codesOf, errorCodeOf, errorTypesOf, libraryErrorCodeOf, messageOf, prop, statusOf } from "./error-facts.js";
import type { FailureReason } from "../model/failure.js";
import { AUTH_ERROR_CODES, CLASS_REASONS, STATUS_REASONS, TIMEOUT_CODES, TYPE_REASONS } from "./failure-tables.js";
import { classifiedText, reasonFromMessage } from "./message-patterns.js";

export { retryAfterMsFromError } from "./retry-after.js";
export { MAX_CLASSIFIED_CHARS } from "./message-patterns.js";

/** A 429 carrying one of these `error_code`s is a spend cap, not a transient limit. */
const SPEND_LIMIT_CODES: ReadonlySet<string> = new Set(["enforced_spend_limit_reached", "contract_spend_limit_reached"]);

/** Anthropic answers some account problems with a 400 (`invalid_request_error`). */
const BAD_REQUEST_BILLING = /credit balance|reached your specified api usage limits?/i;
const BAD_REQUEST_AUTH = /only authorized for use with claude code/i;
/** Subscription requests billed to an exhausted (or absent) extra-usage balance. */
const EXTRA_USAGE = /third-party apps now draw from your extra usage|out of extra usage/i;
/** Auth failures no refresh or retry fixes. */
const PERMANENT_AUTH_TEXT = /oauth token has been revoked|only authorized for use with claude code/i;
const PERMANENT_AUTH_CODES: ReadonlySet<string> = new Set(["organization_on_hold"]);
/** A 402 worded as a rate limit (Max plans): a limit that resets, not a billing problem. */
const RATE_LIMIT_402 = /try again later|rate[ _-]?limit/i;

/**
 * The special lanes of {@link FailureClass}.
 *
 * @category Selection
 */
export type FailureKind = "auth_permanent" | "extra_usage";

/**
 * A classified failure with its lane.
 *
 * @remarks
 * - `auth_permanent`: a revoked OAuth token, an organisation on hold, a subscription credential
 *   refused outside Claude Code, a refresh answered `invalid_grant`: a long, profile-wide disable
 *   that only `clearCooldown` or a new credential ends (reason `auth`).
 * - `extra_usage`: a subscription 400 "…draw from your extra usage…" / "You're out of extra
 *   usage…": fail over at once and rest the whole profile until the unified reset (reason `rate_limit`).
 * - `null`: the reason's usual lane.
 *
 * @category Selection
 */
export interface FailureClass {
  /** The reason, as {@link classifyFailure} returns it. */
  readonly reason: FailureReason | null;
  /** The special lane, or `null`. */
  readonly kind: FailureKind | null;
}

/**
 * Classifies a failed call into a {@link FailureReason}, without importing the SDK.
 *
 * @remarks
 * The first signal found decides, in this order:
 * 1. HTTP status (`status`, `statusCode`, `response.status`): 401/403 auth, 402 billing, 429
 *    rate_limit (a spend-cap `error_code` is billing), 529 overloaded, 408 timeout, 400 format (a
 *    "credit balance" 400 is billing; "only authorized for use with Claude Code" and
 *    `organization_on_hold` are auth; "…out of extra usage…" is rate_limit; a 402 worded "try again
 *    later" is rate_limit), 500/502/503/504 unknown. A 404 is `null`: a retired or unknown model is
 *    the request's fault, not the credential's.
 * 2. SDK class name (`AuthenticationError`, `RateLimitError`, …; `APIUserAbortError` is `null`).
 * 3. Anthropic error type (`error.type`, `error.error.type`): `rate_limit_error`, `overloaded_error`, …
 * 4. Error codes: network timeouts (`ETIMEDOUT`, `ECONNRESET`, …) are timeout; an abort
 *    (`AbortError`, `ABORT_ERR`) is `null`; this library's refresh / Claude Code errors are auth.
 * 5. Message text, in OpenClaw's order (rate limit, overloaded, format, billing, timeout, auth); only
 *    the first 4096 characters are read, with linear-time patterns.
 * 6. Any other 4xx status is format, any other 5xx unknown.
 *
 * @param error - anything thrown by a model call
 * @returns the reason, or `null` when the failure says nothing about the credential (an abort, an
 *   unrecognised error)
 *
 * @example
 * ```ts
 * classifyFailure(Object.assign(new Error("Too Many Requests"), { status: 429 })); // "rate_limit"
 * classifyFailure(new DOMException("aborted", "AbortError"));                      // null
 * ```
 *
 * @category Selection
 */
export function classifyFailure(error: unknown): FailureReason | null {
  return classifyFailureDetail(error).reason;
}

/**
 * Classifies a failed call like {@link classifyFailure} and names its special lane, if any.
 *
 * @param error - anything thrown by a model call
 * @returns the reason and the lane (`auth_permanent`, `extra_usage` or `null`)
 *
 * @example
 * ```ts
 * classifyFailureDetail(revoked403); // { reason: "auth", kind: "auth_permanent" }
 * ```
 *
 * @category Selection
 */
export function classifyFailureDetail(error: unknown): FailureClass {
  if (error === undefined || error === null) return NONE;
  // A refresh error's status is the token endpoint's, not the Messages API's: a 400 there
  // (`invalid_grant`) means the login is dead, not that the request was malformed.
  if (libraryErrorCodeOf(error) === "OAUTH_REFRESH_FAILED") return refreshFailureClass(error);
  const status = statusOf(error);
  if (status === 404) return NONE;
  const message = classifiedText(messageOf(error));
  const fromStatus = status === null ? undefined : STATUS_REASONS.get(status);
  if (fromStatus !== undefined) return refine(fromStatus, error, message);
  for (const name of classNamesOf(error)) {
    if (CLASS_REASONS.has(name)) return plain(CLASS_REASONS.get(name) ?? null);
  }
  for (const type of errorTypesOf(error)) {
    const fromType = TYPE_REASONS.get(type);
    if (fromType !== undefined) return refine(fromType, error, message);
  }
  const fromCodes = reasonFromCodes(error);
  if (fromCodes !== undefined) return plain(fromCodes);
  const fromMessage = reasonFromMessage(message);
  if (fromMessage !== undefined) return plain(fromMessage);
  if (status === null || status === 499) return NONE;
  return plain(status >= 500 ? "unknown" : status >= 400 ? "format" : null);
}

/**
 * Tells whether a reason should move a call on to the next profile at once: `auth`, `billing`,
 * `rate_limit` and `overloaded`.
 *
 * @param reason - a classified reason, or `null`
 * @returns `true` for a failover reason
 *
 * @category Selection
 */
export function isFailoverReason(reason: FailureReason | null | undefined): boolean {
  return reason === "auth" || reason === "billing" || reason === "rate_limit" || reason === "overloaded";
}

const NONE: FailureClass = Object.freeze({ reason: null, kind: null });

function plain(reason: FailureReason | null): FailureClass {
  return reason === null ? NONE : { reason, kind: null };
}

function refine(reason: FailureReason, error: unknown, message: string): FailureClass {
  const code = errorCodeOf(error) ?? "";
  if (reason === "format") {
    if (PERMANENT_AUTH_CODES.has(code) || BAD_REQUEST_AUTH.test(message)) return { reason: "auth", kind: "auth_permanent" };
    if (EXTRA_USAGE.test(message)) return { reason: "rate_limit", kind: "extra_usage" };
    if (BAD_REQUEST_BILLING.test(message)) return plain("billing");
  }
  if (reason === "auth" && PERMANENT_AUTH_TEXT.test(message)) return { reason, kind: "auth_permanent" };
  if (reason === "billing" && statusOf(error) === 402 && RATE_LIMIT_402.test(message)) return plain("rate_limit");
  if (reason === "rate_limit" && SPEND_LIMIT_CODES.has(code)) return plain("billing");
  return plain(reason);
}

/** `undefined`: the codes say nothing; `null`: an abort. */
function reasonFromCodes(error: unknown): FailureReason | null | undefined {
  const names = classNamesOf(error);
  if (names.includes("AbortError")) return null;
  if (names.includes("TimeoutError")) return "timeout"; // AbortSignal.timeout()
  const own = libraryErrorCodeOf(error);
  if (own !== null && AUTH_ERROR_CODES.has(own)) return "auth";
  for (const code of codesOf(error)) {
    if (TIMEOUT_CODES.has(code)) return "timeout";
    if (code === "ABORT_ERR") return null;
  }
  return undefined;
}

/**
 * Token endpoint failures: rate-limited or down is transient; a refused refresh token is `auth`, and
 * `invalid_grant` (the refresh token is spent or revoked) is permanent.
 */
function refreshFailureClass(error: unknown): FailureClass {
  const status = statusOf(error);
  if (status === 429) return plain("rate_limit");
  if (status !== null && status >= 500) return plain("unknown");
  const kind = prop(error, "kind");
  if (status === null && (kind === "network" || kind === "timeout")) return plain("timeout");
  return { reason: "auth", kind: prop(error, "oauthError") === "invalid_grant" ? "auth_permanent" : null };
}
