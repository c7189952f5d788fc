import { AuthProfilesError } from "../../model/errors.js";
import { redactText } from "../../model/redact.js";

/** Longest endpoint-provided text (description, error body) kept in a refresh error message. @internal */
export const REFRESH_DETAIL_MAX_CHARS = 200;

/** Longest OAuth `error` code kept; real ones (`invalid_grant`) are far shorter. */
const OAUTH_ERROR_MAX_CHARS = 64;

/**
 * Why a token refresh failed, as a stable word for logs and tests.
 *
 * - `network`: the connection failed or was reset before a full response arrived
 * - `timeout`: no full response within the refresh timeout
 * - `aborted`: the caller's signal aborted the request
 * - `http`: the endpoint answered with a non-2xx status (`invalid_grant`, 5xx, …)
 * - `invalid_response`: a 2xx whose body is not a valid token response (HTML, bad or cut JSON)
 * - `too_large`: the body exceeded `MAX_TOKEN_RESPONSE_BYTES`
 * - `unknown`: a custom endpoint threw something else
 *
 * @category Errors
 */
export type RefreshFailureKind = "network" | "timeout" | "aborted" | "http" | "invalid_response" | "too_large" | "unknown";

/**
 * The facts a {@link RefreshError} is built from. None of them may be a secret.
 *
 * @category Errors
 */
export interface RefreshErrorFacts {
  /** The profile whose refresh failed, e.g. `anthropic:me@example.com`. */
  readonly profileId: string;
  /** Why it failed. */
  readonly kind: RefreshFailureKind;
  /** The HTTP status, when a response arrived. */
  readonly status?: number | null | undefined;
  /** The endpoint's OAuth `error` code (`invalid_grant`) or Anthropic `error.type`. */
  readonly oauthError?: string | null | undefined;
  /** A short explanation (the endpoint's `error_description`, a parse problem…); redacted and cut. */
  readonly detail?: string | null | undefined;
}

/**
 * Options of the {@link RefreshError} constructor.
 *
 * @category Credential sources
 */
export interface RefreshErrorOptions {
  /** The underlying error (network error…). */
  readonly cause?: unknown;
  /** Exact secret values (the refresh token sent) to mask wherever they appear. */
  readonly secrets?: readonly string[];
}

/**
 * `OAUTH_REFRESH_FAILED`: the OAuth token endpoint did not give a new access token.
 *
 * @remarks
 * The message starts with `OAuth token refresh failed for anthropic:` (what OpenClaw users search
 * for), then the profile id and a short, redacted detail. The stored credential is left as it was.
 *
 * @category Errors
 */
export class RefreshError extends AuthProfilesError {
  /** The profile whose refresh failed. */
  readonly profileId: string;
  /** The HTTP status, or `null` when no response arrived. */
  readonly status: number | null;
  /** The endpoint's OAuth error code, redacted, or `null`. */
  readonly oauthError: string | null;
  /** Why it failed. */
  readonly kind: RefreshFailureKind;

  /**
   * @param facts - profile id, failure kind, status and the endpoint's error
   * @param options - cause and secrets to mask
   */
  constructor(facts: RefreshErrorFacts, options: RefreshErrorOptions = {}) {
    const secrets = options.secrets ?? [];
    const status = facts.status ?? null;
    const oauthError = facts.oauthError ? clean(facts.oauthError, secrets, OAUTH_ERROR_MAX_CHARS) : null;
    const detail = facts.detail ? clean(facts.detail, secrets, REFRESH_DETAIL_MAX_CHARS) : null;
    const head = [status === null ? null : `HTTP ${status}`, oauthError].filter((part) => part !== null).join(" ");
    const summary = [head, detail].filter((part) => part !== null && part !== "").join(": ");
    super(
      "OAUTH_REFRESH_FAILED",
      `OAuth token refresh failed for anthropic: ${facts.profileId} (${summary || facts.kind}). Please try again or re-authenticate.`,
      {
        hintRef: { id: oauthError === "invalid_grant" ? "refreshTokenRotated" : "refreshFailed", args: {} },
        cause: options.cause,
        details: { profileId: facts.profileId, status, oauthError, kind: facts.kind },
      },
    );
    this.name = "RefreshError";
    this.profileId = facts.profileId;
    this.status = status;
    this.oauthError = oauthError;
    this.kind = facts.kind;
  }
}

function clean(text: string, secrets: readonly string[], maxChars: number): string {
  const oneLine = redactText(text, secrets).replace(/\s+/g, " ").trim();
  return oneLine.length <= maxChars ? oneLine : `${oneLine.slice(0, maxChars - 1)}…`;
}
