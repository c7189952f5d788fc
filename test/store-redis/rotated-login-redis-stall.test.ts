import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisProfileStore } from "../../src/redis.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";

const ID = "anthropic:me";
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

let redis: RedisServer;
let tokens: FakeTokenServer;
let dir: string;
beforeAll(async () => {
  redis = await startRedisServer();
  tokens = await startFakeTokenServer();
  dir = await mkdtemp(join(tmpdir(), "auth-profiles-redis-stall-"));
});
afterAll(async () => {
  redis.resume();
  await tokens.close();
  await redis.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("a rotated refresh token when Redis stalls (SIGSTOP) right after the token endpoint answered", () => {
  it("is journaled locally and served from memory while Redis is stopped, then saved to Redis once it is back", { timeout: 300_000 }, async () => {
    const keyPrefix = "stall:";
    const journalPath = join(dir, "main.refresh-journal");
    const open = () => createRedisProfileStore({ url: redis.url, keyPrefix, commandTimeoutMs: 1_000, refreshJournalPath: journalPath });
    const spent = tokens.issueRefreshToken();
    const seed = open();
    await seed.update(() => ({ data: { version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh: spent, expires: NOW - 1000 } } }, result: null }));
    await seed.close();

    const logged: string[] = [];
    const resolver = createAuthResolver({
      store: open(),
      env: {},
      configPath: false,
      claudeCli: false,
      now: () => NOW,
      oauth: { tokenUrl: tokens.url },
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (line: string) => logged.push(line) },
    });
    const issued: { access: string; refresh: string }[] = [];
    tokens.onIssued((pair) => {
      issued.push(pair);
      redis.pause();
    });
    const auth = await resolver.resolve();
    tokens.onIssued(null);
    expect(issued).toHaveLength(1);
    expect(auth.secret).toBe(issued[0]?.access);
    expect(logged.some((line) => line.includes("held in memory") && line.includes(journalPath))).toBe(true);
    expect(await readFile(journalPath, "utf8")).toContain(issued[0]?.refresh);
    // Redis is still stopped: resolves and the status are answered from memory.
    expect((await resolver.resolve()).secret).toBe(issued[0]?.access);
    expect((await resolver.status()).auth.heldLogins).toEqual([expect.objectContaining({ profileId: ID, heldIn: "journal" })]);

    redis.resume();
    const admin = new Redis(redis.url);
    const storedRefresh = async (): Promise<string | undefined> => {
      const text = await admin.hget(`${keyPrefix}main:store`, "data");
      return (JSON.parse(text ?? "{}") as { profiles?: Record<string, { refresh?: string }> }).profiles?.[ID]?.refresh;
    };
    const deadline = Date.now() + 90_000;
    while ((await storedRefresh()) !== issued[0]?.refresh) {
      if (Date.now() > deadline) throw new Error("the held login did not reach Redis within 90 s");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    admin.disconnect();
    await resolver.close();

    const store = open();
    const fresh = createAuthResolver({ store, env: {}, configPath: false, claudeCli: false, now: () => NOW, oauth: { tokenUrl: tokens.url } });
    expect((await fresh.resolve()).secret).toBe(issued[0]?.access);
    await fresh.close();
    await store.close();
    expect(tokens.requests.map((request) => [request.body?.["refresh_token"], request.accepted])).toEqual([[spent, true]]);
  });
});
