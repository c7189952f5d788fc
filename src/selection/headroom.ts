import type { StoredRateLimits, UsageStats } from "../model/store.js";
import { DEFAULT_MODEL_FAMILIES } from "./model-family.js";
import type { RateLimitSnapshot } from "./rate-limit-headers.js";
import { requireNumber, requireObject } from "../model/arguments.js";

/**
 * Unified utilization at or above this fraction counts as exhausted: 0.98.
 *
 * @category Selection
 */
export const DEFAULT_UTILIZATION_THRESHOLD = 0.98;

/**
 * A window known to be used up, and until when.
 *
 * @category Selection
 */
export interface Exhaustion {
  /** Epoch ms of the latest reset among the exhausted windows (they are AND-composed). */
  readonly until: number;
  /** The window that binds: `requests`, `tokens`, `input-tokens`, `output-tokens`, `unified`, `5h`, `7d_opus`, … */
  readonly window: string;
}

/**
 * Options of {@link exhaustionOf}.
 *
 * @category Selection
 */
export interface ExhaustionOptions {
  /** The family the snapshot is judged for: a unified window named for another family (`7d_opus`) is skipped. */
  readonly family?: string | null | undefined;
  /** Unified utilization counted as exhausted. Default {@link DEFAULT_UTILIZATION_THRESHOLD}. */
  readonly threshold?: number | undefined;
  /** Until when a unified `rejected` without any reset counts. Default `now` + 1 h. */
  readonly unknownResetMs?: number | undefined;
}

/** A unified rejection without a reset time is assumed to last this long: 1 h. @internal */
export const DEFAULT_UNKNOWN_RESET_MS = 3_600_000;

const FAMILY_NAMES: readonly string[] = DEFAULT_MODEL_FAMILIES.map((rule) => rule.family);

/**
 * Tells whether a response's headers say a window of the credential is used up.
 *
 * @remarks
 * Exhausted means, for a window whose reset is still ahead: a standard `-remaining` of 0; a unified
 * window `rejected` or at or above the utilization threshold; or the overall unified status
 * `rejected` (until `unified-reset`). When several are exhausted the latest reset wins. A unified
 * window or representative claim named for another model family (`7d_opus` when judging `sonnet`)
 * is ignored.
 *
 * @param snapshot - parsed headers (see `parseRateLimitHeaders`)
 * @param now - epoch ms
 * @param options - family, threshold
 * @returns the binding window and its reset, or `null` when there is headroom (or nothing is known)
 *
 * @example
 * ```ts
 * exhaustionOf(parseRateLimitHeaders(headers, now)!, now); // { until: …, window: "requests" }
 * ```
 *
 * @category Selection
 */
export function exhaustionOf(snapshot: RateLimitSnapshot, now: number, options: ExhaustionOptions = {}): Exhaustion | null {
  requireObject("exhaustionOf", "snapshot", snapshot);
  requireObject("exhaustionOf", "snapshot.windows", snapshot.windows);
  requireObject("exhaustionOf", "snapshot.unified", snapshot.unified);
  requireNumber("exhaustionOf", "now", now);
  requireObject("exhaustionOf", "options", options);
  const threshold = options.threshold ?? DEFAULT_UTILIZATION_THRESHOLD;
  let best: Exhaustion | null = null;
  const consider = (until: number | null, window: string): void => {
    if (until === null || until <= now) return;
    if (best === null || until > best.until) best = { until, window };
  };
  for (const [name, window] of Object.entries(snapshot.windows)) {
    if (window.remaining === 0) consider(window.resetAt, name);
  }
  for (const [name, window] of Object.entries(snapshot.unified)) {
    if (!appliesTo(name, options.family)) continue;
    const over = window.status === "rejected" || (window.utilization !== null && window.utilization >= threshold);
    if (over) consider(window.resetAt ?? snapshot.unifiedResetAt, name);
  }
  if (snapshot.unifiedStatus === "rejected" && appliesTo(snapshot.representativeClaim ?? "", options.family)) {
    consider(snapshot.unifiedResetAt ?? now + (options.unknownResetMs ?? DEFAULT_UNKNOWN_RESET_MS), "unified");
  }
  return best;
}

/**
 * The stored headroom of one family: exhausted until when, if that is still ahead.
 *
 * @param stats - a profile's usage stats
 * @param family - the model family, or `null` for none
 * @param now - epoch ms
 * @returns epoch ms until which the family is known to be exhausted, or `null`
 *
 * @category Selection
 */
export function storedExhaustedUntil(stats: UsageStats | undefined, family: string | null, now: number): number | null {
  if (family === null) return null;
  const limits = ownEntry(stats?.rateLimits, family);
  const until = limits?.exhaustedUntil;
  return typeof until === "number" && Number.isFinite(until) && until > now ? until : null;
}

/**
 * The store form of an exhaustion reading.
 *
 * @param exhaustion - the reading, or `null` for headroom
 * @param at - epoch ms of the response
 * @returns what goes into `usageStats[id].rateLimits[family]`
 *
 * @category Selection
 */
export function toStoredRateLimits(exhaustion: Exhaustion | null, at: number): StoredRateLimits {
  return exhaustion === null ? { at } : { at, exhaustedUntil: exhaustion.until, window: exhaustion.window };
}

function appliesTo(windowName: string, family: string | null | undefined): boolean {
  const named = FAMILY_NAMES.find((name) => windowName.includes(name));
  if (named === undefined) return true;
  return family !== null && family !== undefined && family.startsWith(named);
}

function ownEntry(record: Readonly<Record<string, StoredRateLimits>> | undefined, key: string): StoredRateLimits | undefined {
  if (typeof record !== "object" || record === null || !Object.hasOwn(record, key)) return undefined;
  const value: unknown = record[key];
  return typeof value === "object" && value !== null ? (value as StoredRateLimits) : undefined;
}
