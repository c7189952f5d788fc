import { inspect } from "node:util";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createRedisProfileStore, type RedisProfileStore } from "../../src/redis.js";
import { COMPARE_AND_SET_SCRIPT } from "../../src/redis/scripts.js";
import type { StoreData } from "../../src/model/store.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { describeProfileStoreContract } from "../helpers/store-contract.js";

let server: RedisServer;
let admin: Redis;
let prefixes = 0;
const nextPrefix = (): string => `t${(prefixes += 1)}:`;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin.disconnect();
  await server.dispose();
});

describeProfileStoreContract("Redis", async () => {
  const keyPrefix = nextPrefix();
  return {
    open: () => createRedisProfileStore({ url: server.url, keyPrefix }),
    snapshot: () => admin.hgetall(`${keyPrefix}main:store`),
    dispose: async () => {
      await admin.del(`${keyPrefix}main:store`);
    },
  };
});

describe(createRedisProfileStore.name, () => {
  const stores: RedisProfileStore[] = [];
  const open = (options: Partial<Parameters<typeof createRedisProfileStore>[0]> = {}): RedisProfileStore => {
    const store = createRedisProfileStore({ url: server.url, keyPrefix: nextPrefix(), ...options } as Parameters<typeof createRedisProfileStore>[0]);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it("names the store by its URL without the password", () => {
    const store = open({ url: `redis://gateway:s3cr3t-pass@127.0.0.1:${server.port}/0?password=s3cr3t-pass` });
    expect(store.path).toBe(`redis://gateway@127.0.0.1:${server.port}/0`);
    const mine = open({ client: admin, url: undefined } as never);
    expect(mine.path).toBe(`redis://127.0.0.1:${server.port}`);
  });

  it("keeps each agent's profiles under its own key", async () => {
    const keyPrefix = nextPrefix();
    const main = open({ keyPrefix });
    const ops = open({ keyPrefix, agentId: "ops" });
    await main.update((current) => ({ data: { ...current, counter: 1 }, result: null }));
    expect((await ops.read()).counter).toBeUndefined();
    expect(await admin.exists(`${keyPrefix}main:store`, `${keyPrefix}ops:store`)).toBe(1);
  });

  it("runs the mutator again on the other host's document after a conflict", async () => {
    const keyPrefix = nextPrefix();
    const here = open({ keyPrefix });
    const there = open({ keyPrefix });
    const seen: unknown[] = [];
    await here.update(async (current) => {
      seen.push(current.counter);
      if (seen.length === 1) await there.update((other) => ({ data: { ...other, counter: 10 }, result: null }));
      return { data: { ...current, counter: (typeof current.counter === "number" ? current.counter : 0) + 1 }, result: null };
    });
    expect(seen).toEqual([undefined, 10]);
    expect((await there.read()).counter).toBe(11);
  });

  it("gives up with STORE_LOCKED after too many conflicting writes", async () => {
    const keyPrefix = nextPrefix();
    const store = open({ keyPrefix, maxConflictRetries: 3 });
    let calls = 0;
    const failure = await store
      .update(async (current) => {
        calls += 1;
        await admin.hincrby(`${keyPrefix}main:store`, "version", 1);
        return { data: current, result: null };
      })
      .catch((error: unknown) => error);
    expect(isAuthProfilesError(failure) && failure.code).toBe("STORE_LOCKED");
    expect(calls).toBe(4);
    expect((failure as Error).message).toContain(`${keyPrefix}main:store`);
  });

  it("never overwrites a stored document it cannot parse", async () => {
    const keyPrefix = nextPrefix();
    await admin.hset(`${keyPrefix}main:store`, "data", '{"version": 1, "profiles": ', "version", "7");
    const store = open({ keyPrefix });
    await expect(store.read()).rejects.toMatchObject({ code: "STORE_INVALID" });
    await expect(store.update((current) => ({ data: current, result: null }))).rejects.toMatchObject({ code: "STORE_INVALID" });
    expect(await admin.hget(`${keyPrefix}main:store`, "data")).toBe('{"version": 1, "profiles": ');
  });

  it("writes nothing when the mutator returns an invalid document", async () => {
    const keyPrefix = nextPrefix();
    const store = open({ keyPrefix });
    const broken = { version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic" } } } as unknown as StoreData;
    await expect(store.update(() => ({ data: broken, result: null }))).rejects.toMatchObject({ code: "STORE_INVALID" });
    expect(await admin.exists(`${keyPrefix}main:store`)).toBe(0);
  });

  it("applies a compare-and-set that the client re-sends only once", async () => {
    const key = `${nextPrefix()}main:store`;
    const first = await admin.eval(COMPARE_AND_SET_SCRIPT, 1, key, "0", "{}", "write-a");
    const resent = await admin.eval(COMPARE_AND_SET_SCRIPT, 1, key, "0", "{}", "write-a");
    const stale = await admin.eval(COMPARE_AND_SET_SCRIPT, 1, key, "0", "{}", "write-b");
    expect([first, resent, stale]).toEqual([[1, "1"], [1, "1"], [0, "1"]]);
    expect(await admin.hget(key, "version")).toBe("1");
  });

  it("closes a client it created and leaves the caller's client open", async () => {
    const clientsNow = async (): Promise<number> => String(await admin.client("LIST")).trim().split("\n").length;
    const before = await clientsNow();
    const owned = createRedisProfileStore({ url: server.url, keyPrefix: nextPrefix() });
    await owned.read();
    expect(await clientsNow()).toBe(before + 1);
    await owned.close();
    await owned.close();
    expect(await clientsNow()).toBe(before);

    const borrowed = createRedisProfileStore({ client: admin, keyPrefix: nextPrefix() });
    await borrowed.read();
    await borrowed.close();
    expect(await admin.ping()).toBe("PONG");
    await expect(borrowed.read()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    await expect(borrowed.update(() => ({ result: null }))).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    await expect(borrowed.withRefreshLock("anthropic:work", async () => null)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  });

  it("fails with STORE_INVALID when the key holds another Redis type", async () => {
    const keyPrefix = nextPrefix();
    await admin.set(`${keyPrefix}main:store`, "not a hash");
    await expect(open({ keyPrefix }).read()).rejects.toMatchObject({ code: "STORE_INVALID", details: { key: `${keyPrefix}main:store` } });
  });

  it("fails with STORE_UNAVAILABLE naming the URL without password when Redis is not running", async () => {
    const down = await startRedisServer();
    await down.dispose();
    const store = open({ url: `redis://ops:hunter2-secret@127.0.0.1:${down.port}` });
    const failure = await store.read().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "STORE_UNAVAILABLE", details: { file: `redis://ops@127.0.0.1:${down.port}` } });
    expect((failure as { hint: string }).hint).toContain("running and reachable");
    expect(`${inspect(failure)} ${JSON.stringify(failure)}`).not.toContain("hunter2");
  });

  it("passes an ACL user and password from the URL to Redis", async () => {
    const acl = await startRedisServer({ args: ["--user", "default", "off", "--user", "gateway", "on", ">gw-password-1", "~*", "+@all"] });
    try {
      const good = open({ url: `redis://gateway:gw-password-1@127.0.0.1:${acl.port}` });
      await good.update((current) => ({ data: { ...current, counter: 1 }, result: null }));
      expect((await good.read()).counter).toBe(1);
      const bad = open({ url: `redis://gateway:wrong-password@127.0.0.1:${acl.port}` });
      const failure = await bad.read().catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: "STORE_UNAVAILABLE" });
      expect(`${inspect(failure)} ${JSON.stringify(failure)}`).not.toContain("wrong-password");
    } finally {
      await acl.dispose();
    }
  });

  it("keeps credentials out of the error and its cause when Redis rejects a write", async () => {
    const acl = await startRedisServer({ args: ["--user", "limited", "on", ">pw-limited", "~*", "+@all", "-hset"] });
    try {
      const store = open({ url: `redis://limited:pw-limited@127.0.0.1:${acl.port}` });
      const key = "sk-ant-api03-neverinanerrorneverinanerror-ZZZZ";
      const failure = await store
        .update((current) => ({ data: { ...current, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key } } }, result: null }))
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: "STORE_UNAVAILABLE" });
      expect((failure as { hint: string }).hint).toContain("HSET");
      const cause = (failure as Error).cause;
      expect(`${inspect(failure)} ${JSON.stringify(failure)} ${inspect(cause)} ${JSON.stringify(cause)}`).not.toContain("neverinanerror");
    } finally {
      await acl.dispose();
    }
  });

  it("rejects a URL that is not a Redis URL without repeating it", () => {
    const failure = (() => {
      try {
        createRedisProfileStore({ url: "http://user:pa55word@example" });
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(inspect(failure)).not.toContain("pa55word");
  });
});
