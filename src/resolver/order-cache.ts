import type { AuthProfilesConfig } from "../config/types.js";
import { storedExhaustedUntil } from "../selection/headroom.js";
import { orderProfiles } from "../selection/order.js";
import { withLastUsed } from "../selection/usage.js";
import type { UnusableProfile } from "../model/failure.js";
import type { StoreData } from "../model/store.js";
import type { WarmSlot } from "./pick-warm.js";

/** Round-robin rank of each credential type: OAuth first, then tokens, then API keys. */
const TYPE_RANK: Readonly<Record<string, number>> = { oauth: 0, token: 1, api_key: 2 };

/**
 * One profile in a {@link Ring}: a node of a circular doubly linked list. Lives as long as the
 * computed order it belongs to, so it is valid for one store document and config.
 *
 * @internal
 */
export interface RingNode {
  /** The profile id. */
  readonly id: string;
  /** Whether the profile has no headroom for the family (it sits in a ring after the others). */
  readonly exhausted: boolean;
  /** What the warm path keeps for this profile under this order (see `pick-warm.ts`). */
  warm: WarmSlot | null;
  prev: RingNode;
  next: RingNode;
}

/** A run of usable profiles of one type, least recently used at `head` (a circular linked list). */
interface Ring {
  head: RingNode;
  size: number;
}

/**
 * One provider's usable profiles in resolution order, as computed by {@link orderProfiles}, kept as
 * rings per credential type. Picking the profile at a ring's head moves the head on, and picking
 * any other profile (a sticky session) unlinks it and puts it at the ring's end: both O(1), never a
 * copy of the ring, and exactly what re-sorting by `lastUsed` would give.
 *
 * @internal
 */
export class ProviderOrder {
  /** The usable ids, for membership tests. */
  readonly usableIds: ReadonlySet<string>;
  /** Profiles in cooldown or disabled, soonest first. */
  readonly unusable: readonly UnusableProfile[];
  /** Usable profiles without headroom for the family (they sit in rings after the others). */
  readonly exhaustedIds: ReadonlySet<string>;
  readonly #rings: readonly Ring[];
  readonly #nodes = new Map<string, { readonly ring: Ring; readonly node: RingNode }>();
  readonly #roundRobin: boolean;

