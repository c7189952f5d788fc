import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { effectiveCacheControlTtl, loadConfig, parseConfig } from "../../src/config.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import type { Logger } from "../../src/model/logger.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

// OpenClaw's params.cacheRetention ("none" | "short" | "long") beside the legacy cacheControlTtl:
// "short" = 5m, "long" = 1h, cacheRetention wins when both are set, and params is a free record in
// OpenClaw's schema (pi-embedded-runner resolveCacheRetention; reference: openclaw-generations.md).
const M = "anthropic/claude-opus-4-7";
const withParams = (params: Record<string, unknown>) => ({ agents: { defaults: { models: { [M]: { params } } } } });
const KEY = "sk-ant-api03-TTTTttttTTTTttttTTTTttttTTTTttttTTTT5555";

describe("cacheRetention", () => {
  it.each([
    [{ cacheRetention: "long" }, "1h"],
    [{ cacheRetention: "short" }, "5m"],
    [{ cacheRetention: "none" }, null],
    [{ cacheControlTtl: "1h" }, "1h"],
    [{ cacheRetention: "long", cacheControlTtl: "5m" }, "1h"],
    [{ cacheRetention: "short", cacheControlTtl: "1h" }, "5m"],
    [{ cacheRetention: "none", cacheControlTtl: "1h" }, null],
  ])("params %j → TTL %j", (params, ttl) => {
    expect(effectiveCacheControlTtl(parseConfig(JSON.stringify(withParams(params))), "main", "claude-opus-4-7")).toBe(ttl);
  });

  it("an agent's own params decide before the defaults, none included", () => {
    const config = parseConfig(
      JSON.stringify({ agents: { defaults: { models: { [M]: { params: { cacheControlTtl: "1h" } } } }, list: [{ id: "Work", models: { [M]: { params: { cacheRetention: "none" } } } }] } }),
    );
    expect(effectiveCacheControlTtl(config, "work", M)).toBeNull();
    expect(effectiveCacheControlTtl(config, "main", M)).toBe("1h");
  });

  it("an unknown cacheRetention falls back to cacheControlTtl (as OpenClaw does), with a warning", async () => {
    const tmp = await makeTmpHome();
    try {
      const path = join(tmp.home, "openclaw.json");
      await writeFile(path, JSON.stringify(withParams({ cacheRetention: "forever", cacheControlTtl: "1h" })), { mode: 0o600 });
      const loaded = await loadConfig({ path });
      expect(effectiveCacheControlTtl(loaded.config, "main", M)).toBe("1h");
      expect(loaded.warnings.map((w) => w.path)).toEqual([`agents.defaults.models["${M}"].params.cacheRetention`]);
    } finally {
      await tmp.cleanup();
    }
  });
});

describe("a cacheControlTtl OpenClaw accepts but this library cannot apply", () => {
  let tmp: TmpHome;
  const resolvers: AuthResolver[] = [];
  beforeEach(async () => {
    tmp = await makeTmpHome({ createStateDir: true });
  });
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((r) => r.close()));
    await tmp.cleanup();
  });

  const text = JSON.stringify({
    agents: {
      defaults: { models: { [M]: { params: { cacheControlTtl: "30m", temperature: 0.2 } }, "anthropic/claude-sonnet-4-6": { params: { cacheControlTtl: KEY } } } },
      list: [{ id: "work", models: { [M]: { params: { cacheControlTtl: 300, cacheRetention: 7 } } } }],
    },
    auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } },
  });

  it("is ignored and reported with file and JSON path (never the value), not CONFIG_INVALID; the file is untouched", async () => {
    const path = join(tmp.stateDir, "openclaw.json");
    await writeFile(path, text, { mode: 0o600 });
    const loaded = await loadConfig({ path });
    expect(loaded.warnings).toEqual([
      { file: path, path: `agents.defaults.models["${M}"].params.cacheControlTtl`, message: expect.stringContaining(path) },
      { file: path, path: 'agents.defaults.models["anthropic/claude-sonnet-4-6"].params.cacheControlTtl', message: expect.any(String) },
      { file: path, path: `agents.list[0].models["${M}"].params.cacheRetention`, message: expect.any(String) },
      { file: path, path: `agents.list[0].models["${M}"].params.cacheControlTtl`, message: expect.any(String) },
    ]);
    for (const warning of loaded.warnings) {
      expect(warning.message).toContain(warning.path);
      expect(warning.message).not.toContain("30m");
      expect(JSON.stringify(warning)).not.toContain(KEY.slice(13));
    }
    expect(loaded.config.agents?.defaults?.models?.[M]?.params).toEqual({ temperature: 0.2 });
    expect(effectiveCacheControlTtl(loaded.config, "main", M)).toBeNull();
    expect(loaded.config.auth?.profiles?.["anthropic:default"]).toEqual({ provider: "anthropic", mode: "api_key" });
    expect(await readFile(path, "utf8")).toBe(text);
    expect(() => parseConfig(text)).not.toThrow();
  });

  it("the resolver logs each warning and resolves with the rest of the config", async () => {
    const path = join(tmp.stateDir, "openclaw.json");
    await writeFile(path, text, { mode: 0o600 });
    const agentDir = join(tmp.stateDir, "agents", "main", "agent");
    await mkdir(agentDir, { recursive: true, mode: 0o700 });
    await writeFile(join(agentDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: KEY } } }), { mode: 0o600 });
    const warned: string[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (message) => warned.push(message), error: () => undefined };
    const resolver = createAuthResolver({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, configPath: path, claudeCli: false, logger });
    resolvers.push(resolver);
    const auth = await resolver.resolve({ model: "claude-opus-4-7" });
    expect(auth).toMatchObject({ profileId: "anthropic:default", cacheControlTtl: null });
    expect(warned).toHaveLength(4);
    expect(warned[0]).toContain(`agents.defaults.models["${M}"].params.cacheControlTtl`);
    expect(warned.join("\n")).not.toContain(KEY.slice(13));
  });

  it("a config object given to the resolver is reported the same way", async () => {
    const warned: string[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (message) => warned.push(message), error: () => undefined };
    const resolver = createAuthResolver({ stateDir: tmp.stateDir, homeDir: tmp.home, env: { ANTHROPIC_API_KEY: KEY }, config: withParams({ cacheRetention: "long" }) as never, claudeCli: false, logger });
    resolvers.push(resolver);
    expect((await resolver.resolve({ model: "claude-opus-4-7" })).cacheControlTtl).toBe("1h");
    expect(warned).toEqual([]);
    const bad = createAuthResolver({ stateDir: tmp.stateDir, homeDir: tmp.home, env: { ANTHROPIC_API_KEY: KEY }, config: withParams({ cacheControlTtl: "2h" }) as never, claudeCli: false, logger });
    resolvers.push(bad);
    expect((await bad.resolve({ model: "claude-opus-4-7" })).cacheControlTtl).toBeNull();
    expect(warned).toEqual([expect.stringContaining(`agents.defaults.models["${M}"].params.cacheControlTtl in the config`)]);
  });
});
