import type { CacheControlTtl } from "../config/types.js";
import { findCacheBreakpoints } from "./cache-breakpoints.js";
import { updatePaths, type PathUpdate } from "./update-paths.js";
import { requireObject } from "../model/arguments.js";
import { checkCacheTtlArgument } from "./arguments.js";

/**
 * The outcome of {@link applyCacheTtl}.
 *
 * @category Request decoration
 */
export interface CacheTtlResult<T> {
  /** The body with TTLs written; the input itself when nothing changed. */
  readonly params: T;
  /**
   * The TTL written on the caller's markers: the requested one, or `5m` when every marker that got a
   * TTL had to be downgraded; `null` when no marker was changed.
   */
  readonly cacheControlTtlApplied: CacheControlTtl | null;
  /** How many ephemeral cache markers the body has (Anthropic allows at most 4). */
  readonly breakpoints: number;
  /** How many markers got `5m` instead of `1h` to keep every `1h` breakpoint before any `5m` one. */
  readonly downgraded: number;
}

/**
 * Writes a TTL on every ephemeral cache marker the caller set without one.
 *
 * @remarks
 * A TTL the caller wrote is kept. Anthropic rejects a `1h` breakpoint after a `5m` one in prefix
 * order (`tools` → `system` → `messages` → top-level automatic marker), so once a `5m` breakpoint
 * is seen every later bare marker gets `5m`; content is never reordered. No marker is added and
 * nothing else in the body changes. The input is never mutated: only the objects on the way to a
 * changed marker are copied.
 *
 * @param params - a Messages API create or count_tokens body
 * @param ttl - the TTL to apply
 * @returns the new body and what was done
 *
 * @example
 * ```ts
 * applyCacheTtl({ system: [{ type: "text", text: big, cache_control: { type: "ephemeral" } }], messages }, "1h").params;
 * // system[0].cache_control is { type: "ephemeral", ttl: "1h" }
 * ```
 *
 * @category Request decoration
 */
export function applyCacheTtl<T extends object>(params: T, ttl: CacheControlTtl): CacheTtlResult<T> {
  requireObject("applyCacheTtl", "params", params);
  if (ttl !== "5m" && ttl !== "1h") checkCacheTtlArgument("applyCacheTtl", ttl);
  const breakpoints = findCacheBreakpoints(params);
  const updates: PathUpdate[] = [];
  let seenFiveMinutes = false;
  let downgraded = 0;
  let wroteRequested = false;
  for (const point of breakpoints) {
    if (point.ttl !== undefined && point.ttl !== null) {
      if (point.ttl === "5m") seenFiveMinutes = true;
      continue;
    }
    const written: CacheControlTtl = ttl === "1h" && seenFiveMinutes ? "5m" : ttl;
    if (written !== ttl) downgraded += 1;
    else wroteRequested = true;
    if (written === "5m") seenFiveMinutes = true;
    updates.push({ path: [...point.path, "cache_control"], update: (marker) => ({ ...(marker as object), ttl: written }) });
  }
  const applied: CacheControlTtl | null = updates.length === 0 ? null : wroteRequested ? ttl : "5m";
  return { params: updatePaths(params, updates), cacheControlTtlApplied: applied, breakpoints: breakpoints.length, downgraded };
}
