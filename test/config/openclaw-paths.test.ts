import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { agentStoreLocation, normalizeAgentId, resolveAgentDir, resolveConfigPath, resolveStateDir } from "../../src/config.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import { saveApiKey } from "../../src/writers/save.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

// Paths and ids as OpenClaw computes them (routing/session-key.ts normalizeAgentId, config/paths.ts,
// infra/home-dir.ts, agents/agent-paths.ts; reference: openclaw-generations.md "Other facts").
const KEY = "sk-ant-api03-PPPPppppPPPPppppPPPPppppPPPPppppPPPP7777";

describe(normalizeAgentId.name, () => {
  it.each([
    ["Work", "work"],
    ["my agent", "my-agent"],
    ["main", "main"],
    ["MAIN", "main"],
    ["  Work  ", "work"],
    ["a--b", "a--b"],
    ["a_b-c9", "a_b-c9"],
    ["a  .  b", "a-b"],
    ["a..b", "a-b"],
    ["-a-", "a"],
    ["--", "main"],
    ["_a", "_a"],
    ["a/../b", "a-b"],
    [".hidden", "hidden"],
    ["Ünïcödé", "n-c-d"],
    ["İstanbul", "i-stanbul"],
    ["日本", "main"],
    ["..", "main"],
    ["", "main"],
    ["   ", "main"],
    ["a".repeat(64), "a".repeat(64)],
    ["a".repeat(65), "a".repeat(64)],
    // OpenClaw cuts after dropping the dashes, so a cut can end on one.
    [`${"a".repeat(63)} b`, `${"a".repeat(63)}-`],
  ])("%j → %j", (raw, expected) => {
    expect(normalizeAgentId(raw)).toBe(expected);
    expect(normalizeAgentId(expected)).toBe(expected);
  });
});

let tmp: TmpHome;
beforeEach(async () => {
  tmp = await makeTmpHome();
});
afterEach(() => tmp.cleanup());

const dir = async (...parts: string[]): Promise<string> => {
  const path = join(tmp.home, ...parts);
  await mkdir(path, { recursive: true, mode: 0o700 });
  return path;
};

describe("state dir, as OpenClaw picks it", () => {
  it.each([".clawdbot", ".moldbot", ".moltbot"])("uses the legacy ~/%s when it is the only one", async (name) => {
    await dir(name);
    expect(resolveStateDir({ homeDir: tmp.home })).toBe(join(tmp.home, name));
  });

  it.each([
    [[".clawdbot", ".moldbot", ".moltbot"], ".clawdbot"],
    [[".moltbot", ".clawdbot"], ".clawdbot"],
    [[".moltbot", ".moldbot"], ".moldbot"],
    [[".moltbot", ".openclaw"], ".openclaw"],
    [[".clawdbot", ".moldbot", ".moltbot", ".openclaw"], ".openclaw"],
  ])("with %j present, takes %s", async (present, expected) => {
    for (const name of present) await dir(name);
    expect(resolveStateDir({ homeDir: tmp.home })).toBe(join(tmp.home, expected));
  });

  it("defaults to ~/.openclaw when none exists", () => {
    expect(resolveStateDir({ homeDir: tmp.home })).toBe(join(tmp.home, ".openclaw"));
  });

  it("takes OPENCLAW_HOME over the home dir, for the default and the legacy dirs", async () => {
    const ocHome = await dir("oc-home");
    expect(resolveStateDir({ homeDir: tmp.home, env: { OPENCLAW_HOME: ocHome } })).toBe(join(ocHome, ".openclaw"));
    await dir(".openclaw"); // under $HOME: ignored once OPENCLAW_HOME is set
    await dir("oc-home", ".moltbot");
    expect(resolveStateDir({ homeDir: tmp.home, env: { OPENCLAW_HOME: ocHome } })).toBe(join(ocHome, ".moltbot"));
  });

  it("expands ~ in OPENCLAW_HOME against the home dir, and ~ in OPENCLAW_STATE_DIR against OPENCLAW_HOME", async () => {
    expect(resolveStateDir({ homeDir: tmp.home, env: { OPENCLAW_HOME: "~/oc" } })).toBe(join(tmp.home, "oc", ".openclaw"));
    expect(resolveStateDir({ homeDir: tmp.home, env: { OPENCLAW_HOME: "/srv/oc", OPENCLAW_STATE_DIR: "~/state" } })).toBe("/srv/oc/state");
  });

  it("treats a blank OPENCLAW_HOME as unset", () => {
    expect(resolveStateDir({ homeDir: tmp.home, env: { OPENCLAW_HOME: "  " } })).toBe(join(tmp.home, ".openclaw"));
  });

  it("takes OPENCLAW_STATE_DIR, then CLAWDBOT_STATE_DIR, over any dir in the home", async () => {
    await dir(".openclaw");
    const env = { OPENCLAW_STATE_DIR: join(tmp.home, "s1"), CLAWDBOT_STATE_DIR: join(tmp.home, "s2"), OPENCLAW_HOME: "/elsewhere" };
    expect(resolveStateDir({ homeDir: tmp.home, env })).toBe(join(tmp.home, "s1"));
    expect(resolveStateDir({ homeDir: tmp.home, env: { CLAWDBOT_STATE_DIR: join(tmp.home, "s2") } })).toBe(join(tmp.home, "s2"));
  });
});

