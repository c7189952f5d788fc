import type { StoreData } from "../model/store.js";
import { exhaustionOf, requestRoomOf, roomAt, storedExhaustion, unifiedSteps, type Exhaustion, type RequestRoom } from "../selection/headroom.js";
import type { RateLimitSnapshot } from "../selection/rate-limit-headers.js";
import { FlightLog } from "./flight-log.js";
import type { Standing } from "./order-cache.js";

function differs(before: Exhaustion | null, after: Exhaustion | null): boolean {
  return (before === null) !== (after === null) || (before !== null && after !== null && Math.abs(before.until - after.until) >= RESET_JITTER_MS);
}

/** Two exhaustion readings whose resets differ by less than this are the same reading. */
const RESET_JITTER_MS = 1_000;

/**
 * A request picked but not reported within this long no longer counts as in flight: 60 s (an
 * attempt that is never reported, such as a 500 or a network error, must not hold room forever).
 *
 * @internal
 */
export const FLIGHT_TTL_MS = 60_000;

/** In-flight requests remembered per pair at most; more than this many change nothing. */
const MAX_FLIGHTS = 64;

const NO_STEPS: ReadonlyMap<string, number> = new Map();

/**
 * Where a pair stands: `hard` (exhausted or predicted full: rests until its reset), `soft` (tried
 * after the others: a utilization at or above the threshold), `busy` (requests in flight to a pair
 * whose room is not known yet: tried after the free ones, fewest in flight first) or `free`.
 */
type Tier = "hard" | "soft" | "busy" | "free";

/** In-flight counts above this rank a busy pair the same (no more reordering past it). */
const MAX_BUSY_LEVEL = 4;

/**
 * What the book knows of one (profile, model family) pair. Handed out by {@link LimitBook.pair} so
 * a caller that picks the same pair again and again (the warm path) records flights without a
 * lookup; the book never replaces a pair, and forgetting one moves `version`, which drops every
 * order (and its warm slots) that held it.
 *
 * @internal
 */
export interface LimitPair {
  /** The last reading's exhaustion, and when it was read. */
  exhaustion: Exhaustion | null;
  at: number;
  /** The tightest room read for the latest window. */
  room: RequestRoom | null;
  /** The snapshot before, for learning unified steps. */
  last: RateLimitSnapshot | null;
  steps: ReadonlyMap<string, number>;
  /** Epoch ms of each request picked and not yet reported, oldest first. */
  readonly flights: FlightLog;
  /** The tier last seen, to move `version` only when it changes. */
  tier: Tier;
  /** For a busy pair, its in-flight level last seen (moves `softVersion`). */
  level: number;
}

/** What {@link LimitBook.note} found. @internal */
export interface LimitNote {
  /** The exhaustion now known for the pair, or `null` for headroom. */
  readonly exhaustion: Exhaustion | null;
  /** Whether exhaustion started, ended or its reset moved: worth a store write. */
  readonly changed: boolean;
}

/**
 * The last headroom reading per (profile, model family), in memory: updated from every response's
 * rate-limit headers, consulted by every pick, plus the requests in flight to each pair (picked,
 * not yet reported). `version` moves only when a pair's standing changes (exhausted, predicted
 * full, busy, free), so cached orders are recomputed only then, not on every response.
 *
 * @remarks Prediction: a pair whose last reading leaves room for n requests before its reset (the
 * standard `requests` window's `-remaining`, or a unified window's utilization divided by the share
 * one request was seen to take) and that has n requests in flight is full until the reset, as if
 * the next request had already been answered 429. After the reset the room is the window's
 * `-limit`. A pair never read yet with a request in flight is tried after the free ones, so a burst
 * of calls spreads over the profiles instead of piling onto the first one.
 *
 * @internal
 */
export class LimitBook {
  readonly #byProfile = new Map<string, Map<string, LimitPair>>();
  readonly #threshold: number | undefined;
  #version = 0;
  #softVersion = 0;

  /** @param threshold - unified utilization counted as exhausted (default 0.98) */
  constructor(threshold?: number) {
    this.#threshold = threshold;
  }

  /** Moves whenever a pair becomes or stops being exhausted, predicted full or soft. */
  get version(): number {
    return this.#version;
  }

  /**
   * Moves when a pair whose room is unknown gets or loses requests in flight (busy): orders of a few
   * profiles follow it (spreading a burst), large ones need not (their rings spread it already).
   */
  get softVersion(): number {
    return this.#softVersion;
  }

