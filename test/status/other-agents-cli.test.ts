import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runScript, type ScriptResult } from "../examples/run-script.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { leakedSlices, SECRETS } from "./fixtures.js";

// The example CLI as a child process, for agent "work", with one shared openclaw.json naming
// main's profiles and work's (OpenClaw's auth.profiles is global, not per agent).
let tmp: TmpHome;
let outputs: string[];

async function cli(args: readonly string[]): Promise<ScriptResult> {
  const result = await runScript("examples/cli.ts", [...args, "--state-dir", tmp.stateDir], { env: tmp.spawnEnv });
  outputs.push(result.stdout, result.stderr);
  return result;
}

async function writePrivate(path: string, data: unknown): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
  await writeFile(path, JSON.stringify(data, null, 2), { mode: 0o600 });
}

const storePath = (agentId: string) => join(tmp.stateDir, "agents", agentId, "agent", "auth-profiles.json");

beforeEach(async () => {
  tmp = await makeTmpHome({ createStateDir: true });
  outputs = [];
  await writePrivate(join(tmp.stateDir, "openclaw.json"), {
    auth: {
      profiles: {
        "anthropic:main-key": { provider: "anthropic", mode: "api_key" },
        "anthropic:main-token": { provider: "anthropic", mode: "token" },
        "anthropic:work-key": { provider: "anthropic", mode: "api_key" },
        "anthropic:work-token": { provider: "anthropic", mode: "token" },
      },
    },
  });
  await writePrivate(storePath("main"), {
    version: 1,
    profiles: {
      "anthropic:main-key": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey },
      "anthropic:main-token": { type: "token", provider: "anthropic", token: SECRETS.token },
    },
  });
  // work stores its key; its configured setup-token was never pasted.
  await writePrivate(storePath("work"), { version: 1, profiles: { "anthropic:work-key": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey2 } } });
});

afterEach(async () => {
  expect(leakedSlices(outputs.join("\n"))).toEqual([]);
  await tmp.cleanup();
});

describe("examples/cli.ts models status --agent work with a shared config", () => {
  it("lists work's rows only, counts them in the header, names main's profiles once, and hints --agent work", async () => {
    const result = await cli(["models", "status", "--agent", "work"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    const header = lines.find((line) => line.startsWith("anthropic: ")) ?? "";
    const rows = lines.filter((line) => /^ {2}anthropic:/.test(line));
    expect(rows.map((line) => line.trim().split(/\s+/)[0])).toEqual(["anthropic:work-key", "anthropic:work-token"]);
    expect(rows[0]).toMatch(/anthropic:work-key +sk-ant-api03-…abcd +api_key +ok$/);
    expect(rows[1]).toMatch(/anthropic:work-token +missing +token +missing +→ run `claude setup-token`, then: `npm run cli -- models auth paste-token --provider anthropic --profile-id anthropic:work-token --agent work`$/);
    // Header counts are the rows below it: 2 listed, 1 usable (an API key).
    expect(header).toContain(`profiles:${storePath("work")} (2 profiles, 1 usable: 1 API key)`);
    expect(result.stdout).not.toMatch(/anthropic:main-/);
    expect(result.stdout).toContain("2 configured profiles belong to other agents (main); not listed above.");
  });

  it("--check fails only for work's own missing token, with --agent work in the fix", async () => {
    const result = await cli(["models", "status", "--check", "--agent", "work"]);
    expect(result.code).toBe(1);
    const problems = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => /: (missing|expired|no credential)/.test(line));
    expect(problems.length).toBeGreaterThan(0);
    for (const line of problems) {
      expect(line).not.toContain("anthropic:main-");
      expect(line).toContain("--agent work");
    }
  });

  it("--json: header counts equal the rows, and main's profiles are reported as other agents'", async () => {
    const result = await cli(["models", "status", "--json", "--agent", "work"]);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as {
      agentId: string;
      auth: {
        providers: { provider: string; profiles: { count: number; apiKey: number; token: number; oauth: number; labels: string[] }; entries: { profileId: string; state: string; action: string }[] }[];
        oauth: { profiles: { profileId: string; status: string }[] };
        otherAgentProfiles: { profileId: string; provider: string; agentIds: string[] }[];
      };
    };
    expect(status.agentId).toBe("work");
    const anthropic = status.auth.providers.find((p) => p.provider === "anthropic");
    expect(anthropic?.entries.map((row) => [row.profileId, row.state])).toEqual([
      ["anthropic:work-key", "ok"],
      ["anthropic:work-token", "missing"],
    ]);
    const usable = anthropic?.entries.filter((row) => row.state === "ok") ?? [];
    expect(anthropic?.profiles).toMatchObject({ count: usable.length, apiKey: 1, token: 0, oauth: 0 });
    expect(anthropic?.profiles.labels).toHaveLength(usable.length);
    expect(anthropic?.entries.find((row) => row.state === "missing")?.action).toContain("--agent work");
    expect(status.auth.oauth.profiles.map((p) => p.profileId)).toEqual(["anthropic:work-token"]);
    expect(status.auth.otherAgentProfiles).toEqual([
      { profileId: "anthropic:main-key", provider: "anthropic", agentIds: ["main"] },
      { profileId: "anthropic:main-token", provider: "anthropic", agentIds: ["main"] },
    ]);
  });
});
