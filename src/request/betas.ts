import { requireString } from "../model/arguments.js";
import { checkBetaList } from "./arguments.js";

/**
 * The beta that Anthropic requires on every request authenticated with an OAuth bearer token.
 *
 * @category Request decoration
 */
export const OAUTH_BETA = "oauth-2025-04-20";

/**
 * The beta that used to gate the 1 h prompt-cache TTL. The API still accepts it; the contract adds it
 * whenever a configured TTL is applied to a request.
 *
 * @category Request decoration
 */
export const EXTENDED_CACHE_TTL_BETA = "extended-cache-ttl-2025-04-11";

/**
 * Splits an `anthropic-beta` header value into beta names.
 *
 * @param value - a comma-separated header value, or nothing
 * @returns the trimmed, non-empty names, in order (duplicates kept)
 *
 * @example
 * ```ts
 * parseBetaHeader(" a, b,,c "); // ["a", "b", "c"]
 * ```
 *
 * @category Request decoration
 */
export function parseBetaHeader(value: string | null | undefined): string[] {
  if (value !== null && value !== undefined) requireString("parseBetaHeader", "value", value);
  if (value === null || value === undefined) return [];
  return value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/**
 * Unions beta lists: the first occurrence of each name wins its position, nothing is dropped.
 *
 * @param lists - beta lists in priority order (the caller's first, then ours)
 * @returns a new list without duplicates or empty names
 *
 * @category Request decoration
 */
export function mergeBetas(...lists: readonly (readonly string[])[]): string[] {
  for (const list of lists) checkBetaList("mergeBetas", list);
  const merged: string[] = [];
  for (const list of lists) {
    for (const raw of list) {
      const name = raw.trim();
      if (name.length > 0 && !merged.includes(name)) merged.push(name);
    }
  }
  return merged;
}

/**
 * Adds betas to an existing `anthropic-beta` header value without replacing or reordering it.
 *
 * @remarks Meant for middleware, which sees the request after the SDK turned a per-request `betas`
 * array into this header.
 *
 * @param existing - the current header value (`headers.get("anthropic-beta")`), or `null`
 * @param add - betas to append when missing
 * @returns the merged, comma-separated value (empty string when there is no beta at all)
 *
 * @example
 * ```ts
 * mergeBetaHeader("files-api-2025-04-14,oauth-2025-04-20", ["oauth-2025-04-20", "extended-cache-ttl-2025-04-11"]);
 * // "files-api-2025-04-14,oauth-2025-04-20,extended-cache-ttl-2025-04-11"
 * ```
 *
 * @category Request decoration
 */
export function mergeBetaHeader(existing: string | null, add: readonly string[]): string {
  if (existing !== null) requireString("mergeBetaHeader", "existing", existing);
  checkBetaList("mergeBetaHeader", add);
  return mergeBetas(parseBetaHeader(existing), add).join(",");
}