describe("config path, as OpenClaw picks it", () => {
  it.each(["clawdbot.json", "moldbot.json", "moltbot.json"])("takes <stateDir>/%s when openclaw.json is missing", async (name) => {
    const state = await dir(".openclaw");
    await writeFile(join(state, name), "{}");
    expect(resolveConfigPath({ homeDir: tmp.home })).toBe(join(state, name));
    await writeFile(join(state, "openclaw.json"), "{}");
    expect(resolveConfigPath({ homeDir: tmp.home })).toBe(join(state, "openclaw.json"));
  });

  it("finds moltbot.json in a legacy ~/.moltbot state dir", async () => {
    const state = await dir(".moltbot");
    await writeFile(join(state, "moltbot.json"), "{}");
    expect(resolveConfigPath({ homeDir: tmp.home })).toBe(join(state, "moltbot.json"));
  });

  it("takes OPENCLAW_CONFIG_PATH (~ against OPENCLAW_HOME), then CLAWDBOT_CONFIG_PATH", () => {
    expect(resolveConfigPath({ homeDir: tmp.home, env: { OPENCLAW_HOME: "/srv/oc", OPENCLAW_CONFIG_PATH: "~/bot.json5", CLAWDBOT_CONFIG_PATH: "/x.json" } })).toBe("/srv/oc/bot.json5");
    expect(resolveConfigPath({ homeDir: tmp.home, env: { CLAWDBOT_CONFIG_PATH: "/x.json" } })).toBe("/x.json");
  });
});

describe("agent dir, as OpenClaw picks it", () => {
  const stateDir = "/srv/state";

  it.each(["OPENCLAW_AGENT_DIR", "CLAWDBOT_AGENT_DIR", "PI_CODING_AGENT_DIR"])("uses %s for the default agent only", (name) => {
    const env = { [name]: "/a/override" };
    expect(resolveAgentDir({ stateDir, env })).toBe("/a/override");
    expect(resolveAgentDir({ stateDir, env, agentId: "Main" })).toBe("/a/override");
    expect(resolveAgentDir({ stateDir, env, agentId: "work" })).toBe("/srv/state/agents/work/agent");
  });

  it("gives the override to OpenClaw's default agent: agents.list[] default: true, else its first entry", () => {
    const env = { OPENCLAW_AGENT_DIR: "/a/override" };
    const firstIsWork = { agents: { list: [{ id: "Work" }, { id: "ops" }] } };
    expect(resolveAgentDir({ stateDir, env, config: firstIsWork, agentId: "work" })).toBe("/a/override");
    expect(resolveAgentDir({ stateDir, env, config: firstIsWork })).toBe("/srv/state/agents/main/agent");
    const opsIsDefault = { agents: { list: [{ id: "work" }, { id: "ops", default: true }] } };
    expect(resolveAgentDir({ stateDir, env, config: opsIsDefault, agentId: "ops" })).toBe("/a/override");
    expect(resolveAgentDir({ stateDir, env, config: opsIsDefault, agentId: "work" })).toBe("/srv/state/agents/work/agent");
    expect(resolveAgentDir({ stateDir, env, config: { agents: { list: [] } } })).toBe("/a/override");
  });

  it("prefers OPENCLAW_AGENT_DIR, then CLAWDBOT_AGENT_DIR, then PI_CODING_AGENT_DIR", () => {
    expect(resolveAgentDir({ stateDir, env: { OPENCLAW_AGENT_DIR: "/1", CLAWDBOT_AGENT_DIR: "/2", PI_CODING_AGENT_DIR: "/3" } })).toBe("/1");
    expect(resolveAgentDir({ stateDir, env: { CLAWDBOT_AGENT_DIR: "/2", PI_CODING_AGENT_DIR: "/3" } })).toBe("/2");
    expect(resolveAgentDir({ stateDir, env: { PI_CODING_AGENT_DIR: "~/pi" }, homeDir: tmp.home })).toBe(join(tmp.home, "pi"));
  });

  it("matches agents.list[] entries by normalised id and expands ~ against OPENCLAW_HOME", () => {
    const config = { agents: { list: [{ id: "My Agent", agentDir: "~/dirs/mine" }] } };
    expect(resolveAgentDir({ stateDir, config, agentId: "my-agent", homeDir: tmp.home })).toBe(join(tmp.home, "dirs/mine"));
    expect(resolveAgentDir({ stateDir, config, agentId: "MY AGENT", homeDir: tmp.home, env: { OPENCLAW_HOME: "/srv/oc" } })).toBe("/srv/oc/dirs/mine");
  });
});

