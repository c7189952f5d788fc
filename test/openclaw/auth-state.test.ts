import { chmod, copyFile, lstat, mkdir, readFile, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import type { ApiKeyProfile } from "../../src/model/store.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { keptEntriesOf } from "../../src/store/kept-entries.js";
import { eventually } from "../helpers/eventually.js";
import { makeResolverFixture, type ResolverFixture } from "../resolver/support.js";

// Files written by OpenClaw 2026.4.12's own code (see test/fixtures/openclaw/README.md).
const T3 = fileURLToPath(new URL("../fixtures/openclaw/t3-2026.4.12/", import.meta.url));
const WRITTEN_AT = 1796159322953;
const DEFAULT_KEY = "sk-ant-api03-FIXTURE-defaultxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const WORK_KEY = "sk-ant-api03-FIXTURE-workxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
const STATE_KEYS = ["version", "order", "lastGood", "usageStats"];

let f: ResolverFixture;
let storePath: string;
let statePath: string;
beforeEach(async () => {
  f = await makeResolverFixture();
  storePath = f.storePath();
  statePath = join(dirname(storePath), "auth-state.json");
  await mkdir(dirname(storePath), { recursive: true, mode: 0o700 });
  // 20 s after OpenClaw wrote the fixture: its cooldowns (30 s) and its billing disable (5 h) are active.
  f.clock.now = WRITTEN_AT + 20_000;
});
afterEach(() => f.cleanup());

async function installT3(): Promise<{ credentials: string; state: string }> {
  for (const name of ["auth-profiles.json", "auth-state.json"]) {
    await copyFile(join(T3, name), join(dirname(storePath), name));
    await chmod(join(dirname(storePath), name), 0o600);
  }
  return { credentials: await readFile(storePath, "utf8"), state: await readFile(statePath, "utf8") };
}

async function writePrivate(path: string, value: unknown): Promise<string> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(path, text, { mode: 0o600 });
  return text;
}

/** The text of one entry of a section, as it sits in a 2-space file. */
function entryText(fileText: string, id: string): string {
  const start = fileText.indexOf(`    ${JSON.stringify(id)}: `);
  expect(start).toBeGreaterThan(0);
  const end = fileText.indexOf("\n    }", start);
  return fileText.slice(start, end + 6);
}

const json = async (path: string): Promise<Record<string, any>> => JSON.parse(await readFile(path, "utf8"));

