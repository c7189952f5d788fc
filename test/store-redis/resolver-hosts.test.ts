import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { createRedisProfileStore } from "../../src/redis.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { eventually } from "../helpers/eventually.js";
import { nodeChild } from "../helpers/node-child.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";

const NOW = 1_800_000_000_000;
const KEY_A = "sk-ant-api03-AAAAaaaaAAAAaaaaAAAAaaaaAAAAaaaaAAAA1111";
const KEY_B = "sk-ant-api03-BBBBbbbbBBBBbbbbBBBBbbbbBBBBbbbbBBBB2222";
let redis: RedisServer;
let tokens: FakeTokenServer;

beforeAll(async () => {
  redis = await startRedisServer();
  tokens = await startFakeTokenServer();
});
afterAll(async () => {
  await tokens.close();
  await redis.dispose();
});

function host(args: string[]): Promise<string> {
  const script = join(__dirname, "workers", "resolver-host.ts");
  return new Promise((resolve, reject) => {
    const command = nodeChild(script, args);
    const child = spawn(command.command, command.args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += String(c)));
    child.stderr.on("data", (c) => (err += String(c)));
    child.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
  });
}

describe("resolvers on several hosts sharing one Redis store", () => {
  it("make exactly 1 token request for an expired token and lose no failure count", async () => {
    const prefix = "fleet1:";
    const seed = createRedisProfileStore({ url: redis.url, keyPrefix: prefix });
    await seed.update((current) => ({
      data: {
        ...current,
        profiles: {
          "anthropic:me": { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh: tokens.issueRefreshToken(), expires: NOW - 1000 },
          "anthropic:key": { type: "api_key", provider: "anthropic", key: KEY_A },
        },
      },
      result: null,
    }));
    const before = tokens.count;
    const outputs = await Promise.all([1, 2, 3, 4].map(() => host([redis.url, prefix, tokens.url, String(NOW), "25"])));
    expect(tokens.count - before).toBe(1);
    expect(new Set(outputs).size).toBe(1);
    const data = await seed.read();
    expect((data.profiles["anthropic:me"] as { access: string }).access.slice(-12)).toBe(outputs[0]);
    expect(data.usageStats?.["anthropic:key"]).toMatchObject({ errorCount: 100, failureCounts: { rate_limit: 100 } });
    await seed.close();
  }, 300_000);

  it("respects a cooldown another host set", async () => {
    const prefix = "fleet2:";
    const storeA = createRedisProfileStore({ url: redis.url, keyPrefix: prefix });
    const storeB = createRedisProfileStore({ url: redis.url, keyPrefix: prefix });
    await storeA.update((current) => ({
      data: { ...current, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A }, "anthropic:b": { type: "api_key", provider: "anthropic", key: KEY_B } }, order: { anthropic: ["anthropic:a", "anthropic:b"] } },
      result: null,
    }));
    const options = { configPath: false as const, env: {}, claudeCli: false as const, now: () => NOW };
    const hostA = createAuthResolver({ ...options, store: storeA });
    const hostB = createAuthResolver({ ...options, store: storeB });
    try {
      expect((await hostB.resolve()).profileId).toBe("anthropic:a");
      await hostA.reportFailure("anthropic:a", { status: 429, headers: { "retry-after": "120" } });
      let seen = "anthropic:a";
      await eventually(async () => {
        seen = (await hostB.resolve()).profileId as string;
        return seen !== "anthropic:a";
      }, 100);
      expect(seen).toBe("anthropic:b");
    } finally {
      await hostA.close();
      await hostB.close();
      await storeA.close();
      await storeB.close();
    }
  }, 300_000);
});
