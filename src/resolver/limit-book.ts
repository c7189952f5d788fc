import type { StoreData } from "../model/store.js";
import { exhaustionOf, storedExhaustedUntil, type Exhaustion } from "../selection/headroom.js";
import type { RateLimitSnapshot } from "../selection/rate-limit-headers.js";

/** Two exhaustion readings whose resets differ by less than this are the same reading. */
const RESET_JITTER_MS = 1_000;

interface Reading {
  readonly exhaustion: Exhaustion | null;
  readonly at: number;
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
 * rate-limit headers, consulted by every pick. `version` moves only when a pair's exhaustion starts,
 * ends or its reset moves, so cached orders are recomputed only then (not on every response).
 *
 * @internal
 */
export class LimitBook {
  readonly #byProfile = new Map<string, Map<string, Reading>>();
  readonly #threshold: number | undefined;
  #version = 0;

  /** @param threshold - unified utilization counted as exhausted (default 0.98) */
  constructor(threshold?: number) {
    this.#threshold = threshold;
  }

  /** Moves whenever the exhausted set of any family changes. */
  get version(): number {
    return this.#version;
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
    let families = this.#byProfile.get(profileId);
    if (families === undefined) {
      families = new Map();
      this.#byProfile.set(profileId, families);
    }
    const before = families.get(family)?.exhaustion ?? null;
    families.set(family, { exhaustion, at: snapshot.at });
    const changed = (before === null) !== (exhaustion === null) || (before !== null && exhaustion !== null && Math.abs(before.until - exhaustion.until) >= RESET_JITTER_MS);
    if (changed) this.#version += 1;
    return { exhaustion, changed };
  }

  /**
   * The profiles known to be exhausted for a family: from this process's readings and from the
   * store (other processes' readings).
   *
   * @param family - the model family, or `null` (none then)
   * @param data - the store document
   * @param now - epoch ms
   * @returns profile id → epoch ms until which it is exhausted
   */
  exhausted(family: string | null, data: StoreData, now: number): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    if (family === null) return out;
    for (const [profileId, stats] of Object.entries(data.usageStats ?? {})) {
      const until = storedExhaustedUntil(stats, family, now);
      if (until !== null) out.set(profileId, until);
    }
    for (const [profileId, families] of this.#byProfile) {
      const reading = families.get(family);
      if (reading === undefined) continue;
      // The newer reading wins: this process's, or the one another process stored.
      const storedAt = data.usageStats?.[profileId]?.rateLimits?.[family]?.at;
      if (typeof storedAt === "number" && storedAt > reading.at) continue;
      const { exhaustion } = reading;
      if (exhaustion === null || exhaustion.until <= now) out.delete(profileId);
      else out.set(profileId, exhaustion.until);
    }
    return out;
  }

  /** @param profileId - a profile whose readings end (a success after its reset, a cleared cooldown) */
  forget(profileId: string): void {
    if (this.#byProfile.delete(profileId)) this.#version += 1;
  }
}
