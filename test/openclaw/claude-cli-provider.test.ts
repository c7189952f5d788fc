import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { explainProfiles } from "../../src/selection/candidates.js";
import { migrateConfig } from "../../src/config/migrate.js";
import { useClaudeCli } from "../../src/writers/use-claude-cli.js";
import { KEY_A, TOKEN_M, makeResolverFixture, type ResolverFixture } from "../resolver/support.js";

// OpenClaw 2026.4 keeps its Claude CLI login as `anthropic:claude-cli` with provider `claude-cli`,
// in the store and in the config's auth.profiles (reference: openclaw-generations.md, Other facts).
const CLI = "anthropic:claude-cli";
const OPENCLAW_TOKEN = `sk-ant-oat01-${"O".repeat(90)}oooo`;
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const openclawEntry = (expires = NOW + 3_600_000) => ({ type: "oauth", provider: "claude-cli", access: OPENCLAW_TOKEN, refresh: "sk-ant-ort01-OOOOOOOOOOOOOOOOOOOOOOOO", expires });
const openclawMeta = { provider: "claude-cli", mode: "oauth" } as const;

describe("selection for anthropic accepts OpenClaw's anthropic:claude-cli (provider claude-cli)", () => {
  it("lists a stored entry with provider claude-cli as an eligible anthropic candidate", () => {
    const explained = explainProfiles({ store: { version: 1, profiles: { [CLI]: openclawEntry() as never } }, provider: "anthropic", now: NOW });
    expect(explained.source).toBe("store_profiles");
    expect(explained.candidates).toEqual([{ profileId: CLI, type: "oauth", excluded: null, detail: null, unusable: null }]);
  });

  it("takes a config entry with provider claude-cli as a configured anthropic profile", () => {
    const store = { version: 1 as const, profiles: { [CLI]: openclawEntry() as never, "anthropic:key": { type: "api_key" as const, provider: "anthropic", key: KEY_A } } };
    const config = { auth: { profiles: { [CLI]: openclawMeta as never, "anthropic:key": { provider: "anthropic", mode: "api_key" as const } } } };
    const explained = explainProfiles({ store, config, provider: "anthropic", now: NOW });
    expect(explained.source).toBe("config_profiles");
    expect(explained.candidates.map((c) => [c.profileId, c.excluded])).toEqual([
      [CLI, null],
      ["anthropic:key", null],
    ]);
  });

  it("does not let another profile id borrow the exception", () => {
    const store = { version: 1 as const, profiles: { "anthropic:other": { ...openclawEntry(), provider: "claude-cli" } as never } };
    expect(explainProfiles({ store, provider: "anthropic", now: NOW }).candidates).toEqual([]);
    const config = { auth: { order: { anthropic: ["anthropic:other"] } } };
    expect(explainProfiles({ store, config, provider: "anthropic", now: NOW }).candidates[0]?.excluded).toBe("provider_mismatch");
  });
});

describe("the resolver and OpenClaw's own anthropic:claude-cli entry", () => {
  let fx: ResolverFixture;
  beforeEach(async () => {
    fx = await makeResolverFixture();
  });
  afterEach(() => fx.cleanup());

  it("sends it for anthropic (provider anthropic in the answer), with or without the live Claude Code reader, and never rewrites it", async () => {
    await fx.writeStore({ version: 1, profiles: { [CLI]: openclawEntry() } });
    const entryText = JSON.stringify((await fx.readStore()).profiles[CLI]);
    const config = { auth: { profiles: { [CLI]: openclawMeta } } } as const;
    // No Claude Code login on this host: the stored entry is what there is.
    const live = fx.resolver({ config, claudeCli: { keychain: false }, env: { CLAUDE_CONFIG_DIR: join(fx.home, "no-claude") } });
    const viaLink = await live.resolve();
    expect(viaLink).toMatchObject({ profileId: CLI, provider: "anthropic", mode: "oauth" });
    expect(viaLink.secret).toBe(OPENCLAW_TOKEN);
    expect((await live.resolve({ profileId: CLI })).secret).toBe(OPENCLAW_TOKEN);
    await live.reportSuccess(CLI);
    await live.flush();
    const off = fx.resolver({ config, claudeCli: false });
    const direct = await off.resolve();
    expect(direct).toMatchObject({ profileId: CLI, provider: "anthropic" });
    expect(direct.secret).toBe(OPENCLAW_TOKEN);
    const after = await fx.readStore();
    expect(JSON.stringify(after.profiles[CLI])).toBe(entryText);
    expect(after.lastGood).toEqual({ anthropic: CLI });
    // The status lists it once, under anthropic (no provider "claude-cli" of its own).
    const status = await off.status();
    expect(status.auth.providers.map((p) => [p.provider, p.entries.map((e) => [e.profileId, e.state])])).toEqual([["anthropic", [[CLI, "ok"]]]]);
  });

  it("never refreshes it, even expired with a refresh token (claudeCli off: no token endpoint call, entry unchanged)", async () => {
    await fx.writeStore({ version: 1, profiles: { [CLI]: openclawEntry(NOW - 1_000) } });
    const before = await readFile(fx.storePath(), "utf8");
    let calls = 0;
    const resolver = fx.resolver({
      claudeCli: false,
      fetch: (async () => {
        calls += 1;
        return new Response("{}", { status: 500 });
      }) as typeof fetch,
    });
    const auth = await resolver.resolve();
    expect(auth.profileId).toBe(CLI);
    expect(calls).toBe(0);
    expect(await readFile(fx.storePath(), "utf8")).toBe(before);
  });
});

