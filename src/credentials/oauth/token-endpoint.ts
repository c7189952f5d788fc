import type { Clock } from "../../model/clock.js";
import { isLoopbackHostname } from "../../model/loopback.js";
import { AuthProfilesError } from "../../model/errors.js";
import { attachRedactedView, redactSecret, redactText } from "../../model/redact.js";
import { RefreshError } from "./refresh-error.js";
import { BodyTooLargeError, describeErrorBody, parseTokenResponse, readBodyCapped } from "./token-response.js";
import { checkTokenRefreshRequest } from "../arguments.js";

/** Anthropic's OAuth token endpoint (Claude Code's since about 2026-03). @internal */
export const DEFAULT_TOKEN_URL = "https://platform.claude.com/v1/oauth/token";
/** The OAuth client id of Claude Code, which every known Claude login uses. @internal */
export const DEFAULT_CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
/** An OAuth token is refreshed when it expires within this many ms (5 min, like Claude Code). @internal */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
/**
 * Timeout of one token request, body included. Kept well under the store lock's 30 s stale time,
 * because the request runs while holding that lock.
 * @internal
 */
export const DEFAULT_REFRESH_TIMEOUT_MS = 15_000;
/** Largest token response body read (64 KiB); a real one is about 1 KiB. @internal */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;


/**
 * What {@link requestTokenRefresh} needs.
 *
 * @category Credential sources
 */
export interface TokenRefreshRequest {
  /** The `fetch` to use (injected; never the global one implicitly). */
  readonly fetch: typeof fetch;
  /** The token endpoint; https only, http only on loopback hosts (tests). */
  readonly tokenUrl: string;
  /** The OAuth client id. */
  readonly clientId: string;
  /** The refresh token to spend. Anthropic rotates it: after this call it is invalid. */
  readonly refreshToken: string;
  /** Clock, epoch ms. */
  readonly now: Clock;
  /** Timeout of the whole exchange (headers and body). */
  readonly timeoutMs: number;
  /** The profile being refreshed, for the error message. */
  readonly profileId: string;
  /** Aborts the request early. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A fresh token pair. Its `toJSON()` and `util.inspect` views show redacted tokens only.
 *
 * @category Credential sources
 */
export interface TokenRefreshResult {
  /** The new access token. */
  readonly access: string;
  /** The new refresh token, or the one sent when the endpoint did not rotate it. */
  readonly refresh: string;
  /** Epoch ms at which `access` expires (the real expiry: no margin subtracted). */
  readonly expires: number;
}

/**
 * Exchanges a refresh token for a new access token (OAuth `refresh_token` grant, JSON body).
 *
 * @remarks
 * - `expires` is `now() + expires_in · 1000`, with `now()` read *before* the request is sent, so
 *   it is never later than the server's own expiry. No margin is subtracted here (OpenClaw stores
 *   `expiry − 5 min`); the margin is applied once, at use time, by `refreshMarginMs`. The stored
 *   value is therefore the true expiry, which is what the status report shows.
 * - No client user agent is impersonated; redirects are refused so the refresh token is only ever
 *   sent to `tokenUrl`.
 *
 * @param request - endpoint, client id, refresh token, clock, timeout and profile id
 * @returns the new access token, refresh token (the old one when not rotated) and expiry
 * @throws AuthProfilesError `CONFIG_INVALID` when `tokenUrl` is not https (or http on loopback)
 * @throws RefreshError `OAUTH_REFRESH_FAILED` on a network error, timeout, non-2xx status, or an
 *   invalid, truncated or oversized body
 *
 * @example
 * ```ts
 * const next = await requestTokenRefresh({ fetch, tokenUrl: DEFAULT_TOKEN_URL, clientId: DEFAULT_CLIENT_ID,
 *   refreshToken, now: Date.now, timeoutMs: DEFAULT_REFRESH_TIMEOUT_MS, profileId: "anthropic:me" });
 * ```
 *
 * @category Credential sources
 */
export async function requestTokenRefresh(request: TokenRefreshRequest): Promise<TokenRefreshResult> {
  checkTokenRefreshRequest(request);
  const url = checkTokenUrl(request.tokenUrl);
  const { profileId, refreshToken } = request;
  const secrets = [refreshToken];
  const startedAt = request.now();
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
  let status: number | null = null;
  let text: string;
  try {
    const response = await request.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: request.clientId }),
      redirect: "error",
      signal,
    });
    status = response.status;
    text = await readBodyCapped(response, MAX_TOKEN_RESPONSE_BYTES);
    if (!response.ok) {
      const problem = describeErrorBody(text);
      throw new RefreshError({ profileId, kind: "http", status, oauthError: problem.oauthError, detail: problem.detail }, { secrets });
    }
  } catch (error) {
    if (error instanceof RefreshError) throw error;
    throw transportError(error, { profileId, status, secrets, timeoutMs: request.timeoutMs, timeout, signal: request.signal });
  }
  const parsed = parseTokenResponse(text);
  if (!("accessToken" in parsed)) {
    throw new RefreshError({ profileId, kind: "invalid_response", status, oauthError: parsed.oauthError, detail: parsed.detail }, { secrets });
  }
  const result: TokenRefreshResult = {
    access: parsed.accessToken,
    refresh: parsed.refreshToken ?? refreshToken,
    expires: startedAt + parsed.expiresInS * 1000,
  };
  return attachRedactedView(result, (r) => ({ access: redactSecret(r.access), refresh: redactSecret(r.refresh), expires: r.expires }));
}

/**
 * Checks a token endpoint URL: `https:` anywhere, `http:` only on 127.0.0.1, ::1 or localhost.
 *
 * @param tokenUrl - the configured URL
 * @returns the parsed URL
 * @throws AuthProfilesError `CONFIG_INVALID` naming the option `oauth.tokenUrl`
 * @internal
 */
export function checkTokenUrl(tokenUrl: string): URL {
  const invalid = (why: string, cause?: unknown): AuthProfilesError =>
    new AuthProfilesError("CONFIG_INVALID", `oauth.tokenUrl ${why}.`, {
      hint: `Use an https:// URL (default ${DEFAULT_TOKEN_URL}); plain http:// is only allowed on 127.0.0.1, ::1 or localhost.`,
      cause,
      details: { path: "oauth.tokenUrl" },
    });
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch (error) {
    throw invalid(`is not a valid URL (${redactText(tokenUrl).slice(0, 80)})`, error);
  }
  if (url.username !== "" || url.password !== "") throw invalid("must not contain a user name or password");
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHostname(url.hostname)) return url;
  throw invalid(`must use https (got ${url.protocol}//${url.host})`);
}

interface TransportContext {
  readonly profileId: string;
  readonly status: number | null;
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
  readonly timeout: AbortSignal;
  readonly signal: AbortSignal | undefined;
}

function transportError(error: unknown, context: TransportContext): RefreshError {
  const { profileId, status, secrets } = context;
  if (error instanceof BodyTooLargeError) {
    return new RefreshError({ profileId, kind: "too_large", status, detail: error.message }, { secrets });
  }
  if (context.timeout.aborted) {
    return new RefreshError({ profileId, kind: "timeout", status, detail: `no complete response within ${context.timeoutMs} ms` }, { secrets, cause: error });
  }
  if (context.signal?.aborted === true) {
    return new RefreshError({ profileId, kind: "aborted", status, detail: "aborted by the caller" }, { secrets, cause: error });
  }
  return new RefreshError({ profileId, kind: "network", status, detail: `network error: ${networkReason(error)}` }, { secrets, cause: error });
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return error instanceof Error ? error.message : "unknown";
}
