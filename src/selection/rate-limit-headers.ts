// Reads Anthropic's rate-limit headers (see the "Rate limits and quotas" README section). Pure: the
// clock comes in as `now`; nothing here throws on any input.
import { prop } from "./error-facts.js";

/**
 * One standard window (`anthropic-ratelimit-<name>-{limit,remaining,reset}`).
 *
 * @category Selection
 */
export interface LimitWindow {
  /** `-limit`, or `null` when absent or not a non-negative integer. */
  readonly limit: number | null;
  /** `-remaining`, or `null`. */
  readonly remaining: number | null;
  /** `-reset` (an RFC 3339 timestamp) in epoch ms, or `null`. */
  readonly resetAt: number | null;
}

/**
 * Status of a unified (subscription) window.
 *
 * @category Selection
 */
export type UnifiedStatus = "allowed" | "allowed_warning" | "rejected";

/**
 * One unified window (`anthropic-ratelimit-unified-<name>-*`, e.g. `5h`, `7d`, `7d_opus`, `overage`).
 *
 * @category Selection
 */
export interface UnifiedWindow {
  /** `-utilization`: the spent fraction 0–1, or `null`. */
  readonly utilization: number | null;
  /** `-reset` (epoch seconds) in epoch ms, or `null`. */
  readonly resetAt: number | null;
  /** `-status`, or `null` for a value this version does not know. */
  readonly status: UnifiedStatus | null;
}

/**
 * What one response said about the limits of the credential it was sent with.
 *
 * @category Selection
 */
export interface RateLimitSnapshot {
  /** When the response was read, epoch ms. */
  readonly at: number;
  /** Standard windows by name: `requests`, `tokens`, `input-tokens`, `output-tokens` (those present). */
  readonly windows: Readonly<Record<string, LimitWindow>>;
  /** `anthropic-ratelimit-unified-status`, or `null`. */
  readonly unifiedStatus: UnifiedStatus | null;
  /** `anthropic-ratelimit-unified-reset` in epoch ms, or `null`. */
  readonly unifiedResetAt: number | null;
  /** `anthropic-ratelimit-unified-representative-claim` (`five_hour`, `seven_day_opus`, …), or `null`. */
  readonly representativeClaim: string | null;
  /** Unified windows by name (`5h`, `7d`, `7d_sonnet`, `overage`, …). */
  readonly unified: Readonly<Record<string, UnifiedWindow>>;
  /** `retry-after-ms` / `retry-after` in ms, or `null`. */
  readonly retryAfterMs: number | null;
}

/**
 * Headers as the SDK, `fetch` or a plain object carry them.
 *
 * @category Resolving
 */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | number | undefined>>;

const PREFIX = "anthropic-ratelimit-";
const UNIFIED = "anthropic-ratelimit-unified-";
const UNIFIED_STATUS = `${UNIFIED}status`;
const UNIFIED_RESET = `${UNIFIED}reset`;
const UNIFIED_CLAIM = `${UNIFIED}representative-claim`;
/** `anthropic-ratelimit-<window>-<field>` of the standard windows, looked up whole (no regex per header). */
const STANDARD_FIELDS: ReadonlyMap<string, { readonly window: string; readonly field: "limit" | "remaining" | "reset" }> = new Map(
  ["requests", "tokens", "input-tokens", "output-tokens"].flatMap((window) =>
    (["limit", "remaining", "reset"] as const).map((field) => [`${PREFIX}${window}-${field}`, { window, field }] as const),
  ),
);
const UNIFIED_WINDOW = /^anthropic-ratelimit-unified-([a-z0-9_]{1,32})-(utilization|reset|status)$/;
const INTEGER = /^\d{1,15}$/;
const DECIMAL = /^\d{1,6}(?:\.\d{1,12})?$/;
/** RFC 3339 date-time (the `-reset` of standard windows). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/** No reset in Anthropic's windows lies further out than this (the weekly window, with slack). */
const MAX_RESET_AHEAD_MS = 31 * 24 * 3_600_000;
/** Headers read at most per response, so a hostile proxy cannot make parsing expensive. */
const MAX_HEADERS = 200;

/**
 * Parses Anthropic's rate-limit headers from a response (success or error), each in its documented
 * format.
 *
 * @remarks
 * - Standard windows (API keys): `-limit` / `-remaining` integers, `-reset` an RFC 3339 timestamp.
 * - Unified windows (subscriptions): `-utilization` a fraction 0–1, `-reset` epoch **seconds**,
 *   `-status` `allowed` / `allowed_warning` / `rejected`; the overall `unified-status`,
 *   `unified-reset` and `unified-representative-claim`.
 * - `retry-after-ms` (milliseconds) wins over `retry-after` (seconds or an HTTP date).
 *
 * Any subset may be absent (subscription traffic carries them inconsistently). A malformed value, a
 * utilization outside 0–1.5 or a reset more than 31 days from `now` is ignored, never guessed.
 *
 * @param headers - a `Headers` instance or a plain record (any letter case)
 * @param now - epoch ms
 * @returns the snapshot, or `null` when no rate-limit header is present
 *
 * @example
 * ```ts
 * const snap = parseRateLimitHeaders(response.headers, Date.now());
 * snap?.windows["requests"]?.remaining; // 0
 * snap?.unified["5h"]?.utilization;     // 0.42
 * ```
 *
 * @category Selection
 */