describe("useClaudeCli leaves OpenClaw's entry alone", () => {
  let fx: ResolverFixture;
  beforeEach(async () => {
    fx = await makeResolverFixture();
    const claudeDir = join(fx.home, "claude");
    await mkdir(claudeDir, { recursive: true });
    await writeFile(join(claudeDir, ".credentials.json"), JSON.stringify({ claudeAiOauth: { accessToken: TOKEN_M, refreshToken: "sk-ant-ort01-ZZZZZZZZZZZZZZZZZZZZZZZZ", expiresAt: 4_000_000_000_000 } }), { mode: 0o600 });
  });
  afterEach(() => fx.cleanup());
  const where = () => ({ stateDir: fx.stateDir, homeDir: fx.home, env: { CLAUDE_CONFIG_DIR: join(fx.home, "claude") }, keychain: false });
  const configPath = () => join(fx.stateDir, "openclaw.json");
  const writeConfig = async (text: string) => {
    await mkdir(dirname(configPath()), { recursive: true, mode: 0o700 });
    await writeFile(configPath(), text, { mode: 0o600 });
  };

  it("keeps a config entry with provider claude-cli byte for byte (recorded: false)", async () => {
    const text = `{\n  // written by OpenClaw 2026.4\n  "auth": { "profiles": { "anthropic:claude-cli": { "provider": "claude-cli", "mode": "oauth" } } }\n}\n`;
    await writeConfig(text);
    const result = await useClaudeCli(where());
    expect(result).toMatchObject({ profileId: CLI, recorded: false, mode: "oauth" });
    expect(await readFile(configPath(), "utf8")).toBe(text);
  });

  it("adds no config entry beside a store entry with provider claude-cli, and leaves the store byte for byte", async () => {
    await fx.writeStore({ version: 1, profiles: { [CLI]: openclawEntry() } });
    const storeText = await readFile(fx.storePath(), "utf8");
    const text = `{ "auth": { "profiles": {} } }\n`;
    await writeConfig(text);
    const result = await useClaudeCli(where());
    expect(result.recorded).toBe(false);
    expect(await readFile(configPath(), "utf8")).toBe(text);
    expect(await readFile(fx.storePath(), "utf8")).toBe(storeText);
  });

  it("records its own entry when none exists, and keeps an earlier anthropic one up to date", async () => {
    await writeConfig(`{ "auth": { "profiles": { "anthropic:claude-cli": { "provider": "anthropic", "mode": "token", "email": "me@example.com" } } } }\n`);
    const result = await useClaudeCli(where());
    expect(result.recorded).toBe(true);
    expect(JSON.parse(await readFile(configPath(), "utf8")).auth.profiles[CLI]).toEqual({ provider: "anthropic", mode: "oauth", email: "me@example.com" });
  });
});

describe("config migration", () => {
  it("does not migrate the mode of OpenClaw's own claude-cli entry", () => {
    const config = { auth: { profiles: { [CLI]: { provider: "claude-cli", mode: "token" as const } } } };
    expect(migrateConfig(config)).toEqual({ config, changes: [] });
    const ours = { auth: { profiles: { [CLI]: { provider: "anthropic", mode: "token" as const } } } };
    expect(migrateConfig(ours).changes).toHaveLength(1);
  });
});
