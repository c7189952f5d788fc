import type { ErrorCode } from "../model/errors.js";
import { classNamesOf, codesOf, errorCodeOf, errorTypesOf, libraryErrorCodeOf, messageOf, prop, statusOf } from "./error-facts.js";
import type { FailureReason } from "../model/failure.js";

export { retryAfterMsFromError } from "./retry-after.js";

const STATUS_REASONS: ReadonlyMap<number, FailureReason> = new Map<number, FailureReason>([
  [400, "format"],
  [401, "auth"],
  [402, "billing"],
  [403, "auth"],
  [408, "timeout"],
  [429, "rate_limit"],
  [500, "unknown"],
  [502, "unknown"],
  [503, "unknown"],
  [504, "unknown"],
  [529, "overloaded"],
]);

/** SDK class names (matched by name, so the SDK is never imported); `null` means "not a failure". */
const CLASS_REASONS: ReadonlyMap<string, FailureReason | null> = new Map<string, FailureReason | null>([
  ["AuthenticationError", "auth"],
  ["PermissionDeniedError", "auth"],
  ["PaymentRequiredError", "billing"],
  ["RateLimitError", "rate_limit"],
  ["OverloadedError", "overloaded"],
  ["RequestTimeoutError", "timeout"],
  ["APIConnectionTimeoutError", "timeout"],
  ["APIUserAbortError", null],
]);

const TYPE_REASONS: ReadonlyMap<string, FailureReason> = new Map<string, FailureReason>([
  ["authentication_error", "auth"],
  ["permission_error", "auth"],
  ["billing_error", "billing"],
  ["rate_limit_error", "rate_limit"],
  ["overloaded_error", "overloaded"],
  ["timeout_error", "timeout"],
  ["invalid_request_error", "format"],
  ["api_error", "unknown"],
]);

/** OpenClaw's network timeout codes, plus undici's own timeout codes (Node's `fetch`). */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ECONNRESET",
  "ECONNABORTED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** This library's own errors that mean the credential itself is unusable. */
const AUTH_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "OAUTH_REFRESH_FAILED",
  "CLAUDE_CLI_EXPIRED",
  "CLAUDE_CLI_INVALID",
  "TOKEN_INVALID",
]);

/** A 429 carrying one of these `error_code`s is a spend cap, not a transient limit. */
const SPEND_LIMIT_CODES: ReadonlySet<string> = new Set(["enforced_spend_limit_reached", "contract_spend_limit_reached"]);

/** Anthropic answers some account problems with a 400 (`invalid_request_error`). */
const BAD_REQUEST_BILLING = /credit balance|reached your specified api usage limits?/i;
const BAD_REQUEST_AUTH = /only authorized for use with claude code/i;

/** OpenClaw's message patterns, in its order; the first match wins. */
const MESSAGE_PATTERNS: readonly (readonly [RegExp, FailureReason])[] = [
  // Image size problems are the request's fault: never a reason to switch profile.
  [/image (?:dimensions )?exceeds?\b|image (?:is )?too large/i, "format"],
  [/rate[ _-]?limit|too many requests|quota exceeded|exceeded your current quota|resource[ _]?(?:has been )?exhausted|usage limit|\b429\b/i, "rate_limit"],
  [/overloaded/i, "overloaded"],
  [/string should match pattern|tool_use[._]id|invalid request format/i, "format"],
  [
    /\b402\b|payment required|insufficient (?:credits?|balance|funds)|credit balance|\bbilling\b.*\b(?:upgrade|credits?|plans?)\b|\b(?:upgrade|credits?|plans?)\b.*\bbilling\b/i,
    "billing",
  ],
  [/time ?out|timed out|deadline exceeded/i, "timeout"],
  [
    /invalid[ _-]?api[ _-]?key|invalid x-api-key|incorrect api key|invalid (?:bearer |access |oauth )?token|authentication|unauthori[sz]ed|forbidden|access denied|token has expired|token has been revoked|only authorized for use with claude code|\b40[13]\b/i,
    "auth",
  ],
];

/**
 * Classifies a failed call into a {@link FailureReason}, without importing the SDK.
 *
 * @remarks
 * The first signal found decides, in this order:
 * 1. HTTP status (`status`, `statusCode`, `response.status`): 401/403 auth, 402 billing, 429
 *    rate_limit (a spend-cap `error_code` is billing), 529 overloaded, 408 timeout, 400 format (a
 *    "credit balance" 400 is billing; "only authorized for use with Claude Code" is auth), 500/502/503/504 unknown.
 * 2. SDK class name (`AuthenticationError`, `RateLimitError`, …; `APIUserAbortError` is `null`).
 * 3. Anthropic error type (`error.type`, `error.error.type`): `rate_limit_error`, `overloaded_error`, …
 * 4. Error codes: network timeouts (`ETIMEDOUT`, `ECONNRESET`, …) are timeout; an abort
 *    (`AbortError`, `ABORT_ERR`) is `null`; this library's refresh / Claude Code errors are auth.
 * 5. Message text, in OpenClaw's order (rate limit, overloaded, format, billing, timeout, auth).
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
 */
export function classifyFailure(error: unknown): FailureReason | null {
  if (error === undefined || error === null) return null;
  // A refresh error's status is the token endpoint's, not the Messages API's: a 400 there
  // (`invalid_grant`) means the login is dead, not that the request was malformed.
  if (libraryErrorCodeOf(error) === "OAUTH_REFRESH_FAILED") return refreshFailureReason(error);
  const status = statusOf(error);
  const message = messageOf(error);
  const fromStatus = status === null ? undefined : STATUS_REASONS.get(status);
  if (fromStatus !== undefined) return refine(fromStatus, error, message);
  for (const name of classNamesOf(error)) {
    if (CLASS_REASONS.has(name)) return CLASS_REASONS.get(name) ?? null;
  }
  for (const type of errorTypesOf(error)) {
    const fromType = TYPE_REASONS.get(type);
    if (fromType !== undefined) return refine(fromType, error, message);
  }
  const fromCodes = reasonFromCodes(error);
  if (fromCodes !== undefined) return fromCodes;
  for (const [pattern, reason] of MESSAGE_PATTERNS) {
    if (pattern.test(message)) return reason;
  }
  if (status === null || status === 499) return null;
  return status >= 500 ? "unknown" : status >= 400 ? "format" : null;
}

/**
 * Tells whether a reason should move a call on to the next profile at once: `auth`, `billing`,
 * `rate_limit` and `overloaded`.
 *
 * @param reason - a classified reason, or `null`
 * @returns `true` for a failover reason
 */
export function isFailoverReason(reason: FailureReason | null | undefined): boolean {
  return reason === "auth" || reason === "billing" || reason === "rate_limit" || reason === "overloaded";
}

function refine(reason: FailureReason, error: unknown, message: string): FailureReason {
  if (reason === "format") {
    if (BAD_REQUEST_BILLING.test(message)) return "billing";
    if (BAD_REQUEST_AUTH.test(message)) return "auth";
  }
  if (reason === "rate_limit" && SPEND_LIMIT_CODES.has(errorCodeOf(error) ?? "")) return "billing";
  return reason;
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

/** Token endpoint failures: rate-limited or down is transient; a refused refresh token is `auth`. */
function refreshFailureReason(error: unknown): FailureReason {
  const status = statusOf(error);
  if (status === 429) return "rate_limit";
  if (status !== null && status >= 500) return "unknown";
  const kind = prop(error, "kind");
  if (status === null && (kind === "network" || kind === "timeout")) return "timeout";
  return "auth";
}