export function parseRateLimitHeaders(headers: HeadersLike, now: number): RateLimitSnapshot | null {
  const windows: Record<string, { limit: number | null; remaining: number | null; resetAt: number | null }> = {};
  const unified: Record<string, { utilization: number | null; resetAt: number | null; status: UnifiedStatus | null }> = {};
  let unifiedStatus: UnifiedStatus | null = null;
  let unifiedResetAt: number | null = null;
  let representativeClaim: string | null = null;
  let retryAfterMs: number | null = null;
  let retryAfter: number | null = null;
  let seen = false;
  eachHeader(headers, (rawName, value) => {
    const name = rawName.toLowerCase();
    if (!name.startsWith(PREFIX)) {
      if (name === "retry-after-ms") retryAfterMs = decimal(value);
      else if (name === "retry-after") retryAfter = retryAfterValue(value, now);
      return;
    }
    seen = true;
    const standard = STANDARD_FIELDS.get(name);
    if (standard !== undefined) {
      const window = (windows[standard.window] ??= { limit: null, remaining: null, resetAt: null });
      if (standard.field === "reset") window.resetAt = rfc3339(value, now);
      else window[standard.field] = integer(value);
      return;
    }
    if (!name.startsWith(UNIFIED)) return;
    if (name === UNIFIED_STATUS) unifiedStatus = status(value);
    else if (name === UNIFIED_RESET) unifiedResetAt = epochSeconds(value, now);
    else if (name === UNIFIED_CLAIM) representativeClaim = claim(value);
    else {
      const match = UNIFIED_WINDOW.exec(name);
      if (match === null) return;
      const window = (unified[match[1] as string] ??= { utilization: null, resetAt: null, status: null });
      if (match[2] === "utilization") window.utilization = utilization(value);
      else if (match[2] === "reset") window.resetAt = epochSeconds(value, now);
      else window.status = status(value);
    }
  });
  const wait = retryAfterMs ?? retryAfter;
  if (!seen && wait === null) return null;
  return { at: now, windows, unifiedStatus, unifiedResetAt, representativeClaim, unified, retryAfterMs: wait };
}

/**
 * Reads the rate-limit headers of a thrown error (`error.headers` or `error.response.headers`).
 *
 * @param error - anything thrown by a model call
 * @param now - epoch ms
 * @returns the snapshot, or `null`
 *
 * @category Selection
 */
export function rateLimitsFromError(error: unknown, now: number): RateLimitSnapshot | null {
  const headers = prop(error, "headers") ?? prop(prop(error, "response"), "headers");
  if (typeof headers !== "object" || headers === null) return null;
  return parseRateLimitHeaders(headers as HeadersLike, now);
}

/**
 * Calls `visit` with each header's name and first usable value, at most {@link MAX_HEADERS} of
 * them. A `Headers` is walked with its own `forEach` (no iterator, no pair arrays per header), a
 * look-alike with `entries`, a plain record by its own keys. An accessor that throws ends the walk;
 * what was read before it counts.
 */
function eachHeader(headers: HeadersLike, visit: (name: string, value: string) => void): void {
  let read = 0;
  const take = (raw: unknown, name: unknown): void => {
    if (read >= MAX_HEADERS) return;
    const value = first(raw);
    if (typeof name !== "string" || value === null) return;
    read += 1;
    visit(name, value);
  };
  try {
    const iterates = typeof prop(headers, "get") === "function";
    const forEach = iterates ? prop(headers, "forEach") : undefined;
    if (typeof forEach === "function") {
      forEach.call(headers, take);
      return;
    }
    const entries = iterates ? prop(headers, "entries") : undefined;
    const iterable: Iterable<[string, unknown]> = typeof entries === "function" ? (entries.call(headers) as Iterable<[string, unknown]>) : Object.entries(headers);
    for (const [name, raw] of iterable) {
      if (read >= MAX_HEADERS) return;
      take(raw, name);
    }
  } catch {
    return;
  }
}

function first(value: unknown): string | null {
  const item: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof item === "string") return item.length > 256 ? null : item.trim();
  return typeof item === "number" && Number.isFinite(item) ? String(item) : null;
}

function integer(value: string): number | null {
  return INTEGER.test(value) ? Number(value) : null;
}

function decimal(value: string): number | null {
  return DECIMAL.test(value) ? Number(value) : null;
}

function utilization(value: string): number | null {
  const n = decimal(value);
  return n !== null && n <= 1.5 ? n : null;
}

function plausible(at: number, now: number): number | null {
  return Number.isFinite(at) && at - now <= MAX_RESET_AHEAD_MS ? at : null;
}

function rfc3339(value: string, now: number): number | null {
  return RFC3339.test(value) ? plausible(Date.parse(value.replace(" ", "T")), now) : null;
}

function epochSeconds(value: string, now: number): number | null {
  const seconds = integer(value);
  return seconds === null ? null : plausible(seconds * 1_000, now);
}

function status(value: string): UnifiedStatus | null {
  const v = value.toLowerCase();
  return v === "allowed" || v === "allowed_warning" || v === "rejected" ? v : null;
}

function claim(value: string): string | null {
  return /^[a-z0-9_]{1,40}$/i.test(value) ? value.toLowerCase() : null;
}

function retryAfterValue(value: string, now: number): number | null {
  const seconds = decimal(value);
  if (seconds !== null) return Math.round(seconds * 1_000);
  const at = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
