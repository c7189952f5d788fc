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
  /**
   * `true` when the only exhausted windows are unified ones at or above the utilization threshold
   * but below 100 % and not `rejected`: the server still answers, so such a profile is tried after
   * the others, not skipped. Absent for a hard exhaustion (a `-remaining` of 0, a `rejected`
   * status, a utilization of 1 or more), which rests the (profile, family) pair until the reset.
   */
  readonly soft?: true;
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
  /**
   * Also report an exhausted window whose reset has already passed (its `until` is then at or
   * before `now`): a 429 that names such a window says the limit is already refilled, which is no
   * reason to cool down. Default `false`.
   */
  readonly lapsed?: boolean | undefined;
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
 * `rejected` (until `unified-reset`). When several are exhausted the latest reset wins, a hard
 * exhaustion before a soft one (see {@link Exhaustion.soft}). A unified
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
  const lapsed = options.lapsed === true;
  let hard: Exhaustion | null = null;
  let soft: Exhaustion | null = null;
  const consider = (until: number | null, window: string, isSoft: boolean): void => {
    if (until === null || (!lapsed && until <= now)) return;
    if (isSoft) {
      if (soft === null || until > soft.until) soft = { until, window, soft: true };
    } else if (hard === null || until > hard.until) hard = { until, window };
  };
  for (const [name, window] of Object.entries(snapshot.windows)) {
    if (window.remaining === 0) consider(window.resetAt, name, false);
  }
  for (const [name, window] of Object.entries(snapshot.unified)) {
    if (!appliesTo(name, options.family)) continue;
    const full = window.status === "rejected" || (window.utilization !== null && window.utilization >= 1);
    const over = full || (window.utilization !== null && window.utilization >= threshold);
    if (over) consider(window.resetAt ?? snapshot.unifiedResetAt, name, !full);
  }
  if (snapshot.unifiedStatus === "rejected" && appliesTo(snapshot.representativeClaim ?? "", options.family)) {
    consider(snapshot.unifiedResetAt ?? now + (options.unknownResetMs ?? DEFAULT_UNKNOWN_RESET_MS), "unified", false);
  }
  return hard ?? soft;
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
  return storedExhaustion(stats, family, now)?.until ?? null;
}

/**
 * The stored headroom of one family, with its kind.
 *
 * @param stats - a profile's usage stats
 * @param family - the model family, or `null` for none
 * @param now - epoch ms
 * @returns until when and whether the exhaustion is soft, or `null` when there is headroom
 * @internal
 */
export function storedExhaustion(stats: UsageStats | undefined, family: string | null, now: number): { readonly until: number; readonly soft: boolean } | null {
  if (family === null) return null;
  const limits = ownEntry(stats?.rateLimits, family);
  const until = limits?.exhaustedUntil;
  if (typeof until !== "number" || !Number.isFinite(until) || until <= now) return null;
  return { until, soft: limits?.soft === true };
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
  if (exhaustion === null) return { at };
  return { at, exhaustedUntil: exhaustion.until, window: exhaustion.window, ...(exhaustion.soft === true ? { soft: true as const } : {}) };
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

/**
 * How many more requests fit in a (profile, family) pair's binding window, as its last response
 * said: the standard `requests` window counts them (`-remaining`, refilled to `-limit` at
 * `-reset`); a unified window counts utilization, turned into requests with the share one request
 * was seen to take (`steps`).
 *
 * @internal
 */
export interface RequestRoom {
  /** Requests that fit before `resetAt`; `Infinity` when the headers do not say. */
  readonly room: number;
  /** Epoch ms at which the binding window refills, or `null`. */
  readonly resetAt: number | null;
  /** Requests that fit once it has refilled; `Infinity` when unknown. */
  readonly refill: number;
}

/** Utilization steps smaller than this are noise (the headers carry 4 decimals or more). */
const MIN_STEP = 1e-6;

/**
 * Reads the request room of a snapshot.
 *
 * @param snapshot - parsed headers
 * @param family - the family the snapshot is judged for
 * @param steps - utilization taken by one request, per unified window name (see {@link unifiedSteps})
 * @returns the binding room (the smallest), `Infinity` when nothing counts requests
 * @internal
 */
export function requestRoomOf(snapshot: RateLimitSnapshot, family: string | null, steps: ReadonlyMap<string, number>): RequestRoom {
  let best: RequestRoom = { room: Number.POSITIVE_INFINITY, resetAt: null, refill: Number.POSITIVE_INFINITY };
  const requests = snapshot.windows["requests"];
  if (requests !== undefined && requests.remaining !== null) {
    best = { room: requests.remaining, resetAt: requests.resetAt, refill: requests.limit ?? Number.POSITIVE_INFINITY };
  }
  for (const [name, window] of Object.entries(snapshot.unified)) {
    const step = steps.get(name);
    if (step === undefined || step < MIN_STEP || window.utilization === null || !appliesTo(name, family)) continue;
    const room = Math.max(0, Math.floor((1 - window.utilization) / step + MIN_STEP));
    if (room < best.room) best = { room, resetAt: window.resetAt ?? snapshot.unifiedResetAt, refill: Math.floor(1 / step + MIN_STEP) };
  }
  return best;
}

/**
 * Learns the utilization one request takes, per unified window: the smallest change between two
 * readings of the same window (same reset) of one pair.
 *
 * @param previous - the pair's previous snapshot, or `null`
 * @param next - the new one
 * @param steps - the steps known so far (not mutated)
 * @returns the updated steps (the same object when nothing was learnt)
 * @internal
 */
export function unifiedSteps(previous: RateLimitSnapshot | null, next: RateLimitSnapshot, steps: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  if (previous === null) return steps;
  let out: Map<string, number> | null = null;
  for (const [name, window] of Object.entries(next.unified)) {
    const before = Object.hasOwn(previous.unified, name) ? previous.unified[name] : undefined;
    if (before === undefined || before.utilization === null || window.utilization === null) continue;
    if ((before.resetAt ?? previous.unifiedResetAt) !== (window.resetAt ?? next.unifiedResetAt)) continue;
    const step = Math.abs(window.utilization - before.utilization);
    if (step < MIN_STEP || step >= (steps.get(name) ?? Number.POSITIVE_INFINITY)) continue;
    out ??= new Map(steps);
    out.set(name, step);
  }
  return out ?? steps;
}

/**
 * The room of a pair at `now`: its window's room, or its refill once the reset has passed.
 *
 * @param room - the last reading
 * @param now - epoch ms
 * @returns requests that fit, before any in flight are counted
 * @internal
 */
export function roomAt(room: RequestRoom, now: number): number {
  return room.resetAt !== null && room.resetAt <= now ? room.refill : room.room;
}