  /**
   * Records one response's reading.
   *
   * @param profileId - the profile the request went out with
   * @param family - its model family
   * @param snapshot - the parsed headers
   * @param now - epoch ms
   * @returns the reading and whether it changed
   */
  note(profileId: string, family: string, snapshot: RateLimitSnapshot, now: number): LimitNote {
    const exhaustion = exhaustionOf(snapshot, now, { family, threshold: this.#threshold });
    const pair = this.#pair(profileId, family);
    const before = pair.exhaustion;
    pair.exhaustion = exhaustion;
    pair.at = snapshot.at;
    pair.steps = unifiedSteps(pair.last, snapshot, pair.steps);
    pair.last = snapshot;
    pair.room = tighter(pair.room, requestRoomOf(snapshot, family, pair.steps), now);
    this.#retier(pair, now);
    const changed = differs(before, exhaustion);
    if (changed) this.#version += 1;
    return { exhaustion, changed };
  }

  /**
   * @param profileId - the profile
   * @param family - its model family
   * @param snapshot - the parsed headers
   * @param now - epoch ms
   * @returns whether {@link LimitBook.note} would report a change (nothing is recorded)
   */
  wouldChange(profileId: string, family: string, snapshot: RateLimitSnapshot, now: number): boolean {
    const before = this.#byProfile.get(profileId)?.get(family)?.exhaustion ?? null;
    return differs(before, exhaustionOf(snapshot, now, { family, threshold: this.#threshold }));
  }

  /**
   * Counts a request picked for a pair as in flight until {@link release} (or {@link FLIGHT_TTL_MS}).
   *
   * @param profileId - the profile picked
   * @param family - the call's model family, or `null` (nothing is counted then)
   * @param now - epoch ms
   */
  reserve(profileId: string, family: string | null, now: number): void {
    if (family === null) return;
    this.reserveOn(this.#pair(profileId, family), now);
  }

  /**
   * {@link LimitBook.reserve} on a pair already looked up.
   *
   * @param pair - from {@link LimitBook.pair}
   * @param now - epoch ms
   */
  reserveOn(pair: LimitPair, now: number): void {
    const { flights } = pair;
    flights.prune(now - FLIGHT_TTL_MS);
    flights.push(now);
    // No reading yet (no headers seen for the pair): it is busy at its in-flight level, and when
    // that is where it already stood nothing moves (what #retier would find, without its work).
    if (pair.exhaustion === null && pair.room === null && pair.tier === "busy" && pair.level === Math.min(flights.size, MAX_BUSY_LEVEL)) return;
    this.#retier(pair, now);
  }

  /**
   * @param profileId - a profile
   * @param family - a model family
   * @returns the book's pair for them (created empty), for {@link LimitBook.reserveOn}
   */
  pair(profileId: string, family: string): LimitPair {
    return this.#pair(profileId, family);
  }

  /**
   * Ends one in-flight request of a pair (its response was reported).
   *
   * @param profileId - the profile
   * @param family - the model family, or `null`
   * @param now - epoch ms
   */
  release(profileId: string, family: string | null, now: number): void {
    if (family === null) return;
    const pair = this.#byProfile.get(profileId)?.get(family);
    if (pair === undefined) return;
    pair.flights.dropOldest();
    pair.flights.prune(now - FLIGHT_TTL_MS);
    this.#retier(pair, now);
  }

  /**
   * The profiles known (or predicted) to have no room for a family: from this process's readings
   * and in-flight requests, and from the store (other processes' readings). Soft exhaustions are
   * left out (see {@link soft}).
   *
   * @param family - the model family, or `null` (none then)
   * @param data - the store document
   * @param now - epoch ms
   * @returns profile id → epoch ms until which it has no room
   */
  exhausted(family: string | null, data: StoreData, now: number): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    if (family === null) return out;
    for (const [profileId, stats] of Object.entries(data.usageStats ?? {})) {
      const stored = storedExhaustion(stats, family, now);
      if (stored !== null && !stored.soft) out.set(profileId, stored.until);
    }
    for (const [profileId, families] of this.#byProfile) {
      const pair = families.get(family);
      if (pair === undefined) continue;
      pair.flights.prune(now - FLIGHT_TTL_MS);
      pair.tier = this.#tierOf(pair, now);
      if (!this.#newerThanStore(data, profileId, family, pair)) continue;
      const { exhaustion } = pair;
      if (exhaustion !== null && exhaustion.until > now && exhaustion.soft !== true) out.set(profileId, exhaustion.until);
      else if (pair.tier === "hard") out.set(profileId, predictedUntil(pair, now));
      else out.delete(profileId);
    }
    return out;
  }

  /**
   * The profiles to try after the others for a family, though usable: a unified utilization at or
   * above the threshold (not yet 100 % nor `rejected`), or requests in flight to a pair whose room
   * is not known yet.
   *
   * @param family - the model family, or `null` (none then)
   * @param data - the store document
   * @param now - epoch ms
   * @returns their ids
   */
  soft(family: string | null, data: StoreData, now: number): ReadonlySet<string> {
    const out = new Set<string>();
    if (family === null) return out;
    for (const [profileId, stats] of Object.entries(data.usageStats ?? {})) {
      if (storedExhaustion(stats, family, now)?.soft === true) out.add(profileId);
    }
    for (const [profileId, families] of this.#byProfile) {
      const pair = families.get(family);
      if (pair === undefined) continue;
      const tier = this.#tierOf(pair, now);
      if (tier === "soft" || tier === "busy") out.add(profileId);
      else if (this.#newerThanStore(data, profileId, family, pair)) out.delete(profileId);
    }
    return out;
  }

  /**
   * Everything an order needs about a family at once.
   *
   * @param family - the model family, or `null`
   * @param data - the store document
   * @param now - epoch ms
   * @returns the exhausted profiles (until when, and the window that binds) and the soft ones
   */
  standing(family: string | null, data: StoreData, now: number): Standing {
    const exhausted = this.exhausted(family, data, now);
    const windows = new Map<string, string>();
    if (family !== null) {
      for (const id of exhausted.keys()) {
        const pair = this.#byProfile.get(id)?.get(family);
        if (pair === undefined || !this.#newerThanStore(data, id, family, pair)) continue;
        const live = pair.exhaustion !== null && pair.exhaustion.until > now && pair.exhaustion.soft !== true;
        windows.set(id, live ? (pair.exhaustion?.window ?? "requests") : "in_flight");
      }
    }
    const soft = this.soft(family, data, now);
    const softUntil = new Map<string, number>();
    const softRank = new Map<string, number>();
    if (family !== null) {
      for (const id of soft) {
        const pair = this.#byProfile.get(id)?.get(family);
        const until = pair?.exhaustion?.until;
        if (until !== undefined && until > now) softUntil.set(id, until);
        // Busy pairs first, fewest in flight first; soft exhaustions (nearly spent) after them.
        softRank.set(id, pair !== undefined && this.#tierOf(pair, now) === "busy" ? Math.min(pair.flights.size, MAX_BUSY_LEVEL) : MAX_BUSY_LEVEL + 1);
      }
    }
    return { exhausted, windows, soft, softUntil, softRank };
  }

  /** @param profileId - a profile whose readings end (a success after its reset, a cleared cooldown) */
  forget(profileId: string): void {
    if (this.#byProfile.delete(profileId)) this.#version += 1;
  }

  #pair(profileId: string, family: string): LimitPair {
    let families = this.#byProfile.get(profileId);
    if (families === undefined) {
      families = new Map();
      this.#byProfile.set(profileId, families);
    }
    let pair = families.get(family);
    if (pair === undefined) {
      pair = { exhaustion: null, at: Number.NEGATIVE_INFINITY, room: null, last: null, steps: NO_STEPS, flights: new FlightLog(MAX_FLIGHTS), tier: "free", level: 0 };
      families.set(family, pair);
    }
    return pair;
  }

  /** The newer reading wins: this process's, or the one another process stored. */
  #newerThanStore(data: StoreData, profileId: string, family: string, pair: LimitPair): boolean {
    const storedAt = data.usageStats?.[profileId]?.rateLimits?.[family]?.at;
    return !(typeof storedAt === "number" && storedAt > pair.at);
  }

  #retier(pair: LimitPair, now: number): void {
    const tier = this.#tierOf(pair, now);
    const level = tier === "busy" ? Math.min(pair.flights.size, MAX_BUSY_LEVEL) : 0;
    const before = pair.tier;
    const beforeLevel = pair.level;
    pair.tier = tier;
    pair.level = level;
    if (tier === before && level === beforeLevel) return;
    // Busy is only a preference among usable pairs: it moves the cheap version (see softVersion).
    if ((tier === "busy" || tier === "free") && (before === "busy" || before === "free")) this.#softVersion += 1;
    else this.#version += 1;
  }

  #tierOf(pair: LimitPair, now: number): Tier {
    const { exhaustion } = pair;
    if (exhaustion !== null && exhaustion.until > now && exhaustion.soft !== true) return "hard";
    const room = pair.room === null ? Number.POSITIVE_INFINITY : roomAt(pair.room, now);
    if (room !== Number.POSITIVE_INFINITY && room - pair.flights.size <= 0) return "hard";
    if (exhaustion !== null && exhaustion.until > now) return "soft";
    return room === Number.POSITIVE_INFINITY && pair.flights.size > 0 ? "busy" : "free";
  }
}

/** Until when a pair predicted full stays so: its window's reset, or the oldest flight's expiry. */
function predictedUntil(pair: LimitPair, now: number): number {
  const expiry = (pair.flights.oldest() ?? now) + FLIGHT_TTL_MS;
  const reset = pair.room?.resetAt ?? null;
  const exhausted = pair.exhaustion !== null && pair.exhaustion.soft !== true && pair.exhaustion.until > now ? pair.exhaustion.until : null;
  if (exhausted !== null) return exhausted;
  return reset !== null && reset > now ? Math.min(reset, expiry) : expiry;
}

/** Keeps the tighter of two readings of the same window; a later window replaces an earlier one. */
function tighter(before: RequestRoom | null, next: RequestRoom, now: number): RequestRoom {
  if (before === null || before.resetAt === null || next.resetAt === null) return next;
  if (before.resetAt <= now) return next;
  if (next.resetAt > before.resetAt) return next;
  if (next.resetAt < before.resetAt) return before;
  return next.room <= before.room ? next : { ...before, refill: Math.min(before.refill, next.refill) };
}

