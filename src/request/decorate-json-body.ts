import { applyCacheTtl } from "./cache-ttl.js";
import type { DecorationAuth } from "./types.js";
import { requireString } from "../model/arguments.js";
import { checkDecorationAuth } from "./arguments.js";

/**
 * Applies the prompt-cache TTL to a serialized JSON request body, for middleware that sees the
 * request after the SDK encoded it.
 *
 * @remarks A non-`null` result means a TTL was written: add `extended-cache-ttl-2025-04-11` to the
 * `anthropic-beta` header (see `mergeBetaHeader`). Auth headers are not this function's job; use
 * `credentialHeaders` / `applyHeaderDecoration`.
 *
 * @param auth - the credential; only `api_key` with a `cacheControlTtl` changes anything
 * @param body - the request body as text or UTF-8 bytes
 * @returns the re-serialized body, or `null` when it is not a JSON object, the mode or TTL does not
 * apply, or no cache marker needed a TTL (send the original body unchanged)
 *
 * @example
 * ```ts
 * const next = typeof request.body === "string" ? decorateJsonBody(auth, request.body) : null;
 * if (next !== null) request.body = next;
 * ```
 *
 * @category Request decoration
 */
export function decorateJsonBody(auth: DecorationAuth, body: string | Uint8Array): string | null {
  checkDecorationAuth("decorateJsonBody", auth);
  if (typeof body !== "string" && !(body instanceof Uint8Array)) requireString("decorateJsonBody", "body", body);
  if ((auth.mode !== "api_key" && auth.cacheTtlForSubscription !== true) || auth.cacheControlTtl === null) return null;
  const parsed = parseJsonObject(body);
  if (parsed === null) return null;
  const result = applyCacheTtl(parsed, auth.cacheControlTtl);
  return result.cacheControlTtlApplied === null ? null : JSON.stringify(result.params);
}

function parseJsonObject(body: string | Uint8Array): object | null {
  try {
    const text = typeof body === "string" ? body : new TextDecoder("utf-8", { fatal: true }).decode(body);
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