describe("OpenClaw 2026.4.12's split store (auth-profiles.json + auth-state.json)", () => {
  it("reads order, lastGood and usage from auth-state.json: a profile OpenClaw disabled for billing is not picked", async () => {
    await installT3();
    const resolver = f.resolver();
    // The order lives in auth-state.json only: work, default, manual. Without it, OAuth would come
    // first and me@example.com (disabled for billing by OpenClaw) would be picked.
    const first = await resolver.resolve();
    expect(first.profileId).not.toBe("anthropic:me@example.com");
    // work is cooled for claude-opus-4-6 only (OpenClaw's cooldownModel): default is next for it.
    await expect(resolver.resolve({ model: "claude-opus-4-6" })).resolves.toMatchObject({ profileId: "anthropic:default", secret: DEFAULT_KEY });

    // Status shows the merged view: the order from auth-state.json and work's scoped cooldown.
    const rows = (await resolver.status()).auth.providers.find((p) => p.provider === "anthropic")?.entries ?? [];
    expect(rows.slice(0, 3).map((row) => row.profileId)).toEqual(["anthropic:work", "anthropic:default", "anthropic:manual"]);
    expect(rows.find((row) => row.profileId === "anthropic:me@example.com")?.state).toBe("ignored");
  });

  it("without an explicit order, skips the OAuth login OpenClaw disabled for billing and the one it cooled for auth", async () => {
    await installT3();
    const state = await json(statePath);
    delete state.order;
    await writePrivate(statePath, state);
    const resolver = f.resolver();
    // OAuth comes first in the round robin: me@example.com would be picked if its state were unknown.
    const picked = await resolver.resolve();
    expect(["anthropic:me@example.com", "anthropic:expired-oauth"]).not.toContain(picked.profileId);
    const rows = (await resolver.status()).auth.providers.find((p) => p.provider === "anthropic")?.entries ?? [];
    expect(rows.find((row) => row.profileId === "anthropic:me@example.com")).toMatchObject({ state: "disabled", unusable: { reason: "billing", until: state.usageStats["anthropic:me@example.com"].disabledUntil } });
    expect(rows.find((row) => row.profileId === "anthropic:expired-oauth")?.state).toBe("cooldown");
  });

  it("acts and rewrites as OpenClaw 2026.4.12 expects: credentials untouched, state only in auth-state.json, other entries byte for byte", async () => {
    const before = await installT3();
    const resolver = f.resolver();
    await resolver.reportFailure("anthropic:default", { status: 429 }, { model: "claude-sonnet-4-5" });
    await resolver.reportSuccess("anthropic:work", { model: "claude-sonnet-4-5" });
    await resolver.flush();

    // auth-profiles.json: only {version, profiles}, and not even rewritten (no credential changed).
    const credentials = await readFile(storePath, "utf8");
    expect(credentials).toBe(before.credentials);
    expect(Object.keys(JSON.parse(credentials))).toEqual(["version", "profiles"]);

    const state = await readFile(statePath, "utf8");
    const parsed = JSON.parse(state);
    const original = JSON.parse(before.state);
    expect(Object.keys(parsed)).toEqual(STATE_KEYS);
    expect(parsed.version).toBe(1);
    expect(parsed.order).toEqual(original.order);
    for (const id of ["anthropic:me@example.com", "anthropic:expired-oauth", "openai:default"]) {
      expect(parsed.usageStats[id]).toEqual(original.usageStats[id]);
      expect(entryText(state, id)).toBe(entryText(before.state, id));
    }
    // OpenClaw's meaning of each field (epoch ms numbers; a rate_limit cooldown with its reason).
    const failed = parsed.usageStats["anthropic:default"];
    expect(failed).toMatchObject({ errorCount: 1, failureCounts: { rate_limit: 1 }, lastFailureAt: f.clock.now, cooldownReason: "rate_limit" });
    expect(failed.cooldownUntil).toBeGreaterThan(f.clock.now);
    // A success clears the error count and OpenClaw's cooldownModel / cooldownReason.
    const good = parsed.usageStats["anthropic:work"];
    expect(good).toMatchObject({ lastUsed: f.clock.now });
    expect(good.errorCount ?? 0).toBe(0);
    expect(good.failureCounts?.rate_limit ?? 0).toBe(0);
    expect(good).not.toHaveProperty("cooldownModel");
    expect(good).not.toHaveProperty("cooldownReason");
    expect(good.cooldownUntil ?? 0).toBeLessThanOrEqual(f.clock.now);
    expect(parsed.lastGood.anthropic).toBe("anthropic:work");

    // Read back through a fresh store, the merged view is what was written.
    const merged = await createFileProfileStore({ path: storePath }).read();
    expect(merged.usageStats?.["anthropic:default"]).toEqual(failed);
    expect(merged.profiles["anthropic:work"]).toMatchObject({ key: WORK_KEY });
  });

  it("keeps auth-state.json's unknown fields and odd entries byte for byte, and shows the odd entry as kept", async () => {
    const before = await installT3();
    const state = JSON.parse(before.state);
    state.future = { lane: ["a", 1] };
    state.usageStats["anthropic:default"].openclawOnly = { nested: true };
    state.usageStats["anthropic:manual"] = { errorCount: "2", lastUsed: "yesterday" };
    state.order.google = "not-a-list";
    const stateText = await writePrivate(statePath, state);

    const read = await createFileProfileStore({ path: storePath }).read();
    expect(keptEntriesOf(read).map((entry) => `${entry.section}/${entry.key}`).sort()).toEqual(["order/google", "usageStats/anthropic:manual"]);

    const resolver = f.resolver();
    await resolver.reportFailure("anthropic:work", { status: 429 });
    await resolver.flush();
    const after = await readFile(statePath, "utf8");
    const parsed = JSON.parse(after);
    expect(Object.keys(parsed)).toEqual([...STATE_KEYS, "future"]);
    expect(parsed.future).toEqual(state.future);
    expect(entryText(after, "anthropic:manual")).toBe(entryText(stateText, "anthropic:manual"));
    expect(entryText(after, "anthropic:default")).toBe(entryText(stateText, "anthropic:default"));
    expect(parsed.order.google).toBe("not-a-list");
    expect(parsed.usageStats["anthropic:work"]).toMatchObject({ errorCount: 2, failureCounts: { rate_limit: 2 } });
    expect(await readFile(storePath, "utf8")).toBe(before.credentials);
  });

  it("merges state left in auth-profiles.json where auth-state.json has none, and moves it into auth-state.json on the next write", async () => {
    await installT3();
    const credentials = await json(storePath);
    credentials.order = { anthropic: ["anthropic:manual"], openai: ["openai:default"] };
    credentials.lastGood = { openai: "openai:default" };
    credentials.usageStats = {
      "anthropic:manual": { errorCount: 3, lastUsed: WRITTEN_AT - 5000, cooldownUntil: WRITTEN_AT + 3_600_000, cooldownReason: "rate_limit" },
      // auth-state.json has an entry for work: this legacy one is ignored.
      "anthropic:work": { errorCount: 9, lastUsed: 1 },
    };
    await writePrivate(storePath, credentials);
    const stateBefore = await json(statePath);

    const store = createFileProfileStore({ path: storePath });
    const merged = await store.read();
    expect(merged.order).toEqual({ anthropic: stateBefore.order.anthropic, openai: ["openai:default"] });
    expect(merged.lastGood).toEqual({ anthropic: "anthropic:default", openai: "openai:default" });
    expect(merged.usageStats?.["anthropic:manual"]).toEqual(credentials.usageStats["anthropic:manual"]);
    expect(merged.usageStats?.["anthropic:work"]).toEqual(stateBefore.usageStats["anthropic:work"]);
    // The legacy cooldown of manual is honoured.
    const rows = (await f.resolver().status()).auth.providers.find((p) => p.provider === "anthropic")?.entries ?? [];
    expect(rows.find((row) => row.profileId === "anthropic:manual")?.state).toBe("cooldown");

    await store.update((current) => ({ data: { ...current, lastGood: { ...current.lastGood, anthropic: "anthropic:manual" } }, result: undefined }));
    const credentialsAfter = await json(storePath);
    expect(Object.keys(credentialsAfter)).toEqual(["version", "profiles"]);
    expect(credentialsAfter.profiles).toEqual(credentials.profiles);
    const stateAfter = await json(statePath);
    expect(stateAfter.order).toEqual(merged.order);
    expect(stateAfter.lastGood).toEqual({ anthropic: "anthropic:manual", openai: "openai:default" });
    expect(stateAfter.usageStats["anthropic:manual"]).toEqual(credentials.usageStats["anthropic:manual"]);
    expect(stateAfter.usageStats["anthropic:work"]).toEqual(stateBefore.usageStats["anthropic:work"]);
    expect(await createFileProfileStore({ path: storePath }).read()).toEqual(await store.read());
  });

  it.each([
    ["invalid JSON", '{"version": 1, "usageStats": {'],
    ["not an object", "[1, 2]"],
    ["a newer version", '{"version": 2}\n'],
    ["empty", ""],
  ])("an auth-state.json that is %s fails reads and updates with STORE_INVALID naming it, and neither file is written", async (_label, text) => {
    const before = await installT3();
    await writeFile(statePath, text, { mode: 0o600 });
    const store = createFileProfileStore({ path: storePath, parseRetryMs: 0 });
    const readError = await store.read().then(
      () => null,
      (error: unknown) => error,
    );
    expect(isAuthProfilesError(readError, "STORE_INVALID")).toBe(true);
    expect((readError as { details: { file: string } }).details.file).toBe(statePath);
    expect(String((readError as Error).message)).toContain(statePath);
    await expect(store.update((current) => ({ data: { ...current, touched: true }, result: undefined }))).rejects.toMatchObject({ code: "STORE_INVALID", details: { file: statePath } });
    expect(await readFile(statePath, "utf8")).toBe(text);
    expect(await readFile(storePath, "utf8")).toBe(before.credentials);
  });

  it("never reads or writes auth-state.json through a symbolic link", async () => {
    const before = await installT3();
    const target = join(f.home, "elsewhere.json");
    await writeFile(target, before.state, { mode: 0o600 });
    await rm(statePath);
    await symlink(target, statePath);
    const store = createFileProfileStore({ path: storePath });
    await expect(store.read()).rejects.toMatchObject({ code: "FILE_UNSAFE" });
    await expect(store.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:work" } }, result: undefined }))).rejects.toMatchObject({ code: "FILE_UNSAFE" });
    expect(await readFile(target, "utf8")).toBe(before.state);
    expect((await lstat(statePath)).isSymbolicLink()).toBe(true);
    expect(await readFile(storePath, "utf8")).toBe(before.credentials);
  });

  it("a resolver that is warm sees OpenClaw change auth-state.json alone", async () => {
    await installT3();
    const resolver = f.resolver();
    await expect(resolver.resolve({ model: "claude-opus-4-6" })).resolves.toMatchObject({ profileId: "anthropic:default" });
    // OpenClaw disables default for billing: it rewrites auth-state.json (temp + rename) only.
    const state = await json(statePath);
    state.usageStats["anthropic:default"] = { errorCount: 1, failureCounts: { billing: 1 }, lastFailureAt: f.clock.now, disabledUntil: f.clock.now + 5 * 3_600_000, disabledReason: "billing" };
    await writePrivate(`${statePath}.tmp-openclaw`, state);
    await rename(`${statePath}.tmp-openclaw`, statePath);
    const moved = await eventually(async () => (await resolver.resolve({ model: "claude-opus-4-6" })).profileId !== "anthropic:default");
    expect(moved).toBe(true);
  });

  it("with ignoreOwnWrites, a store's own writes to both files wake no watcher; OpenClaw's write to auth-state.json alone does", async () => {
    await installT3();
    const store = createFileProfileStore({ path: storePath, watchIntervalMs: 20 });
    let calls = 0;
    store.watch(() => (calls += 1), { ignoreOwnWrites: true });
    await new Promise((resolve) => setTimeout(resolve, 60));
    for (let i = 0; i < 3; i += 1) {
      await store.update((current) => ({
        data: { ...current, profiles: { ...current.profiles, "anthropic:default": { ...(current.profiles["anthropic:default"] as ApiKeyProfile), note: i } }, lastGood: { anthropic: `anthropic:${i}` } },
        result: undefined,
      }));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect((await json(storePath)).profiles["anthropic:default"].note).toBe(2);
    expect((await json(statePath)).lastGood).toEqual({ anthropic: "anthropic:2" });
    expect(calls).toBe(0);
    const state = await json(statePath);
    await writePrivate(`${statePath}.tmp-openclaw`, { ...state, lastGood: { anthropic: "anthropic:default" } });
    await rename(`${statePath}.tmp-openclaw`, statePath);
    expect(await eventually(() => calls > 0)).toBe(true);
    await store.close();
  });
});

describe("a store without auth-state.json", () => {
  const legacy = {
    version: 1,
    profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: DEFAULT_KEY } },
    usageStats: { "anthropic:default": { errorCount: 2, lastUsed: WRITTEN_AT } },
  };

  it("keeps everything in auth-profiles.json when OpenClaw's version is older than 2026.4.7 or unknown", async () => {
    for (const openclawVersion of [undefined, "2026.4.6"]) {
      await writePrivate(storePath, legacy);
      const store = createFileProfileStore({ path: storePath, ...(openclawVersion === undefined ? {} : { openclawVersion }) });
      await store.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:default" } }, result: undefined }));
      expect(await json(storePath)).toEqual({ ...legacy, lastGood: { anthropic: "anthropic:default" } });
      await expect(readFile(statePath)).rejects.toMatchObject({ code: "ENOENT" });
    }
  });

  it("creates auth-state.json (0600) and moves the state into it when OpenClaw is 2026.4.7 or later", async () => {
    await writePrivate(storePath, legacy);
    const store = createFileProfileStore({ path: storePath, openclawVersion: "2026.4.7" });
    await store.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:default" } }, result: undefined }));
    expect(await json(storePath)).toEqual({ version: 1, profiles: legacy.profiles });
    expect(await json(statePath)).toEqual({ version: 1, usageStats: legacy.usageStats, lastGood: { anthropic: "anthropic:default" } });
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
  });
});
