import type { CacheControlTtl } from "../config/types.js";
import { credentialHeaders, hideCredential } from "./auth-headers.js";
import { EXTENDED_CACHE_TTL_BETA, mergeBetas, parseBetaHeader } from "./betas.js";
import { findCacheBreakpoints } from "./cache-breakpoints.js";
import { applyCacheTtl } from "./cache-ttl.js";
import type { DecorationAuth, HeaderDecoration, HeadersInput } from "./types.js";
import { requireObject } from "../model/arguments.js";
import { checkDecorationAuth } from "./arguments.js";

/** Header names decoration owns: the credential headers and the beta list. */
const OWNED_HEADERS = new Set(["x-api-key", "authorization", "anthropic-beta"]);

/**
 * Options of {@link decorateRequest}.
 *
 * @category Request decoration
 */
export interface DecorateRequestOptions {
  /** The caller's per-request headers; their `anthropic-beta` is merged, never replaced. */
  readonly headers?: HeadersInput;
}

/**
 * A request body without the SDK's per-request `betas` field (moved to the `anthropic-beta` header).
 *
 * @category Request decoration
 */
export type WithoutBetas<T> = T extends unknown ? Omit<T, "betas"> : never;

/**
 * The outcome of {@link decorateRequest}.
 *
 * @category Request decoration
 */
export interface DecoratedRequest<T> extends HeaderDecoration {
  /** The body to send: cache TTLs written, `betas` removed; the caller's object is never mutated. */
  readonly params: WithoutBetas<T>;
  /** The merged beta list sent in `anthropic-beta`: the caller's first, then ours. */
  readonly betas: readonly string[];
  /** The TTL written on the caller's cache markers, or `null` (none set, token/oauth mode, no TTL). */
  readonly cacheControlTtlApplied: CacheControlTtl | null;
  /** How many ephemeral cache markers the body has (Anthropic allows at most 4). */
  readonly breakpoints: number;
}

/**
 * Decorates one Messages API call for a credential: auth header, betas and prompt-cache TTL.
 *
 * @remarks
 * - `api_key` sets `x-api-key` and removes `authorization`; `token`/`oauth` set
 *   `authorization: Bearer …`, remove `x-api-key` and add the beta `oauth-2025-04-20`. The names to
 *   remove are in `removeHeaders`: delete them from the outgoing request (or pass
 *   `toRequestHeaders`, which maps them to the SDK's `null`), so an SDK default credential
 *   cannot travel next to ours.
 * - Betas from `params.betas`, then the caller's `anthropic-beta` header (any case), then ours, are
 *   merged without duplicates into one `anthropic-beta` header. `betas` is removed from the returned
 *   params, so the result suits both `client.messages.create` and `client.beta.messages.create`.
 * - With `mode: "api_key"` and a `cacheControlTtl`, {@link applyCacheTtl} writes the TTL on the
 *   caller's bare cache markers and, when it changed one, adds `extended-cache-ttl-2025-04-11`.
 *   Subscription modes ignore the TTL (Anthropic does not honour it there).
 * - `headers` is the complete header set to send: the caller's headers (lowercased, `null` values
 *   dropped, any `x-api-key`/`authorization` replaced) plus ours. It never contains a user agent,
 *   `x-app` or another client's betas, and the body never gains a system prompt.
 *
 * @param auth - the credential (a `ResolvedAuth` fits)
 * @param params - a Messages API create or count_tokens body; never mutated
 * @param options - the caller's per-request headers
 * @returns the body and headers to send, plus what was applied
 * @throws AuthProfilesError `INVALID_ARGUMENT` when the secret cannot be sent in a header or the mode
 * is unknown
 *
 * @example
 * ```ts
 * const auth = await resolver.resolve({ model: "claude-sonnet-5" });
 * const { params, ...decoration } = decorateRequest(auth, body, { headers: { "anthropic-beta": "files-api-2025-04-14" } });
 * await client.messages.create(params, { headers: toRequestHeaders(decoration) });
 * ```
 *
 * @category Request decoration
 */
export function decorateRequest<T extends object>(auth: DecorationAuth, params: T, options: DecorateRequestOptions = {}): DecoratedRequest<T> {
  checkDecorationAuth("decorateRequest", auth);
  requireObject("decorateRequest", "params", params);
  requireObject("decorateRequest", "options", options);
  const credential = credentialHeaders(auth);
  const { betas: callerBetas, rest } = splitBetas(params);
  const cache =
    (auth.mode === "api_key" || auth.cacheTtlForSubscription === true) && auth.cacheControlTtl !== null
      ? applyCacheTtl(rest, auth.cacheControlTtl)
      : { params: rest, cacheControlTtlApplied: null, breakpoints: findCacheBreakpoints(rest).length };
  const caller = callerHeaders(options.headers);
  const betas = mergeBetas(
    callerBetas,
    caller.betas,
    credential.betas,
    cache.cacheControlTtlApplied === null ? [] : [EXTENDED_CACHE_TTL_BETA],
  );
  const headers = hideCredential({ ...caller.headers, ...credential.headers });
  if (betas.length > 0) headers["anthropic-beta"] = betas.join(",");
  return {
    params: cache.params as WithoutBetas<T>,
    headers,
    removeHeaders: credential.removeHeaders,
    betas,
    cacheControlTtlApplied: cache.cacheControlTtlApplied,
    breakpoints: cache.breakpoints,
  };
}

function splitBetas(params: object): { betas: readonly string[]; rest: object } {
  if (!Object.prototype.hasOwnProperty.call(params, "betas")) return { betas: [], rest: params };
  const { betas, ...rest } = params as { betas?: unknown };
  const list = Array.isArray(betas) ? betas.filter((b: unknown): b is string => typeof b === "string") : [];
  return { betas: list, rest };
}

function callerHeaders(input: HeadersInput | undefined): { headers: Record<string, string>; betas: string[] } {
  const headers: Record<string, string> = {};
  const betas: string[] = [];
  if (input === undefined) return { headers, betas };
  const entries: Iterable<readonly [string, string | null | undefined]> = input instanceof Headers ? input.entries() : Object.entries(input);
  for (const [rawName, value] of entries) {
    if (value === null || value === undefined) continue;
    const name = rawName.toLowerCase();
    if (name === "anthropic-beta") betas.push(...parseBetaHeader(value));
    else if (!OWNED_HEADERS.has(name)) headers[name] = value;
  }
  return { headers, betas };
}
