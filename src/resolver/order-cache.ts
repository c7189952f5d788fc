import type { AuthProfilesConfig } from "../config/types.js";
import { orderProfiles } from "../selection/order.js";
import type { UnusableProfile } from "../selection/types.js";
import type { StoreData } from "../store/types.js";

/** Round-robin rank of each credential type: OAuth first, then tokens, then API keys. */
const TYPE_RANK: Readonly<Record<string, number>> = { oauth: 0, token: 1, api_key: 2 };

/** One provider's computed order, reused until the data changes or a time boundary passes. */
interface CachedOrder {
  readonly data: StoreData;
  readonly config: AuthProfilesConfig;
  /** Usable ids first (in order), unusable ids after. Rotated in place after each pick. */
  readonly order: string[];
  readonly usableCount: number;
  readonly usableIds: ReadonlySet<string>;
  readonly unusable: readonly UnusableProfile[];
  /** `true` when no explicit order applies, so picks rotate (least recently used first). */
  readonly roundRobin: boolean;
  /** Recompute at or after this epoch ms (a cooldown ends or a static token expires). */
  readonly validUntil: number;
}

/** The order for one resolve call (a live view: read it before the next pick). @internal */
export interface OrderView {
  /** Profile ids: the first `usableCount` are usable, best first. */
  readonly order: readonly string[];
  /** How many leading entries of `order` are usable. */
  readonly usableCount: number;
  /** The usable ids, for membership tests. */
  readonly usableIds: ReadonlySet<string>;
  /** Profiles in cooldown or disabled, soonest first. */
  readonly unusable: readonly UnusableProfile[];
}

/**
 * Caches {@link orderProfiles} per provider so a warm resolve does no sorting: the result is reused
 * until the store document or config object changes, or a cooldown/expiry boundary passes. A pick
 * rotates the picked profile behind the others of its type, which is what re-sorting by `lastUsed`
 * would do, in O(n) without allocation.
 *
 * @internal
 */
export class OrderCache {
  readonly #byProvider = new Map<string, CachedOrder>();

  /**
   * @param data - the store document (with in-memory `lastUsed` overlay applied)
   * @param config - the config
   * @param provider - the provider
   * @param now - epoch ms
   * @returns the cached or freshly computed order
   */
  view(data: StoreData, config: AuthProfilesConfig, provider: string, now: number): OrderView {
    let cached = this.#byProvider.get(provider);
    if (cached === undefined || cached.data !== data || cached.config !== config || now >= cached.validUntil) {
      cached = compute(data, config, provider, now);
      this.#byProvider.set(provider, cached);
    }
    return cached;
  }

  /**
   * Moves `profileId` behind the other usable profiles of its type (round-robin), when no explicit
   * order applies.
   *
   * @param provider - the provider
   * @param profileId - the profile just picked
   */
  rotate(provider: string, profileId: string): void {
    const cached = this.#byProvider.get(provider);
    if (cached === undefined || !cached.roundRobin) return;
    const { order, usableCount, data } = cached;
    const from = order.indexOf(profileId);
    if (from < 0 || from >= usableCount) return;
    const rank = rankOf(data, profileId);
    let to = from;
    while (to + 1 < usableCount && rankOf(data, order[to + 1] as string) === rank) to += 1;
    if (to === from) return;
    order.copyWithin(from, from + 1, to + 1);
    order[to] = profileId;
  }

  /** Forgets everything (after close or a config reload). */
  clear(): void {
    this.#byProvider.clear();
  }
}

function compute(data: StoreData, config: AuthProfilesConfig, provider: string, now: number): CachedOrder {
  const { order, unusable, source } = orderProfiles({ store: data, config, provider, now });
  const unusableIds = new Set(unusable.map((u) => u.profileId));
  const usable = order.filter((id) => !unusableIds.has(id));
  const rest = order.filter((id) => unusableIds.has(id));
  let validUntil = Number.POSITIVE_INFINITY;
  for (const u of unusable) validUntil = Math.min(validUntil, u.until);
  for (const id of usable) {
    const entry = data.profiles[id];
    if (entry?.type === "token" && typeof entry.expires === "number" && entry.expires > now) {
      validUntil = Math.min(validUntil, entry.expires);
    }
  }
  const explicit = source === "store_order" || source === "config_order";
  return {
    data,
    config,
    order: [...usable, ...rest],
    usableCount: usable.length,
    usableIds: new Set(usable),
    unusable,
    roundRobin: !explicit,
    validUntil,
  };
}

function rankOf(data: StoreData, profileId: string): number {
  return TYPE_RANK[data.profiles[profileId]?.type ?? ""] ?? 3;
}
