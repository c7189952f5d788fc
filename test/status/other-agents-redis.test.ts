import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisProfileStore, type RedisProfileStore } from "../../src/redis.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { checkAuthStatus } from "../../src/status/check.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { leakedSlices, NOW, SECRETS } from "./fixtures.js";

// The same shared config as with files, the stores in a real redis-server: agent "main" and agent
// "ops" (named by agents.list[]) store theirs under the same key prefix, encrypted with their own
// binding; status for agent "work" asks the Redis store for their ids and never decrypts them.
const CONFIG = {
  auth: {
    profiles: {
      "anthropic:main-key": { provider: "anthropic", mode: "api_key" },
      "anthropic:ops-token": { provider: "anthropic", mode: "token" },
      "anthropic:work-key": { provider: "anthropic", mode: "api_key" },
      "anthropic:nobody": { provider: "anthropic", mode: "api_key" },
    },
  },
  agents: { list: [{ id: "work" }, { id: "ops" }] },
} as const;

let server: RedisServer;
let prefix = 0;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.dispose();
});

async function seed(keyPrefix: string, agentId: string, profiles: Record<string, unknown>, encrypted: boolean): Promise<void> {
  const encryption = encrypted ? { keys: { k1: randomBytes(32) }, currentKeyId: "k1" } : undefined;
  const store = createRedisProfileStore({ url: server.url, keyPrefix, agentId, ...(encryption === undefined ? {} : { encryption }) });
  try {
    await store.update((current) => ({ data: { ...current, profiles: profiles as never }, result: undefined }));
  } finally {
    await store.close();
  }
}

describe("status for agent work on a Redis store, with a shared config", () => {
  it("names main's and ops's configured profiles once and lists only work's rows", async () => {
    const keyPrefix = `t${(prefix += 1)}:`;
    await seed(keyPrefix, "main", { "anthropic:main-key": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } }, true);
    await seed(keyPrefix, "ops", { "anthropic:ops-token": { type: "token", provider: "anthropic", token: SECRETS.token } }, false);
    await seed(keyPrefix, "work", { "anthropic:work-key": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey2 } }, false);
    const tmp = await makeTmpHome();
    const store: RedisProfileStore = createRedisProfileStore({ url: server.url, keyPrefix, agentId: "work" });
    const resolver = createAuthResolver({ agentId: "work", store, config: CONFIG, stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, claudeCli: false, now: () => NOW });
    try {
      const status = await resolver.status();
      const anthropic = status.auth.providers.find((p) => p.provider === "anthropic");
      expect(anthropic?.entries.map((row) => [row.profileId, row.state])).toEqual([
        ["anthropic:work-key", "ok"],
        ["anthropic:nobody", "missing"],
      ]);
      expect(status.auth.otherAgentProfiles).toEqual([
        { profileId: "anthropic:main-key", provider: "anthropic", agentIds: ["main"] },
        { profileId: "anthropic:ops-token", provider: "anthropic", agentIds: ["ops"] },
      ]);
      expect(anthropic?.profiles.count).toBe(1);
      const text = formatAuthStatus(status);
      expect(text).toContain("(2 profiles, 1 usable: 1 API key)");
      expect(text).toContain("2 configured profiles belong to other agents (main, ops); not listed above.");
      expect(checkAuthStatus(status).problems.join("\n")).not.toMatch(/main-key|ops-token/);
      expect(leakedSlices(`${text}\n${JSON.stringify(status)}`)).toEqual([]);
      expect(await store.profileIdsOfAgent("nobody-here")).toEqual([]);
      await expect(store.profileIdsOfAgent("../main")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    } finally {
      await resolver.close();
      await store.close();
      await tmp.cleanup();
    }
  });
});
