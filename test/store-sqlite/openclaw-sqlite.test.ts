import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createSqliteProfileStore } from "../../src/sqlite/store.js";
import { saveApiKey } from "../../src/writers/save.js";
import { agentDbPath, FIXTURE_NOW, FIXTURE_STATE_TEXT, FIXTURE_STORE_TEXT, makeStateDir, readRow, writeOpenClawAgentDb } from "./support.js";

const FIXTURE_STORE = JSON.parse(FIXTURE_STORE_TEXT) as { profiles: Record<string, Record<string, unknown>> };
const FIXTURE_STATE = JSON.parse(FIXTURE_STATE_TEXT) as { order: Record<string, string[]>; lastGood: Record<string, string>; usageStats: Record<string, Record<string, unknown>> };
const WRITER = fileURLToPath(new URL("./workers/openclaw-writer.mjs", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

let stateDir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ stateDir, cleanup } = await makeStateDir());
});
afterEach(() => cleanup());

describe("OpenClaw 2026.6 SQLite store, shared live", () => {
  it("reads the credentials row and the state row merged as OpenClaw merges them", async () => {
    const path = agentDbPath(stateDir);
    await writeOpenClawAgentDb(path, FIXTURE_STORE_TEXT, FIXTURE_STATE_TEXT);
    const store = createSqliteProfileStore({ path });
    try {
      const data = await store.read();
      for (const [id, profile] of Object.entries(FIXTURE_STORE.profiles)) if (profile["type"] !== undefined) expect(data.profiles[id]).toMatchObject(profile);
      expect(data.order).toEqual(FIXTURE_STATE.order);
      expect(data.lastGood).toEqual(FIXTURE_STATE.lastGood);
      expect(data.usageStats?.["anthropic:work"]).toEqual(FIXTURE_STATE.usageStats["anthropic:work"]);
    } finally {
      await store.close();
    }
  });

  it("writes usage to the state row only, and leaves the credentials row byte for byte", async () => {
    const path = agentDbPath(stateDir);
    await writeOpenClawAgentDb(path, FIXTURE_STORE_TEXT, FIXTURE_STATE_TEXT);
    const store = createSqliteProfileStore({ path });
    try {
      await store.update((current) => ({
        data: { ...current, usageStats: { ...current.usageStats, "anthropic:default": { ...current.usageStats?.["anthropic:default"], lastUsed: FIXTURE_NOW + 1 } } },
        result: undefined,
      }));
    } finally {
      await store.close();
    }
    expect(readRow(path, "auth_profile_store")).toBe(FIXTURE_STORE_TEXT);
    const state = JSON.parse(readRow(path, "auth_profile_state") ?? "{}") as typeof FIXTURE_STATE & { version: number };
    expect(state.version).toBe(1);
    expect(Object.keys(state).sort()).toEqual(["lastGood", "order", "usageStats", "version"]);
    expect(state.usageStats["anthropic:default"]?.["lastUsed"]).toBe(FIXTURE_NOW + 1);
    expect(state.usageStats["anthropic:work"]).toEqual(FIXTURE_STATE.usageStats["anthropic:work"]);
    expect(state.order).toEqual(FIXTURE_STATE.order);
  });

  it("keeps a field of the state row's own that this version does not know", async () => {
    const path = agentDbPath(stateDir);
    const stateText = JSON.stringify({ ...JSON.parse(FIXTURE_STATE_TEXT), future: { lane: [1, "a"] } });
    await writeOpenClawAgentDb(path, FIXTURE_STORE_TEXT, stateText);
    const store = createSqliteProfileStore({ path });
    try {
      await store.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:work" } }, result: undefined }));
    } finally {
      await store.close();
    }
    const state = JSON.parse(readRow(path, "auth_profile_state") ?? "{}") as Record<string, unknown>;
    expect(state["future"]).toEqual({ lane: [1, "a"] });
    expect(state["lastGood"]).toEqual({ anthropic: "anthropic:work" });
  });

  it("is chosen automatically for an agent that has the database and no auth-profiles.json", async () => {
    const path = agentDbPath(stateDir, "work");
    await writeOpenClawAgentDb(path, FIXTURE_STORE_TEXT, FIXTURE_STATE_TEXT);
    const resolver = createAuthResolver({ agentId: "work", stateDir, homeDir: stateDir, env: {}, configPath: false, claudeCli: false, now: () => FIXTURE_NOW });
    try {
      // The state row's order comes first. anthropic:work cools down for claude-opus-4-6 only
      // (cooldownModel, in OpenClaw's meaning): Sonnet may use it, Opus goes to the next one.
      expect((await resolver.resolve({ model: "claude-sonnet-4-6" })).profileId).toBe("anthropic:work");
      expect((await resolver.resolve({ model: "claude-opus-4-6" })).profileId).toBe("anthropic:default");
      expect((await resolver.status()).storePath).toBe(path);
      expect(existsSync(join(dirname(path), "auth-profiles.json"))).toBe(false);
    } finally {
      await resolver.close();
    }
  });

  it("has writers save into it, and the credential lands in the credentials row", async () => {
    const path = agentDbPath(stateDir);
    await writeOpenClawAgentDb(path, FIXTURE_STORE_TEXT, null);
    const key = `sk-ant-api03-${"NewKeyForSqlite".repeat(5)}AAzz`;
    await saveApiKey({ key, profileId: "anthropic:new", stateDir, homeDir: stateDir, env: {}, configPath: false });
    const row = JSON.parse(readRow(path, "auth_profile_store") ?? "{}") as { profiles: Record<string, unknown> };
    expect(row.profiles["anthropic:new"]).toEqual({ type: "api_key", provider: "anthropic", key });
    expect(Object.keys(row.profiles)).toEqual([...Object.keys(FIXTURE_STORE.profiles), "anthropic:new"]);
    expect(existsSync(join(dirname(path), "auth-profiles.json"))).toBe(false);
  });

  it("refuses a row that is not a JSON object with STORE_INVALID naming the database, and writes nothing", async () => {
    const path = agentDbPath(stateDir);
    await writeOpenClawAgentDb(path, "[1,2", FIXTURE_STATE_TEXT);
    const store = createSqliteProfileStore({ path });
    try {
      const error = await store.update(() => ({ data: { version: 1, profiles: {} }, result: undefined })).catch((e: unknown) => e);
      expect(isAuthProfilesError(error) && error.code).toBe("STORE_INVALID");
      expect(String((error as Error).message)).toContain(path);
    } finally {
      await store.close();
    }
    expect(readRow(path, "auth_profile_store")).toBe("[1,2");
  });

  it("creates a new database 0600 in a 0700 directory", async () => {
    const path = agentDbPath(stateDir);
    const store = createSqliteProfileStore({ path });
    try {
      await store.update((current) => ({ data: current, result: undefined }));
    } finally {
      await store.close();
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
  });

  it("takes OpenClaw's cross-agent refresh lock (locks/oauth-refresh/sha256-…) around a refresh, one holder at a time", async () => {
    const path = agentDbPath(stateDir);
    const store = createSqliteProfileStore({ path });
    const order: string[] = [];
    let release: () => void = () => undefined;
    try {
      const first = store.withRefreshLock!("anthropic:me", async () => {
        order.push("first in");
        const entries = await readdir(join(stateDir, "locks", "oauth-refresh"));
        expect(entries.some((name) => /^sha256-[0-9a-f]{64}/.test(name))).toBe(true);
        await new Promise<void>((resolve) => (release = resolve));
        order.push("first out");
      });
      while (order.length === 0) await new Promise((r) => setTimeout(r, 10));
      const second = store.withRefreshLock!("anthropic:me", async () => {
        order.push("second in");
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(order).toEqual(["first in"]);
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(["first in", "first out", "second in"]);
    } finally {
      await store.close();
    }
  });
});

describe("a second process writing the same database", () => {
  it("loses no update: this library and an OpenClaw-like writer in another process, 150 updates each", async () => {
    const path = agentDbPath(stateDir);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeOpenClawAgentDb(path, JSON.stringify({ version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: "sk-ant-api03-x" } } }), JSON.stringify({ version: 1, usageStats: {} }));
    const ROUNDS = 150;
    const child = spawn(process.execPath, [WRITER, path, String(ROUNDS)], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const store = createSqliteProfileStore({ path });
    try {
      for (let i = 0; i < ROUNDS; i += 1) {
        await store.update((current) => {
          const stats = current.usageStats?.["anthropic:a"] ?? {};
          const ours = typeof stats["ours"] === "number" ? stats["ours"] : 0;
          return { data: { ...current, usageStats: { ...current.usageStats, "anthropic:a": { ...stats, ours: ours + 1 } } }, result: undefined };
        });
      }
      expect(await exited).toBe(0);
      expect(stderr).toBe("");
      const stats = (await store.read()).usageStats?.["anthropic:a"];
      expect(stats?.["ours"]).toBe(ROUNDS);
      expect(stats?.["theirs"]).toBe(ROUNDS);
    } finally {
      child.kill();
      await store.close();
    }
  }, 300_000);
});
