import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolver, AuthResolverOptions } from "../../src/resolver/types.js";
import { createSqliteProfileStore } from "../../src/sqlite/store.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { buildAuthStatus } from "../../src/status/build.js";
import { checkAuthStatus } from "../../src/status/check.js";
import { formatAuthStatus } from "../../src/status/format.js";
import type { AuthStatus, ProviderStatus } from "../../src/status/types.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { leakedSlices, NOW, SECRETS, statusInput, storeData } from "./fixtures.js";

// OpenClaw's auth.profiles is global: one config names every agent's profiles. Agent "main" stores
// two of them, agent "work" one; "anthropic:nobody" is stored by no agent.
const SHARED_CONFIG = {
  auth: {
    profiles: {
      "anthropic:main-key": { provider: "anthropic", mode: "api_key" },
      "anthropic:main-token": { provider: "anthropic", mode: "token" },
      "anthropic:work-key": { provider: "anthropic", mode: "api_key" },
      "anthropic:nobody": { provider: "anthropic", mode: "api_key" },
    },
  },
} as const;

const MAIN_PROFILES = {
  "anthropic:main-key": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey },
  "anthropic:main-token": { type: "token", provider: "anthropic", token: SECRETS.token },
} as const;
const WORK_PROFILES = { "anthropic:work-key": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey2 } } as const;

function anthropic(status: AuthStatus): ProviderStatus {
  const provider = status.auth.providers.find((p) => p.provider === "anthropic");
  if (provider === undefined) throw new Error("no anthropic block");
  return provider;
}

