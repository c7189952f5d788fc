import { afterEach, describe, expect, it, vi } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createRedisProfileStore, type RedisProfileStore } from "../../src/redis.js";
import type { StoreData } from "../../src/model/store.js";
import { PATIENCE_MS } from "../helpers/eventually.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";

const UNTIL = { timeout: PATIENCE_MS, interval: 20 } as const;

function increment(current: StoreData): StoreData {
  return { ...current, counter: (typeof current.counter === "number" ? current.counter : 0) + 1 };
}

describe(createRedisProfileStore.name, () => {
  let server: RedisServer | undefined;
  const stores: RedisProfileStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await server?.dispose();
  });

  it("fails with STORE_UNAVAILABLE while Redis is down and keeps every acknowledged update after a crash", async () => {
    server = await startRedisServer({ appendFsync: "always" });
    const running = server;
    const open = (): RedisProfileStore => {
      const store = createRedisProfileStore({ url: running.url, keyPrefix: "restart:", commandTimeoutMs: 2_000 });
      stores.push(store);
      return store;
    };
    const writer = open();
    const watcher = open();
    const onChange = vi.fn();
    await watcher.read();
    watcher.watch(onChange);

    let acknowledged = 0;
    let failed = 0;
    const codes = new Set<string>();
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        try {
          await writer.update((current) => ({ data: increment(current), result: null }));
          acknowledged += 1;
        } catch (error) {
          failed += 1;
          codes.add(isAuthProfilesError(error) ? error.code : String(error));
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();

    await vi.waitFor(() => expect(acknowledged).toBeGreaterThanOrEqual(30), UNTIL);
    await running.stop("SIGKILL");
    const failedBefore = failed;
    await vi.waitFor(() => expect(failed).toBeGreaterThanOrEqual(failedBefore + 3), UNTIL);
    const readWhileDown = await writer.read().catch((error: unknown) => error);
    expect(readWhileDown).toMatchObject({ code: "STORE_UNAVAILABLE", details: { file: running.url } });
    expect((readWhileDown as { hint?: string }).hint).toContain("running and reachable");

    await running.start();
    onChange.mockClear();
    const acknowledgedAtRestart = acknowledged;
    await vi.waitFor(() => expect(acknowledged).toBeGreaterThanOrEqual(acknowledgedAtRestart + 30), UNTIL);
    stopped = true;
    await loop;

    expect([...codes]).toEqual(["STORE_UNAVAILABLE"]);
    const counter = (await writer.read()).counter as number;
    // A write cut off by the crash may have landed without its answer: never fewer than acknowledged.
    expect(counter).toBeGreaterThanOrEqual(acknowledged);
    expect(counter).toBeLessThanOrEqual(acknowledged + failed);
    await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), UNTIL);
  }, 300_000);
});
