import type { AuthProfilesConfig } from "../config/types.js";
import { isDeepStrictEqual } from "node:util";
import type { OAuthProfile, ProfileStore, StoreData, UsageStats } from "../model/store.js";

function withoutForceRefresh(stats: UsageStats): UsageStats {
  const { forceRefresh: _cleared, ...rest } = stats;
  return rest;
}

/** The resolver's env: read-only, never `process.env` itself. @internal */
export type Env = Readonly<Record<string, string | undefined>>;

/** A loaded config and the env it yields. @internal */
export interface LoadedConfig {
  /** The validated, migrated config. */
  readonly config: AuthProfilesConfig;
  /** The env with the config's `env` block applied where missing. */
  readonly env: Env;
}

/** What a resolve works from. @internal */
export interface Snapshot {
  /** The config. */
  readonly config: AuthProfilesConfig;
  /** The env. */
  readonly env: Env;
  /** The store document as read. */
  readonly data: StoreData;
  /**
   * The document orders are computed from (with the Claude Code login placeholder when declared);
   * in-process picks are laid over its `lastUsed` when an order is computed.
   */
  readonly orderData: StoreData;
}

/** Where a {@link ResolverState} reads from. @internal */
export interface StateSources {
  /** Loads (and validates) the config. */
  readonly loadConfig: () => Promise<LoadedConfig>;
  /** Watches the config's source, when it is a file. */
  readonly watchConfig: ((onChange: () => void) => () => void) | null;
  /** The profile store. */
  readonly store: ProfileStore;
  /** Adds entries that exist only for ordering (the Claude Code login placeholder). */
  readonly orderData: (data: StoreData, config: AuthProfilesConfig) => StoreData;
  /** Lays in-memory changes not yet written (failures written behind) over a document. */
  readonly overlay: (data: StoreData) => StoreData;
  /** Resolves the document's secret references into an in-memory view (never written). */
  readonly secretRefs?: { readonly apply: (data: StoreData, config: AuthProfilesConfig, env: Env) => Promise<StoreData>; readonly forget: () => void } | undefined;
}

/**
 * Holds what the resolver read, so a warm resolve does no I/O. The store and config are re-read
 * only after their watcher reports a change (within a second of another process's write) or after
 * this process's own update handed over the new document. Failed loads are cached too (until the
 * next change), so a broken file does not turn every resolve into a read.
 *
 * @internal
 */
export class ResolverState {
  readonly #sources: StateSources;
  #config: Promise<LoadedConfig> | null = null;
  #data: Promise<StoreData> | null = null;
  #snapshot: Promise<Snapshot> | null = null;
  /** The value of `#snapshot` once it resolved, for the synchronous warm path. */
  #settled: Snapshot | null = null;
  #stopWatching: Array<() => void> = [];
  #watching = false;
  /** Profile id → its last in-process pick; the holder is updated in place (no allocation per pick). */
  readonly #picked = new Map<string, { at: number }>();
  #lastPick = 0;
  /** The document (before the overlay) each snapshot was built from. */
  readonly #rawOf = new WeakMap<Snapshot, StoreData>();
  /** Own usage writes adopted without a rebuild (see {@link ResolverState.adoptUsage}). */
  adoptedInPlace = 0;

  /** @param sources - config loader, config watcher and store */
  constructor(sources: StateSources) {
    this.#sources = sources;
  }