describe("one location for resolver and writers", () => {
  const resolvers: AuthResolver[] = [];
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((r) => r.close()));
  });

  it("agentStoreLocation finds the state dir itself from the injected env and home", async () => {
    const ocHome = await dir("oc-home");
    await dir("oc-home", ".moldbot");
    const located = agentStoreLocation({ agentId: "My Agent", env: { OPENCLAW_HOME: ocHome }, homeDir: tmp.home, config: {} });
    expect(located).toEqual({
      agentId: "my-agent",
      stateDir: join(ocHome, ".moldbot"),
      agentDir: join(ocHome, ".moldbot", "agents", "my-agent", "agent"),
      storePath: join(ocHome, ".moldbot", "agents", "my-agent", "agent", "auth-profiles.json"),
    });
    expect(() => agentStoreLocation({ agentId: "main", config: {} })).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("saveApiKey writes, and the resolver reads, the store OpenClaw uses for 'My Agent' under OPENCLAW_HOME and a legacy dir", async () => {
    const ocHome = await dir("oc-home");
    await dir("oc-home", ".moltbot");
    const env = { OPENCLAW_HOME: ocHome };
    const saved = await saveApiKey({ key: KEY, agentId: "My Agent", env, homeDir: tmp.home, configPath: false });
    const expected = join(ocHome, ".moltbot", "agents", "my-agent", "agent", "auth-profiles.json");
    expect(saved.storePath).toBe(expected);
    expect(JSON.parse(await readFile(expected, "utf8")).profiles["anthropic:default"].key).toBe(KEY);
    const resolver = createAuthResolver({ agentId: "my agent", env, homeDir: tmp.home, configPath: false, claudeCli: false });
    resolvers.push(resolver);
    const auth = await resolver.resolve();
    expect(auth.secret).toBe(KEY);
    expect((await resolver.status()).storePath).toBe(expected);
  });

  it("the resolver follows OPENCLAW_CONFIG_PATH to an agents.list[].agentDir, and PI_CODING_AGENT_DIR for the default agent main", async () => {
    const configPath = join(tmp.home, "etc", "bot.json5");
    await mkdir(dirname(configPath), { recursive: true, mode: 0o700 });
    // main is OpenClaw's default agent here by `default: true` (else the first entry, Work, would be).
    await writeFile(configPath, JSON.stringify({ agents: { list: [{ id: "Work", agentDir: "~/work-agent" }, { id: "main", default: true }] } }), { mode: 0o600 });
    const env = { OPENCLAW_CONFIG_PATH: configPath, PI_CODING_AGENT_DIR: join(tmp.home, "pi-main") };
    const work = await saveApiKey({ key: KEY, agentId: "work", env, homeDir: tmp.home });
    expect(work.storePath).toBe(join(tmp.home, "work-agent", "auth-profiles.json"));
    const main = await saveApiKey({ key: KEY, env, homeDir: tmp.home, configPath: false });
    expect(main.storePath).toBe(join(tmp.home, "pi-main", "auth-profiles.json"));
    for (const agentId of ["WORK", "main"]) {
      const resolver = createAuthResolver({ agentId, env, homeDir: tmp.home, claudeCli: false });
      resolvers.push(resolver);
      expect((await resolver.resolve()).secret).toBe(KEY);
    }
    expect((await resolvers[0]!.status()).storePath).toBe(work.storePath);
  });
});
