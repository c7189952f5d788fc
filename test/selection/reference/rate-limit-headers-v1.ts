// The rate-limit header parser as it was before it walked headers with forEach, kept only as the
// reference the faster one in src/selection/rate-limit-headers.ts must agree with on any input.
import { prop } from "../../../src/selection/error-facts.js";
import type { HeadersLike, RateLimitSnapshot, UnifiedStatus } from "../../../src/selection/rate-limit-headers.js";

const PREFIX = "anthropic-ratelimit-";
const UNIFIED = "anthropic-ratelimit-unified-";
const STANDARD = /^anthropic-ratelimit-(requests|tokens|input-tokens|output-tokens)-(limit|remaining|reset)$/;
const UNIFIED_WINDOW = /^anthropic-ratelimit-unified-([a-z0-9_]{1,32})-(utilization|reset|status)$/;
const INTEGER = /^\d{1,15}$/;
const DECIMAL = /^\d{1,6}(?:\.\d{1,12})?$/;
/** RFC 3339 date-time (the `-reset` of standard windows). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/** No reset in Anthropic's windows lies further out than this (the weekly window, with slack). */
const MAX_RESET_AHEAD_MS = 31 * 24 * 3_600_000;
/** Headers read at most per response, so a hostile proxy cannot make parsing expensive. */
const MAX_HEADERS = 200;

/** The reference parser. */
export function referenceParseRateLimitHeaders(headers: HeadersLike, now: number): RateLimitSnapshot | null {
  const entries = headerEntries(headers);
  const windows: Record<string, { limit: number | null; remaining: number | null; resetAt: number | null }> = {};
  const unified: Record<string, { utilization: number | null; resetAt: number | null; status: UnifiedStatus | null }> = {};
  let unifiedStatus: UnifiedStatus | null = null;
  let unifiedResetAt: number | null = null;
  let representativeClaim: string | null = null;
  let retryAfterMs: number | null = null;
  let retryAfter: number | null = null;
  let seen = false;
  for (const [rawName, value] of entries) {
    const name = rawName.toLowerCase();
    if (name === "retry-after-ms") retryAfterMs = decimal(value);
    else if (name === "retry-after") retryAfter = retryAfterValue(value, now);
    if (!name.startsWith(PREFIX)) continue;
    seen = true;
    const standard = STANDARD.exec(name);
    if (standard !== null) {
      const window = (windows[standard[1] as string] ??= { limit: null, remaining: null, resetAt: null });
      const field = standard[2];
      if (field === "reset") window.resetAt = rfc3339(value, now);
      else window[field === "limit" ? "limit" : "remaining"] = integer(value);
      continue;
    }
    if (name === `${UNIFIED}status`) unifiedStatus = status(value);
    else if (name === `${UNIFIED}reset`) unifiedResetAt = epochSeconds(value, now);
    else if (name === `${UNIFIED}representative-claim`) representativeClaim = claim(value);
    else {
      const match = UNIFIED_WINDOW.exec(name);
      if (match === null) continue;
      const window = (unified[match[1] as string] ??= { utilization: null, resetAt: null, status: null });
      if (match[2] === "utilization") window.utilization = utilization(value);
      else if (match[2] === "reset") window.resetAt = epochSeconds(value, now);
      else window.status = status(value);
    }
  }
  const wait = retryAfterMs ?? retryAfter;
  if (!seen && wait === null) return null;
  return { at: now, windows, unifiedStatus, unifiedResetAt, representativeClaim, unified, retryAfterMs: wait };
}

function headerEntries(headers: HeadersLike): [string, string][] {
  const out: [string, string][] = [];
  try {
    const entries = prop(headers, "entries");
    // A `Headers` (or look-alike) iterates itself; a plain record is read by its own keys.
    const iterable: Iterable<[string, unknown]> =
      typeof entries === "function" && typeof prop(headers, "get") === "function"
        ? (entries.call(headers) as Iterable<[string, unknown]>)
        : Object.entries(headers);
    for (const [name, raw] of iterable) {
      if (out.length >= MAX_HEADERS) break;
      const value = first(raw);
      if (typeof name === "string" && value !== null) out.push([name, value]);
    }
  } catch {
    return out;
  }
  return out;
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