  /** @returns the current snapshot; no I/O when nothing changed */
  current(): Promise<Snapshot> {
    if (!this.#watching) this.#startWatching();
    if (this.#snapshot === null) {
      const building = this.#build();
      this.#snapshot = building;
      building.then(
        (snapshot) => {
          if (this.#snapshot === building) this.#settled = snapshot;
        },
        () => undefined,
      );
    }
    return this.#snapshot;
  }

  /** @returns the current snapshot when it is loaded and nothing changed since, else `null` (call `current()`) */
  peek(): Snapshot | null {
    return this.#settled;
  }

  /** Adopts a document this process just wrote (no re-read). @param data - the new document */
  adoptData(data: StoreData): void {
    this.#data = Promise.resolve(data);
    this.#snapshot = null;
    this.#settled = null;
  }

  /**
   * Adopts a document this process just wrote to record batched successes. When it differs from
   * the document the current snapshot was built from only in `lastUsed` of the given profiles and
   * in `lastGood` (nobody else changed the store meanwhile), the snapshot keeps its profiles and
   * its computed orders: the in-memory order already holds those picks, so nothing is re-sorted
   * and no resolve waits for a rebuild. Otherwise it is {@link ResolverState.adoptData}.
   *
   * @param data - the document written
   * @param moved - the profiles whose `lastUsed` the write moved
   * @returns whether it was adopted in place
   */
  adoptUsage(data: StoreData, moved: ReadonlySet<string>): boolean {
    const settled = this.#settled;
    const raw = settled === null ? undefined : this.#rawOf.get(settled);
    if (settled === null || raw === undefined || this.#sources.overlay(data) !== data || !onlyUsageMoved(raw, data, moved)) {
      this.adoptData(data);
      return false;
    }
    // The profiles are equal: keep the old objects (and the view with secret references resolved),
    // so credentials and resolved auths stay cached; only the usage fields are the written ones.
    const doc: StoreData = { ...data, profiles: raw.profiles };
    const view: StoreData = withUsageOf({ ...settled.data }, data);
    const snapshot: Snapshot = { config: settled.config, env: settled.env, data: view, orderData: settled.orderData };
    this.#data = Promise.resolve(doc);
    this.#snapshot = Promise.resolve(snapshot);
    this.#settled = snapshot;
    this.#rawOf.set(snapshot, doc);
    this.adoptedInPlace += 1;
    return true;
  }

  /**
   * Lays a refreshed OAuth entry the store could not save over the cached document (its
   * `forceRefresh` flag cleared), so resolves keep serving it without reading the store.
   *
   * @param profileId - the profile
   * @param entry - the new entry
   */
  adoptProfile(profileId: string, entry: OAuthProfile): void {
    const patch = (doc: StoreData): StoreData => {
      const stats = doc.usageStats?.[profileId];
      const usageStats = stats === undefined || !("forceRefresh" in stats) ? doc.usageStats : { ...doc.usageStats, [profileId]: withoutForceRefresh(stats) };
      return { ...doc, profiles: { ...doc.profiles, [profileId]: entry }, ...(usageStats === undefined ? {} : { usageStats }) };
    };
    if (this.#data !== null) this.#data = this.#data.then(patch);
    this.#snapshot = null;
    this.#settled = null;
  }

  /** Rebuilds the snapshot from the same document on the next resolve (the overlay changed). */
  overlayChanged(): void {
    this.#snapshot = null;
    this.#settled = null;
  }

  /** Forces a re-read of the store on the next resolve. */
  invalidateStore(): void {
    this.#data = null;
    this.#snapshot = null;
    this.#settled = null;
  }

  /** @returns the in-process picks so far (profile id, epoch ms) */
  pickTimes(): Iterable<readonly [string, number]> {
    return pickTimes(this.#picked);
  }

  /**
   * Records an in-process pick for round-robin. Keeps values strictly increasing so concurrent
   * picks within one clock tick still spread.
   *
   * @param profileId - the profile picked
   * @param now - epoch ms
   * @returns the `lastUsed` value recorded
   */
  markPicked(profileId: string, now: number): number {
    return this.markPickedOn(this.pickHolder(profileId), now);
  }

  /**
   * {@link ResolverState.markPicked} with the profile's holder looked up earlier.
   *
   * @param holder - from {@link ResolverState.pickHolder}
   * @param now - epoch ms
   * @returns the `lastUsed` value recorded
   */
  markPickedOn(holder: { at: number }, now: number): number {
    const at = now > this.#lastPick ? now : this.#lastPick + 1;
    this.#lastPick = at;
    holder.at = at;
    return at;
  }

  /**
   * @param profileId - a profile
   * @returns the holder of its in-process pick time (created at 0, never replaced), for
   *   {@link ResolverState.markPicked} without a lookup
   */
  pickHolder(profileId: string): { at: number } {
    let held = this.#picked.get(profileId);
    if (held === undefined) {
      held = { at: 0 };
      this.#picked.set(profileId, held);
    }
    return held;
  }

  /** Stops the watchers. */
  close(): void {
    for (const stop of this.#stopWatching) stop();
    this.#stopWatching = [];
    this.#watching = false;
    this.#settled = null;
  }

  #startWatching(): void {
    this.#watching = true;
    this.#stopWatching.push(
      this.#sources.store.watch(
        () => {
          this.#sources.secretRefs?.forget();
          this.invalidateStore();
        },
        { ignoreOwnWrites: true },
      ),
    );
    if (this.#sources.watchConfig !== null) {
      this.#stopWatching.push(
        this.#sources.watchConfig(() => {
          this.#sources.secretRefs?.forget();
          this.#config = null;
          this.#snapshot = null;
          this.#settled = null;
        }),
      );
    }
  }

  async #build(): Promise<Snapshot> {
    this.#config ??= this.#sources.loadConfig();
    this.#data ??= this.#sources.store.read();
    const config = this.#config;
    const data = this.#data;
    const secretRefs = this.#sources.secretRefs;
    const snapshot = Promise.all([config, data]).then(async ([loaded, read]) => {
      const overlaid = this.#sources.overlay(read);
      // The view with secret references resolved: selection sees it, nothing writes it.
      const doc = secretRefs === undefined ? overlaid : await secretRefs.apply(overlaid, loaded.config, loaded.env);
      const built: Snapshot = { config: loaded.config, env: loaded.env, data: doc, orderData: this.#sources.orderData(doc, loaded.config) };
      this.#rawOf.set(built, read);
      return built;
    });
    // A failed load stays cached until a watcher reports a change, but must not poison a later, successful one.
    snapshot.catch(() => undefined);
    return snapshot;
  }
}