/** The numbers in a provider's header line: `(N profiles[, K usable][: …])`. */
function headerCounts(text: string): { listed: number; usable: number } {
  const header = text.split("\n").find((line) => line.startsWith("anthropic: "));
  const match = /\((\d+) profiles?(?:, (\d+|none) usable)?/.exec(header ?? "");
  if (match === null) throw new Error(`no counts in ${String(header)}`);
  const listed = Number(match[1]);
  return { listed, usable: match[2] === undefined ? listed : match[2] === "none" ? 0 : Number(match[2]) };
}

/** Every count of the report equals what its rows say. */
function expectCountsFromRows(status: AuthStatus): void {
  for (const provider of status.auth.providers) {
    const usable = provider.entries.filter((row) => ["ok", "expiring", "cooldown", "disabled"].includes(row.state));
    expect(provider.profiles.count).toBe(usable.length);
    expect(provider.profiles.apiKey).toBe(usable.filter((row) => row.type === "api_key").length);
    expect(provider.profiles.token).toBe(usable.filter((row) => row.type === "token").length);
    expect(provider.profiles.oauth).toBe(usable.filter((row) => row.type === "oauth").length);
    expect(provider.profiles.labels).toHaveLength(usable.length);
  }
  const text = formatAuthStatus(status);
  const rows = anthropic(status).entries;
  expect(headerCounts(text)).toEqual({ listed: rows.length, usable: anthropic(status).profiles.count });
}

describe("buildAuthStatus with a shared config (pure)", () => {
  const input = (storedElsewhere: { profileId: string; agentIds: string[] }[] | undefined) =>
    statusInput({ agentId: "work", config: SHARED_CONFIG, data: storeData({ ...WORK_PROFILES }), ...(storedElsewhere === undefined ? {} : { storedElsewhere }) });

  it("lists another agent's configured profiles once, not as this agent's missing rows", () => {
    const status = buildAuthStatus(
      input([
        { profileId: "anthropic:main-key", agentIds: ["main"] },
        { profileId: "anthropic:main-token", agentIds: ["main"] },
      ]),
    );
    expect(anthropic(status).entries.map((row) => [row.profileId, row.state])).toEqual([
      ["anthropic:work-key", "ok"],
      ["anthropic:nobody", "missing"],
    ]);
    expect(status.auth.otherAgentProfiles).toEqual([
      { profileId: "anthropic:main-key", provider: "anthropic", agentIds: ["main"] },
      { profileId: "anthropic:main-token", provider: "anthropic", agentIds: ["main"] },
    ]);
    expect(status.auth.oauth.profiles.map((p) => p.profileId)).toEqual([]);
    expectCountsFromRows(status);
    const text = formatAuthStatus(status);
    expect(text).toContain("2 configured profiles belong to other agents (main); not listed above.");
    expect(text.match(/belong to other agents/g)).toHaveLength(1);
    expect(text).not.toMatch(/anthropic:main-/);
  });

  it("keeps an id no agent stores as missing (and says nothing about other agents)", () => {
    const status = buildAuthStatus(input(undefined));
    expect(anthropic(status).entries.filter((row) => row.state === "missing").map((row) => row.profileId)).toEqual(["anthropic:main-key", "anthropic:main-token", "anthropic:nobody"]);
    expect(status.auth.otherAgentProfiles).toEqual([]);
    expect(formatAuthStatus(status)).not.toContain("other agents");
    expectCountsFromRows(status);
  });

  it("never hides a profile this agent stores, even when another agent stores the same id", () => {
    const status = buildAuthStatus(input([{ profileId: "anthropic:work-key", agentIds: ["main"] }]));
    expect(anthropic(status).entries.map((row) => row.profileId)).toContain("anthropic:work-key");
    expect(status.auth.otherAgentProfiles).toEqual([]);
  });

  it("leaves out an ignored config entry another agent stores (store order set)", () => {
    const data = storeData({ ...WORK_PROFILES }, { order: { anthropic: ["anthropic:work-key"] } });
    const status = buildAuthStatus(statusInput({ agentId: "work", config: SHARED_CONFIG, data, storedElsewhere: [{ profileId: "anthropic:main-key", agentIds: ["main"] }] }));
    expect(anthropic(status).entries.map((row) => [row.profileId, row.state])).toEqual([
      ["anthropic:work-key", "ok"],
      ["anthropic:main-token", "ignored"],
      ["anthropic:nobody", "ignored"],
    ]);
    expect(status.auth.otherAgentProfiles.map((p) => p.profileId)).toEqual(["anthropic:main-key"]);
    expectCountsFromRows(status);
  });

  it("counts in the header match the rows when some rows are not usable", () => {
    const status = buildAuthStatus(input(undefined));
    expect(formatAuthStatus(status)).toContain("(4 profiles, 1 usable: 1 API key)");
  });
});

describe("resolver.status() for agent work, other agents' stores on disk", () => {
  let tmp: TmpHome;
  const resolvers: AuthResolver[] = [];

  beforeEach(async () => {
    tmp = await makeTmpHome({ createStateDir: true });
  });
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((r) => r.close()));
    await tmp.cleanup();
  });

  const agentDir = (agentId: string) => join(tmp.stateDir, "agents", agentId, "agent");
  async function writeStore(dir: string, profiles: object): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles }), { mode: 0o600 });
  }
  function resolver(options: AuthResolverOptions): AuthResolver {
    const r = createAuthResolver({ agentId: "work", stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, configPath: false, claudeCli: false, now: () => NOW, ...options });
    resolvers.push(r);
    return r;
  }

  async function expectWorkStatus(status: AuthStatus, otherAgent = "main"): Promise<void> {
    expect(anthropic(status).entries.map((row) => [row.profileId, row.state])).toEqual([
      ["anthropic:work-key", "ok"],
      ["anthropic:nobody", "missing"],
    ]);
    expect(status.auth.otherAgentProfiles).toEqual([
      { profileId: "anthropic:main-key", provider: "anthropic", agentIds: [otherAgent] },
      { profileId: "anthropic:main-token", provider: "anthropic", agentIds: [otherAgent] },
    ]);
    expectCountsFromRows(status);
    const check = checkAuthStatus(status);
    expect(check.problems.join("\n")).not.toContain("anthropic:main-");
    const text = formatAuthStatus(status);
    expect(text).toContain(`2 configured profiles belong to other agents (${otherAgent})`);
    expect(leakedSlices(`${text}\n${JSON.stringify(status)}`)).toEqual([]);
  }

  it("reads main's JSON store at <stateDir>/agents/main/agent", async () => {
    await writeStore(agentDir("main"), MAIN_PROFILES);
    await writeStore(agentDir("work"), WORK_PROFILES);
    await expectWorkStatus(await resolver({ config: SHARED_CONFIG }).status());
  });

  it("reads main's OpenClaw SQLite database when it has no auth-profiles.json", async () => {
    const sqlite = createSqliteProfileStore({ path: join(agentDir("main"), "openclaw-agent.sqlite") });
    await sqlite.update((current) => ({ data: { ...current, profiles: { ...MAIN_PROFILES } }, result: undefined }));
    await sqlite.close();
    await writeStore(agentDir("work"), WORK_PROFILES);
    await expectWorkStatus(await resolver({ config: SHARED_CONFIG }).status());
  });

  it("finds an agent by its agents.list[].agentDir, with the resolver's own lookup", async () => {
    const elsewhere = join(tmp.home, "bots", "ops");
    await writeStore(elsewhere, MAIN_PROFILES);
    await writeStore(agentDir("work"), WORK_PROFILES);
    const config = { ...SHARED_CONFIG, agents: { list: [{ id: "ops", agentDir: "~/bots/ops" }] } };
    await expectWorkStatus(await resolver({ config }).status(), "ops");
  });

  it("finds an agents.list[] agent whose id OpenClaw normalises (\"My Ops\" is my-ops)", async () => {
    const elsewhere = join(tmp.home, "bots", "ops");
    await writeStore(elsewhere, MAIN_PROFILES);
    await writeStore(agentDir("work"), WORK_PROFILES);
    const config = { ...SHARED_CONFIG, agents: { list: [{ id: "My Ops", agentDir: "~/bots/ops" }] } };
    await expectWorkStatus(await resolver({ config }).status(), "my-ops");
  });

  it("keeps ids missing when the other agent's store cannot be read, and writes nothing there", async () => {
    await mkdir(agentDir("main"), { recursive: true, mode: 0o700 });
    await writeFile(join(agentDir("main"), "auth-profiles.json"), "{ not json", { mode: 0o600 });
    await writeStore(agentDir("work"), WORK_PROFILES);
    const status = await resolver({ config: SHARED_CONFIG }).status();
    expect(status.auth.otherAgentProfiles).toEqual([]);
    expect(anthropic(status).entries.filter((row) => row.state === "missing").map((row) => row.profileId)).toEqual(["anthropic:main-key", "anthropic:main-token", "anthropic:nobody"]);
    expect((await readdir(agentDir("main"))).sort()).toEqual(["auth-profiles.json"]);
  });

  it("writes nothing into another agent's dir and creates no store for agents that have none", async () => {
    await writeStore(agentDir("main"), MAIN_PROFILES);
    await writeStore(agentDir("work"), WORK_PROFILES);
    const config = { ...SHARED_CONFIG, agents: { list: [{ id: "ghost" }] } };
    await resolver({ config }).status();
    expect(await readdir(join(tmp.stateDir, "agents"))).toEqual(expect.arrayContaining(["main", "work"]));
    expect(await readdir(join(tmp.stateDir, "agents"))).not.toContain("ghost");
    expect(await readdir(agentDir("main"))).toEqual(["auth-profiles.json"]);
  });

  it("does not look for other agents when the resolver was given a store object", async () => {
    await writeStore(agentDir("main"), MAIN_PROFILES);
    await writeStore(agentDir("work"), WORK_PROFILES);
    const store = createFileProfileStore({ path: join(agentDir("work"), "auth-profiles.json") });
    const status = await resolver({ config: SHARED_CONFIG, store }).status();
    expect(status.auth.otherAgentProfiles).toEqual([]);
    expect(anthropic(status).entries.filter((row) => row.state === "missing")).toHaveLength(3);
    await store.close?.();
  });
});