  /**
   * @param usable - usable ids in order (grouped by type when round-robin)
   * @param unusable - unusable profiles
   * @param rankOf - the type rank of an id
   * @param roundRobin - whether picks rotate (no explicit order)
   * @param exhausted - usable ids without headroom: rings of their own, after every other ring
   */
  constructor(usable: readonly string[], unusable: readonly UnusableProfile[], rankOf: (id: string) => number, roundRobin: boolean, exhausted: ReadonlySet<string> = new Set()) {
    this.usableIds = new Set(usable);
    this.unusable = unusable;
    this.exhaustedIds = exhausted;
    this.#roundRobin = roundRobin;
    const rings: Ring[] = [];
    let current: Ring | null = null;
    let currentRank = Number.NaN;
    for (const id of usable) {
      if (this.#nodes.has(id)) continue;
      const rank = (roundRobin ? rankOf(id) : 0) + (exhausted.has(id) ? EXHAUSTED_RANK : 0);
      const node = { id, exhausted: exhausted.has(id), warm: null } as unknown as RingNode;
      if (current === null || rank !== currentRank) {
        node.prev = node;
        node.next = node;
        current = { head: node, size: 1 };
        currentRank = rank;
        rings.push(current);
      } else {
        insertBefore(current.head, node);
        current.size += 1;
      }
      this.#nodes.set(id, { ring: current, node });
    }
    this.#rings = rings;
  }

  /** @returns the best id when nothing is excluded, or `undefined` when none is usable; O(1) */
  head(): string | undefined {
    return this.#rings[0]?.head.id;
  }

  /** @returns the node of the best profile when nothing is excluded, or `undefined`; O(1) */
  headNode(): RingNode | undefined {
    return this.#rings[0]?.head;
  }

  /**
   * @param profileId - a profile
   * @returns its node when it is usable, else `undefined`
   */
  node(profileId: string): RingNode | undefined {
    return this.#nodes.get(profileId)?.node;
  }

  /**
   * @param eligible - whether an id may be used for this call
   * @returns the best eligible id, or `undefined`; O(number of ineligible ids skipped)
   */
  first(eligible: (id: string) => boolean): string | undefined {
    for (const ring of this.#rings) {
      let node = ring.head;
      for (let i = 0; i < ring.size; i += 1, node = node.next) if (eligible(node.id)) return node.id;
    }
    return undefined;
  }

  /**
   * @param eligible - whether an id may be used for this call
   * @returns every eligible id, best first (a copy: later picks do not change it)
   */
  list(eligible: (id: string) => boolean): string[] {
    const out: string[] = [];
    for (const ring of this.#rings) {
      let node = ring.head;
      for (let i = 0; i < ring.size; i += 1, node = node.next) if (eligible(node.id)) out.push(node.id);
    }
    return out;
  }

  /** @param profileId - the profile just picked; it goes behind the others of its type, in O(1) */
  rotate(profileId: string): void {
    if (!this.#roundRobin) return;
    const found = this.#nodes.get(profileId);
    if (found !== undefined) this.#rotate(found.ring, found.node);
  }

  /** @param node - the node of the profile just picked (from {@link headNode} or {@link node}) */
  rotateNode(node: RingNode): void {
    if (!this.#roundRobin) return;
    const head = this.#rings[0]?.head;
    if (head === node && this.#rings[0] !== undefined) this.#rotate(this.#rings[0], node);
    else this.rotate(node.id);
  }

  #rotate(ring: Ring, node: RingNode): void {
    if (ring.size < 2) return;
    if (ring.head === node) {
      ring.head = node.next;
      return;
    }
    if (ring.head.prev === node) return; // already last
    node.prev.next = node.next;
    node.next.prev = node.prev;
    insertBefore(ring.head, node);
  }
}

/** Links `node` in just before `at` (at the end of a ring whose head is `at`). */
function insertBefore(at: RingNode, node: RingNode): void {
  node.prev = at.prev;
  node.next = at;
  at.prev.next = node;
  at.prev = node;
}

/** Rank offset of exhausted profiles' rings. */
const EXHAUSTED_RANK = 100;

/** Headroom readings a view is computed with. @internal */
export interface HeadroomView {
  /** Moves when the readings change. */
  readonly version: number;
  /** Profile id → exhausted until (epoch ms), for a family. */
  readonly exhausted: (family: string | null, data: StoreData, now: number) => ReadonlyMap<string, number>;
  /** All of a family's standing at once: exhausted (with windows) and soft (tried last). */
  readonly standing?: (family: string | null, data: StoreData, now: number) => Standing;
  /** Moves when only the preference among usable profiles changed (see `LimitBook.softVersion`). */
  readonly softVersion?: number;
}

/** A family's headroom standing. @internal */
export interface Standing {
  /** Profile id → exhausted until (epoch ms). */
  readonly exhausted: ReadonlyMap<string, number>;
  /** Profile id → the window that binds. */
  readonly windows: ReadonlyMap<string, string>;
  /** Usable profiles tried after the others. */
  readonly soft: ReadonlySet<string>;
  /** Until when each soft exhaustion lasts, when it has an end. */
  readonly softUntil?: ReadonlyMap<string, number>;
  /** Order among the soft ones, lowest first (fewest requests in flight). */
  readonly softRank?: ReadonlyMap<string, number>;
}

/** Orders of at most this many usable profiles follow `softVersion` (a cheap recompute). */
const SOFT_REORDER_MAX = 32;

/** One provider's computed order and when it must be recomputed. */
interface CachedOrder {
  readonly data: StoreData;
  readonly config: AuthProfilesConfig;
  readonly version: number;
  readonly softVersion: number;
  readonly order: ProviderOrder;
  /** Recompute at or after this epoch ms (a cooldown ends or a static token expires). */
  readonly validUntil: number;
}

/**
 * Caches {@link orderProfiles} per provider so a warm resolve does no sorting: the result is reused
 * until the store document or config object changes, or a cooldown/expiry boundary passes.
 *
 * @internal
 */
export class OrderCache {
  /** How many orders were computed (sorted from a document) so far: a warm resolve computes none. */
  computed = 0;
  /** Provider → family (or `null`) → order: looked up without building a key string. */
  readonly #byProvider = new Map<string, Map<string | null, CachedOrder>>();

  /**
   * @param data - the store document (with in-memory `lastUsed` overlay applied)
   * @param config - the config
   * @param provider - the provider
   * @param now - epoch ms
   * @param family - the call's model family, or `null`
   * @param headroom - headroom readings, when known
   * @param pickTimes - in-process picks (profile id, epoch ms), laid over `lastUsed` when an order
   *   is computed, so a recomputed order (a cooldown ended) starts from the latest picks
   * @returns the cached or freshly computed order
   */
  view(data: StoreData, config: AuthProfilesConfig, provider: string, now: number, family: string | null = null, headroom?: HeadroomView, pickTimes?: () => Iterable<readonly [string, number]>): ProviderOrder {
    const version = headroom?.version ?? 0;
    const softVersion = headroom?.softVersion ?? 0;
    let byFamily = this.#byProvider.get(provider);
    if (byFamily === undefined) {
      byFamily = new Map();
      this.#byProvider.set(provider, byFamily);
    }
    let cached = byFamily.get(family);
    if (
      cached === undefined ||
      cached.data !== data ||
      cached.config !== config ||
      cached.version !== version ||
      now >= cached.validUntil ||
      (cached.softVersion !== softVersion && cached.order.usableIds.size > 1 && cached.order.usableIds.size <= SOFT_REORDER_MAX)
    ) {
      cached = compute(data, pickTimes === undefined ? data : withLastUsed(data, pickTimes()), config, provider, now, family, headroom?.standing?.(family, data, now) ?? { exhausted: headroom?.exhausted(family, data, now) ?? new Map(), windows: new Map(), soft: new Set() }, version, softVersion);
      this.computed += 1;
      byFamily.set(family, cached);
    }
    return cached.order;
  }

  /**
   * @param provider - the provider
   * @param profileId - the profile just picked
   * @param family - the family of the pick, or `null`
   */
  rotate(provider: string, profileId: string, family: string | null = null): void {
    this.#byProvider.get(provider)?.get(family)?.order.rotate(profileId);
  }

  /** Forgets everything (after close or a config reload). */
  clear(): void {
    this.#byProvider.clear();
  }
}

function compute(
  data: StoreData,
  ordered: StoreData,
  config: AuthProfilesConfig,
  provider: string,
  now: number,
  family: string | null,
  standing: Standing,
  version: number,
  softVersion: number,
): CachedOrder {
  const exhaustedUntil = standing.exhausted;
  const { order, unusable, source, exhausted } = orderProfiles({ store: ordered, config, provider, now, family, exhausted: exhaustedUntil, softExhausted: standing.soft, softRank: standing.softRank, exhaustedWindows: standing.windows });
  const unusableIds = new Set(unusable.map((u) => u.profileId));
  const usable = order.filter((id) => !unusableIds.has(id));
  let validUntil = Number.POSITIVE_INFINITY;
  for (const u of unusable) validUntil = Math.min(validUntil, u.until);
  for (const id of exhausted) validUntil = Math.min(validUntil, standing.softUntil?.get(id) ?? storedUntil(data, id, family, now));
  for (const id of usable) {
    const entry = data.profiles[id];
    if (entry?.type === "token" && typeof entry.expires === "number" && entry.expires > now) {
      validUntil = Math.min(validUntil, entry.expires);
    }
  }
  const roundRobin = source !== "store_order" && source !== "config_order";
  const rankOf = (id: string): number => TYPE_RANK[data.profiles[id]?.type ?? ""] ?? 3;
  return { data, config, version, softVersion, order: new ProviderOrder(usable, unusable, rankOf, roundRobin, new Set(exhausted)), validUntil };
}

function storedUntil(data: StoreData, profileId: string, family: string | null, now: number): number {
  return storedExhaustedUntil(data.usageStats?.[profileId], family, now) ?? Number.POSITIVE_INFINITY;
}