function* pickTimes(picked: ReadonlyMap<string, { readonly at: number }>): Iterable<readonly [string, number]> {
  for (const [profileId, { at }] of picked) if (at > 0) yield [profileId, at];
}

/** @returns `view` with the usage fields (`usageStats`, `lastGood`) of `written` */
function withUsageOf(view: Record<string, unknown>, written: StoreData): StoreData {
  for (const key of ["usageStats", "lastGood"] as const) {
    if (written[key] === undefined) delete view[key];
    else view[key] = written[key];
  }
  return view as unknown as StoreData;
}

/**
 * @returns whether `next` is `prev` with only `lastUsed` of `moved` profiles and `lastGood`
 *   changed (O(size of the store), run after the write, never inside a resolve)
 */
function onlyUsageMoved(prev: StoreData, next: StoreData, moved: ReadonlySet<string>): boolean {
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  for (const key of keys) {
    if (key === "usageStats" || key === "lastGood") continue;
    if (!isDeepStrictEqual((prev as Record<string, unknown>)[key], (next as Record<string, unknown>)[key])) return false;
  }
  const before = prev.usageStats ?? {};
  const after = next.usageStats ?? {};
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const id of ids) {
    const a = before[id];
    const b = after[id];
    if (!moved.has(id)) {
      if (!isDeepStrictEqual(a, b)) return false;
      continue;
    }
    const { lastUsed: _a, ...restA } = a ?? {};
    const { lastUsed: _b, ...restB } = b ?? {};
    if (!isDeepStrictEqual(restA, restB)) return false;
  }
  return true;
}
