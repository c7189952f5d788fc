import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisProfileStore, type RedisProfileStore } from "../../src/redis.js";
import type { StoreData } from "../../src/model/store.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { spawnWorker } from "./support.js";

const PROFILE_ID = "anthropic:work";
const OLD_PROFILES: StoreData = {
  version: 1,
  profiles: { [PROFILE_ID]: { type: "oauth", provider: "anthropic", access: "old-access", refresh: "old-refresh", expires: 1 } },
};

let server: RedisServer;
let admin: Redis;
let prefixes = 0;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin.disconnect();
  await server.dispose();
});

/** A token endpoint on 127.0.0.1 that counts its calls and answers slowly, so racing hosts overlap. */
async function startTokenEndpoint(): Promise<{ readonly url: string; readonly callers: string[]; close(): Promise<void> }> {
  const callers: string[] = [];
  const http: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      callers.push(body);
      setTimeout(() => response.end(JSON.stringify({ access_token: `new-access-from-${body}` })), 300);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/token`, callers, close: () => new Promise((resolve) => http.close(() => resolve())) };
}

describe("withRefreshLock", () => {
  const stores: RedisProfileStore[] = [];
  const open = (keyPrefix: string, options: { refreshLockTtlMs?: number; refreshLockWaitMs?: number } = {}): RedisProfileStore => {
    const store = createRedisProfileStore({ url: server.url, keyPrefix, ...options });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it("calls the token endpoint once when 4 hosts refresh at once, and all use its result", async () => {
    const keyPrefix = `lock${(prefixes += 1)}:`;
    await open(keyPrefix).update(() => ({ data: OLD_PROFILES, result: null }));
    const endpoint = await startTokenEndpoint();
    try {
      const hosts = ["h1", "h2", "h3", "h4"].map((hostId) => spawnWorker("refresh-host", [server.url, keyPrefix, hostId, "refresh", endpoint.url]));
      await Promise.all(hosts.map((host) => host.waitForLine("ready")));
      for (const host of hosts) host.send("go");
      const seen = await Promise.all(hosts.map((host) => host.waitForLine("access ")));
      const exits = await Promise.all(hosts.map((host) => host.exited));
      expect(exits.map((exit) => exit.code)).toEqual([0, 0, 0, 0]);

      expect(endpoint.callers).toHaveLength(1);
      const winner = endpoint.callers[0] ?? "";
      expect(seen).toEqual(hosts.map(() => `access new-access-from-${winner}`));
      expect((await open(keyPrefix).read()).profiles[PROFILE_ID]).toMatchObject({ access: `new-access-from-${winner}` });
      expect(await admin.exists(`${keyPrefix}main:refresh-lock:${PROFILE_ID}`)).toBe(0);
    } finally {
      await endpoint.close();
    }
  }, 300_000);

  it("takes over the lock of a host that died while holding it once the lock expires", async () => {
    const keyPrefix = `lock${(prefixes += 1)}:`;
    const lockKey = `${keyPrefix}main:refresh-lock:${PROFILE_ID}`;
    const holder = spawnWorker("refresh-host", [server.url, keyPrefix, "h1", "hold", "", "3000"]);
    await holder.waitForLine("locked");
    const heldBy = await admin.get(lockKey);
    holder.kill("SIGKILL");
    await holder.exited;
    expect(await admin.pttl(lockKey)).toBeGreaterThan(0);

    const survivor = open(keyPrefix);
    const ran = await survivor.withRefreshLock(PROFILE_ID, async () => {
      const token = await admin.get(lockKey);
      return token !== null && token !== heldBy;
    });
    expect(ran).toBe(true);
    expect(await admin.exists(lockKey)).toBe(0);
  }, 300_000);

  it("keeps the lock past its expiry while the work runs", async () => {
    const keyPrefix = `lock${(prefixes += 1)}:`;
    const holder = open(keyPrefix, { refreshLockTtlMs: 1_200 });
    const other = open(keyPrefix, { refreshLockWaitMs: 0 });
    let otherOutcome: unknown;
    await holder.withRefreshLock(PROFILE_ID, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      otherOutcome = await other.withRefreshLock(PROFILE_ID, async () => "ran").catch((error: unknown) => error);
    });
    expect(otherOutcome).toMatchObject({ code: "STORE_LOCKED" });
    await expect(other.withRefreshLock(PROFILE_ID, async () => "ran")).resolves.toBe("ran");
  });

  it("never deletes a lock that another holder took after its own expired", async () => {
    const keyPrefix = `lock${(prefixes += 1)}:`;
    const lockKey = `${keyPrefix}main:refresh-lock:${PROFILE_ID}`;
    const first = open(keyPrefix);
    await first
      .withRefreshLock(PROFILE_ID, async () => {
        await admin.set(lockKey, "someone-else", "PX", 30_000);
      })
      .catch(() => undefined);
    expect(await admin.get(lockKey)).toBe("someone-else");
    await admin.del(lockKey);
  });

  it("runs the work of one process's callers one after another", async () => {
    const keyPrefix = `lock${(prefixes += 1)}:`;
    const store = open(keyPrefix);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        store.withRefreshLock(PROFILE_ID, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });
});
