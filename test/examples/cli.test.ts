import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { leakedSlices, SECRETS } from "../status/fixtures.js";
import { runScript, type ScriptResult } from "./run-script.js";

const HOUR = 3_600_000;
const DAY = 86_400_000;

let tmp: TmpHome;
let outputs: string[];

/** Runs the CLI as a child process against the temp state dir, recording its output for the leak check. */
async function cli(args: readonly string[], stdin?: string): Promise<ScriptResult> {
  const result = await runScript("examples/cli.ts", [...args, "--state-dir", tmp.stateDir], {
    env: tmp.spawnEnv,
    ...(stdin === undefined ? {} : { stdin }),
  });
  outputs.push(result.stdout, result.stderr);
  return result;
}

function storePath(agentId = "main"): string {
  return join(tmp.stateDir, "agents", agentId, "agent", "auth-profiles.json");
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
}

/** Writes a store file by hand (0600 in a 0700 dir, as the library requires). */
async function writeStore(data: unknown, agentId = "main"): Promise<void> {
  const path = storePath(agentId);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
}

function expectUsefulError(result: ScriptResult, code: string, exitCode: number): void {
  expect(result.code).toBe(exitCode);
  expect(result.stderr).toMatch(new RegExp(`^Error \\[${code}\\]: `, "m"));
  expect(result.stderr).toMatch(/^Hint: /m);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

beforeEach(async () => {
  tmp = await makeTmpHome();
  outputs = [];
});

afterEach(async () => {
  // No secret, nor any 12-character slice of one, in anything the CLI printed during the test.
  expect(leakedSlices(outputs.join("\n"))).toEqual([]);
  await tmp.cleanup();
});

describe("examples/cli.ts", () => {
  describe("onboard", () => {
    it("saves an API key non-interactively and echoes only its masked form", async () => {
      const result = await cli(["onboard", "--non-interactive", "--anthropic-api-key", SECRETS.apiKey]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Saved API key as anthropic:default (sk-ant-api03-…wxyz).");
      expect(result.stdout).toContain(storePath());
      const store = await readJson(storePath());
      expect(store["profiles"]).toEqual({ "anthropic:default": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } });
      expect((await stat(storePath())).mode & 0o777).toBe(0o600);
      const config = await readJson(join(tmp.stateDir, "openclaw.json"));
      expect(config).toMatchObject({ auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } } });
    });

    it("reads the API key from stdin with OpenClaw's --auth-choice apiKey", async () => {
      const result = await cli(["onboard", "--auth-choice", "apiKey", "--profile-id", "anthropic:work"], `${SECRETS.apiKey2}\n`);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Saved API key as anthropic:work (sk-ant-api03-…abcd).");
    });

    it("keeps auth per agent: --agent writes that agent's store only", async () => {
      expect((await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey, "--agent", "work"])).code).toBe(0);
      expect(await readJson(storePath("work"))).toMatchObject({ profiles: { "anthropic:default": { type: "api_key" } } });
      const main = await cli(["models", "status", "--check"]);
      expect(main.code).toBe(1);
      expect(main.stdout).toContain("anthropic: missing");
    });

    // On macOS the library also reads the login Keychain, which a temp HOME does not isolate.
    it.skipIf(process.platform === "darwin")("registers this host's Claude Code login without copying it, and shows it live", async () => {
      const dir = join(tmp.home, ".claude");
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const login = { claudeAiOauth: { accessToken: SECRETS.cli, refreshToken: SECRETS.refresh, expiresAt: Date.now() + 2 * DAY, scopes: ["user:inference"], subscriptionType: "max" } };
      await writeFile(join(dir, ".credentials.json"), JSON.stringify(login), { mode: 0o600 });
      const result = await cli(["onboard", "--auth-choice", "claude-cli"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Registered anthropic:claude-cli");
      expect(result.stdout).toContain("API keys are the supported path for production");
      expect(await readJson(join(tmp.stateDir, "openclaw.json"))).toMatchObject({ auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } });
      await expect(stat(storePath())).rejects.toMatchObject({ code: "ENOENT" });
      const status = await cli(["models", "status", "--check"]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/anthropic:claude-cli +Claude Code login +oauth +ok/);
    });

    it.skipIf(process.platform === "darwin")("explains a missing Claude Code login", async () => {
      const result = await cli(["onboard", "--auth-choice", "claude-cli"]);
      expectUsefulError(result, "CLAUDE_CLI_(EXPIRED|INVALID)", 1);
      expect(result.stderr).toContain("setup-token");
    });

    it("asks for a choice it cannot prompt for without a terminal", async () => {
      expectUsefulError(await cli(["onboard"]), "USAGE", 2);
    });

    it("refuses a setup-token given as an API key", async () => {
      const result = await cli(["onboard", "--anthropic-api-key", SECRETS.token]);
      expectUsefulError(result, "API_KEY_INVALID", 1);
      expect(result.stderr).toContain("paste-token");
    });
  });

  describe("models auth paste-token", () => {
    it("saves a setup-token piped on stdin, with its expiry", async () => {
      const before = Date.now();
      const result = await cli(["models", "auth", "paste-token", "--provider", "anthropic", "--expires-in", "365d"], `${SECRETS.token}\n`);
      const after = Date.now();
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Saved setup-token as anthropic:manual (sk-ant-oat01-…tttt).");
      const store = await readJson(storePath());
      const entry = (store["profiles"] as Record<string, { type: string; token: string; expires: number }>)["anthropic:manual"];
      expect(entry?.type).toBe("token");
      expect(entry?.token).toBe(SECRETS.token);
      expect(entry?.expires).toBeGreaterThanOrEqual(before + 365 * DAY);
      expect(entry?.expires).toBeLessThanOrEqual(after + 365 * DAY);
    });

    it("rejects a cut token with TOKEN_INVALID, a hint, and no file written", async () => {
      const result = await cli(["models", "auth", "paste-token", "--provider", "anthropic"], SECRETS.token.slice(0, 40));
      expectUsefulError(result, "TOKEN_INVALID", 1);
      expect(result.stderr).toContain("Token looks too short");
      expect(result.stderr).toContain("claude setup-token");
      await expect(stat(storePath())).rejects.toMatchObject({ code: "ENOENT" });
    });

    it("says when an API key was pasted instead of a setup-token", async () => {
      const result = await cli(["models", "auth", "paste-token", "--provider", "anthropic"], SECRETS.apiKey);
      expectUsefulError(result, "TOKEN_INVALID", 1);
      expect(result.stderr).toContain("looks like an API key");
    });

    it("fails clearly on empty stdin, a bad --expires-in or another provider", async () => {
      expectUsefulError(await cli(["models", "auth", "paste-token", "--provider", "anthropic"], ""), "USAGE", 2);
      expectUsefulError(await cli(["models", "auth", "paste-token", "--expires-in", "soon"], SECRETS.token), "USAGE", 2);
      expectUsefulError(await cli(["models", "auth", "paste-token", "--provider", "openai"], SECRETS.token), "USAGE", 2);
    });
  });

  it("models auth setup-token needs a terminal and points to paste-token", async () => {
    const result = await cli(["models", "auth", "setup-token", "--provider", "anthropic"]);
    expectUsefulError(result, "USAGE", 2);
    expect(result.stderr).toContain("paste-token");
  });

  describe("models status", () => {
    it("prints a readable report and the same facts as JSON", async () => {
      await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey]);
      const text = await cli(["models", "status"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain("Agent: main");
      expect(text.stdout).toMatch(/anthropic:default +sk-ant-api03-…wxyz +api_key +ok/);
      const json = await cli(["models", "status", "--json"]);
      expect(json.code).toBe(0);
      const status = JSON.parse(json.stdout) as { agentId: string; auth: { providers: { effective: { kind: string }; profiles: { labels: string[] } }[] } };
      expect(status.agentId).toBe("main");
      expect(status.auth.providers[0]?.effective.kind).toBe("profiles");
      expect(status.auth.providers[0]?.profiles.labels).toEqual(["anthropic:default=sk-ant-api03-…wxyz"]);
    });

    it("--check exits 0 when fine, 1 when missing, 1 when expired, 2 when expiring", async () => {
      const missing = await cli(["models", "status", "--check"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("Check: anthropic: no credential");

      await writeStore({ version: 1, profiles: { "anthropic:manual": { type: "token", provider: "anthropic", token: SECRETS.token, expires: Date.now() - HOUR } } });
      const expired = await cli(["models", "status", "--check", "--json"]);
      expect(expired.code).toBe(1);
      expect(expired.stderr).toContain("Check: anthropic:manual: expired");
      expect(JSON.parse(expired.stdout)).toMatchObject({ auth: { oauth: { profiles: [{ profileId: "anthropic:manual", status: "expired" }] } } });

      await cli(["models", "auth", "paste-token", "--expires-in", "5h"], SECRETS.token);
      const expiring = await cli(["models", "status", "--check"]);
      expect(expiring.code).toBe(2);
      expect(expiring.stdout).toMatch(/anthropic:manual +token:sk-ant-oat01-…tttt +token +expiring in 5h/);

      await cli(["models", "auth", "paste-token", "--expires-in", "365d"], SECRETS.token);
      expect((await cli(["models", "status", "--check"])).code).toBe(0);
    });
  });

  describe("models auth clear-cooldown", () => {
    it("ends a billing disable early", async () => {
      await writeStore({
        version: 1,
        profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } },
        usageStats: { "anthropic:default": { disabledUntil: Date.now() + 3 * HOUR, disabledReason: "billing", errorCount: 1 } },
      });
      const before = await cli(["models", "status"]);
      expect(before.stdout).toMatch(/anthropic:default +sk-ant-api03-…wxyz +api_key +disabled:billing 3h +→ top up credits, then clear early: `npm run cli -- models auth clear-cooldown anthropic:default`/);
      const cleared = await cli(["models", "auth", "clear-cooldown", "anthropic:default"]);
      expect(cleared.code).toBe(0);
      expect(cleared.stdout).toContain("Cleared the disabled (billing) of anthropic:default");
      const stats = ((await readJson(storePath()))["usageStats"] as Record<string, Record<string, unknown>>)["anthropic:default"];
      expect(stats).not.toHaveProperty("disabledUntil");
      expect((await cli(["models", "status"])).stdout).toMatch(/anthropic:default +sk-ant-api03-…wxyz +api_key +ok/);
    });

    it("names the known profiles when the id is wrong", async () => {
      await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey]);
      const result = await cli(["models", "auth", "clear-cooldown", "anthropic:nope"]);
      expectUsefulError(result, "NOT_FOUND", 1);
      expect(result.stderr).toContain("Known profiles: anthropic:default");
    });
  });

  it("copies credentials to another agent explicitly, never an OAuth login by default", async () => {
    await writeStore({
      version: 1,
      profiles: {
        "anthropic:default": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey },
        "anthropic:me@x": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: Date.now() + HOUR },
      },
    });
    const result = await cli(["models", "auth", "copy", "--from", "main", "--to", "work"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Copied anthropic:default from main to work.");
    expect(result.stdout).toContain("skipped anthropic:me@x: an OAuth login");
    expect(Object.keys((await readJson(storePath("work")))["profiles"] as object)).toEqual(["anthropic:default"]);
  });

  it("sets, shows and clears the store order", { timeout: 180_000 }, async () => {
    await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey]);
    await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey2, "--profile-id", "anthropic:work"]);
    expect((await cli(["models", "auth", "order", "set", "--provider", "anthropic", "anthropic:work", "anthropic:default"])).code).toBe(0);
    expect((await cli(["models", "auth", "order", "get", "--provider", "anthropic"])).stdout).toContain("Store order for anthropic: anthropic:work, anthropic:default");
    expect(await readJson(storePath())).toMatchObject({ order: { anthropic: ["anthropic:work", "anthropic:default"] } });
    expect((await cli(["models", "auth", "order", "clear", "--provider", "anthropic"])).code).toBe(0);
    expect(await readJson(storePath())).not.toHaveProperty("order");
    expectUsefulError(await cli(["models", "auth", "order", "set", "anthropic:ghost"]), "INVALID_ARGUMENT", 1);
  });

  it("reports a usage error with exit code 2 and no stack trace", async () => {
    const result = await cli(["models", "status", "--bogus"]);
    expectUsefulError(result, "USAGE", 2);
    expect(result.stderr).toContain("unknown option '--bogus'");
  });

  it("reports a broken store file by path, without a stack trace", async () => {
    await mkdir(dirname(storePath()), { recursive: true, mode: 0o700 });
    await writeFile(storePath(), `{ "version": 1, "profiles": { "anthropic:default": { "type": "api_key", "key": "${SECRETS.apiKey}"`, { mode: 0o600 });
    const result = await cli(["models", "status"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error \[STORE_INVALID\]: /m);
    expect(result.stderr).toContain(storePath());
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
