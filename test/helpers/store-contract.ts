import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProfileStore, StoreData } from "../../src/model/store.js";
import { PATIENCE_MS } from "./eventually.js";

/** One backing store (a file, a Redis key…) that several store instances can open. */
export interface StoreContractFixture {
  /** Opens a new store instance over the same backing data, as another process would. */
  open(): ProfileStore | Promise<ProfileStore>;
  /**
   * Optional: a cheap view of the backing data that changes on every write (file content and
   * mtime, a Redis version). When given, "writes nothing" is checked with it.
   */
  snapshot?(): Promise<unknown>;
  /** Removes the backing data. Opened instances are closed before. */
  dispose(): Promise<void>;
}

// The contract says a change notice comes "within a second"; the tests wait for it up to
// PATIENCE_MS, so that the verdict is whether it comes, never how fast this machine is.

/**
 * The behaviour every {@link ProfileStore} must have, as a vitest suite.
 *
 * @param name - the store's name in the suite title
 * @param setup - creates a fresh, empty backing store for each test
 *
 * @example
 * ```ts
 * describeProfileStoreContract("file store", async () => {
 *   const dir = await mkdtemp(join(tmpdir(), "store-"));
 *   const path = join(dir, "auth-profiles.json");
 *   return { open: () => createFileProfileStore({ path }), dispose: () => rm(dir, { recursive: true, force: true }) };
 * });
 * ```
 */
export function describeProfileStoreContract(name: string, setup: () => Promise<StoreContractFixture>): void {
  describe(`ProfileStore contract: ${name}`, () => {
    let fixture: StoreContractFixture;
    let opened: ProfileStore[] = [];
    const open = async (): Promise<ProfileStore> => {
      const store = await fixture.open();
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      fixture = await setup();
      opened = [];
    });
    afterEach(async () => {
      for (const store of opened) await store.close?.();
      await fixture.dispose();
    });

    it("reads an absent store as an empty version 1 document", async () => {
      const store = await open();
      expect(await store.read()).toEqual({ version: 1, profiles: {} });
    });

    it("writes what the mutator returned and every instance reads it back", async () => {
      const writer = await open();
      const outcome = await writer.update((current) => ({ data: withApiKey(current, "anthropic:default"), result: "saved" }));
      expect(outcome.result).toBe("saved");
      expect(outcome.data.profiles["anthropic:default"]).toMatchObject({ type: "api_key", key: API_KEY });
      const reader = await open();
      expect((await reader.read()).profiles["anthropic:default"]).toEqual({ type: "api_key", provider: "anthropic", key: API_KEY });
    });

    it("writes nothing when the mutator returns no data", async () => {
      const store = await open();
      await store.update((current) => ({ data: withApiKey(current, "anthropic:default"), result: null }));
      const before = await fixture.snapshot?.();
      const seen: StoreData[] = [];
      const outcome = await store.update((current) => {
        seen.push(current);
        return { result: 42 };
      });
      expect(outcome).toEqual({ result: 42, data: seen[0] });
      expect(await fixture.snapshot?.()).toEqual(before);
      expect(Object.keys((await store.read()).profiles)).toEqual(["anthropic:default"]);
    });

    it("loses no update when 200 callers update at once", async () => {
      const store = await open();
      await Promise.all(Array.from({ length: 200 }, () => store.update((current) => ({ data: increment(current), result: null }))));
      expect((await store.read()).counter).toBe(200);
    });

    it("loses no update when two instances update at once", async () => {
      const [first, second] = [await open(), await open()];
      const bump = (store: ProfileStore): Promise<unknown> => store.update((current) => ({ data: increment(current), result: null }));
      await Promise.all(Array.from({ length: 25 }, () => [bump(first), bump(second)]).flat());
      expect((await first.read()).counter).toBe(50);
    });

    it("keeps unknown fields and unknown profile types on rewrite", async () => {
      const store = await open();
      const unknown = {
        version: 1,
        profiles: {
          "anthropic:default": { type: "api_key", provider: "anthropic", key: API_KEY, note: { by: "ops" } },
          "future:x": { type: "quantum", provider: "future", blob: [1, 2, 3] },
        },
        usageStats: { "anthropic:default": { lastUsed: 5, streak: 3 } },
        gatewayMeta: { region: "eu" },
      } as const satisfies StoreData;
      await store.update(() => ({ data: unknown, result: null }));
      await store.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:default" } }, result: null }));
      expect(await (await open()).read()).toEqual({ ...unknown, lastGood: { anthropic: "anthropic:default" } });
    });

    it("notifies watchers of a change made through another instance", async () => {
      const watched = await open();
      await watched.read();
      const onChange = vi.fn();
      const stop = watched.watch(onChange);
      try {
        const other = await open();
        await other.update((current) => ({ data: withApiKey(current, "anthropic:other"), result: null }));
        await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), { timeout: PATIENCE_MS, interval: 20 });
      } finally {
        stop();
      }
    });

    it("closes idempotently", async () => {
      const store = await open();
      await store.read();
      await store.close?.();
      await expect(store.close?.()).resolves.toBeUndefined();
    });
  });
}

const API_KEY = "sk-ant-api03-contractcontractcontractcontract-AAAA";

function withApiKey(current: StoreData, profileId: string): StoreData {
  return { ...current, profiles: { ...current.profiles, [profileId]: { type: "api_key", provider: "anthropic", key: API_KEY } } };
}

function increment(current: StoreData): StoreData {
  const counter = typeof current.counter === "number" ? current.counter : 0;
  return { ...current, counter: counter + 1 };
}
