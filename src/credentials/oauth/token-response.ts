import * as v from "valibot";
import { summarizeIssue } from "../../config/issue-path.js";
import { headerValueProblem } from "../../model/header-value.js";
import { rememberSecrets } from "../../model/redact.js";
import { lazySchema } from "../../model/lazy-schema.js";

/** Longest token lifetime accepted from the endpoint (10 years); larger means a broken response. */
const MAX_EXPIRES_IN_S = 10 * 365 * 86_400;

/** The fields of a token response this library uses; others (`scope`, `account`…) are ignored. */
const TokenResponseSchema = lazySchema(() =>
  v.object({
    access_token: v.pipe(v.string(), v.minLength(1)),
    expires_in: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(MAX_EXPIRES_IN_S)),
    refresh_token: v.optional(v.pipe(v.string(), v.minLength(1))),
  }),
);

/** An OAuth error body (RFC 6749 §5.2): `{ error, error_description }`. */
const OAuthErrorBodySchema = lazySchema(() => v.object({ error: v.string(), error_description: v.optional(v.string()) }));
/** An Anthropic API error body: `{ error: { type, message } }`. */
const ApiErrorBodySchema = lazySchema(() => v.object({ error: v.object({ type: v.string(), message: v.optional(v.string()) }) }));

/** A token response that passed validation. @internal */
export interface TokenResponse {
  /** The new access token. */
  readonly accessToken: string;
  /** Lifetime of the access token in seconds. */
  readonly expiresInS: number;
  /** The rotated refresh token, when the endpoint sent one. */
  readonly refreshToken: string | undefined;
}

/** What went wrong with a body, without any of its content. @internal */
export interface BodyProblem {
  /** The endpoint's error code, when the body carried one. */
  readonly oauthError: string | null;
  /** A short, input-free explanation. */
  readonly detail: string;
}

/** Thrown by {@link readBodyCapped} when the body is larger than allowed. @internal */
export class BodyTooLargeError extends Error {
  /** The cap that was exceeded, in bytes. */
  readonly maxBytes: number;

  /**
   * @param maxBytes - the cap that was exceeded
   */
  constructor(maxBytes: number) {
    super(`response body larger than ${maxBytes} bytes`);
    this.name = "BodyTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/**
 * Reads a response body as UTF-8, streaming, and stops as soon as it passes `maxBytes` (a huge or
 * endless body never gets buffered whole).
 *
 * @param response - the fetch response
 * @param maxBytes - the size cap
 * @returns the body text
 * @throws BodyTooLargeError when the declared or actual size passes the cap; network errors as is
 * @internal
 */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

/**
 * Validates a 2xx token response body.
 *
 * @param text - the body
 * @returns the token response, or the problem (never echoing the body, which may hold tokens)
 * @internal
 */
export function parseTokenResponse(text: string): TokenResponse | BodyProblem {
  const json = parseJson(text);
  if (json === undefined) return { oauthError: null, detail: describeNonJson(text) };
  const parsed = v.safeParse(TokenResponseSchema, json);
  if (parsed.success) {
    rememberSecrets(parsed.output.access_token, parsed.output.refresh_token);
    // A token that cannot be sent in a header would make every later call fail: the refresh fails
    // instead, and nothing of this answer is written to the store or to Claude Code's file.
    for (const [field, value] of [["access_token", parsed.output.access_token], ["refresh_token", parsed.output.refresh_token]] as const) {
      const problem = value === undefined ? null : headerValueProblem(value);
      if (problem !== null) return { oauthError: null, detail: `invalid token response: ${field} cannot be sent in a header (it ${problem})` };
    }
    return {
      accessToken: parsed.output.access_token,
      expiresInS: parsed.output.expires_in,
      refreshToken: parsed.output.refresh_token,
    };
  }
  const endpointError = describeErrorBody(text);
  if (endpointError.oauthError !== null) return endpointError;
  const issue = summarizeIssue(parsed.issues[0]);
  return { oauthError: null, detail: `invalid token response: ${issue.path} ${issue.problem}` };
}

/**
 * Extracts the endpoint's error code and description from an error body.
 *
 * @param text - the body of a failed (or error-shaped) response
 * @returns the code and description; unknown shapes give a neutral description
 * @internal
 */
export function describeErrorBody(text: string): BodyProblem {
  const json = parseJson(text);
  if (json === undefined) return { oauthError: null, detail: describeNonJson(text) };
  const oauth = v.safeParse(OAuthErrorBodySchema, json);
  if (oauth.success) return { oauthError: oauth.output.error, detail: oauth.output.error_description ?? "" };
  const api = v.safeParse(ApiErrorBodySchema, json);
  if (api.success) return { oauthError: api.output.error.type, detail: api.output.error.message ?? "" };
  return { oauthError: null, detail: "unrecognised error body" };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeNonJson(text: string): string {
  if (text.trim() === "") return "empty body";
  if (/^\s*</.test(text)) return "HTML instead of JSON (a proxy or captive portal page?)";
  return "malformed or truncated JSON";
}
