// Lookup tables of failure classification (see classifyFailure).
import type { ErrorCode } from "../model/errors.js";
import type { FailureReason } from "../model/failure.js";

/** Reasons by HTTP status. @internal */
export const STATUS_REASONS: ReadonlyMap<number, FailureReason> = new Map<number, FailureReason>([
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

/** @internal SDK class names (matched by name, so the SDK is never imported); `null` means "not a failure". */
export const CLASS_REASONS: ReadonlyMap<string, FailureReason | null> = new Map<string, FailureReason | null>([
  ["AuthenticationError", "auth"],
  ["PermissionDeniedError", "auth"],
  ["PaymentRequiredError", "billing"],
  ["RateLimitError", "rate_limit"],
  ["OverloadedError", "overloaded"],
  ["RequestTimeoutError", "timeout"],
  ["APIConnectionTimeoutError", "timeout"],
  ["APIUserAbortError", null],
]);

/** Reasons by Anthropic error type. @internal */
export const TYPE_REASONS: ReadonlyMap<string, FailureReason> = new Map<string, FailureReason>([
  ["authentication_error", "auth"],
  ["permission_error", "auth"],
  ["billing_error", "billing"],
  ["rate_limit_error", "rate_limit"],
  ["overloaded_error", "overloaded"],
  ["timeout_error", "timeout"],
  ["invalid_request_error", "format"],
  ["api_error", "unknown"],
]);

/** @internal OpenClaw's network timeout codes, plus undici's own timeout codes (Node's `fetch`). */
export const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "ECONNRESET",
  "ECONNABORTED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** @internal This library's own errors that mean the credential itself is unusable. */
export const AUTH_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "OAUTH_REFRESH_FAILED",
  "CLAUDE_CLI_EXPIRED",
  "CLAUDE_CLI_INVALID",
  "TOKEN_INVALID",
]);
