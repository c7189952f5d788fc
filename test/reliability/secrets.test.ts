import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, stat, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { format, inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError, type ErrorCode } from "../../src/model/errors.js";
import { createAnthropicClient } from "../../src/anthropic/client.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { Logger } from "../../src/model/logger.js";
import type { AuthResolver, AuthResolverOptions } from "../../src/resolver/types.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { saveApiKey, saveToken } from "../../src/writers/save.js";
import { validateSetupToken } from "../../src/credentials/setup-token.js";
import { parseConfig } from "../../src/config/parse.js";
import { loadConfig } from "../../src/config/load.js";
import { parseStore } from "../../src/store/format.js";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { nodeChild } from "../helpers/node-child.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { startScriptedServer, type Reply, type ScriptedServer } from "./scripted-server.js";
import { ALL_SECRETS, leaksIn, SECRETS, viewsOf } from "./secrets.js";
import { NOW, REPO_ROOT, writeJsonPrivate, writePrivate } from "./support.js";
import type { AuthProfilesConfigInput } from "../../src/config/input-types.js";

/** Pasted tokens that are almost right: cut short, a typo in the prefix, an API key, a lost prefix. */
const NEAR_MISSES = [
  SECRETS.token.slice(0, 60),
  SECRETS.token.replace("sk-ant-oat01-", "sk-ant-oat02-"),
  SECRETS.token.replace("sk-ant-oat01-", "sk-ant-oat01"),
  SECRETS.token.replace("sk-ant-oat01-", ""),
  SECRETS.apiKey,
  `${SECRETS.token.slice(0, 40)}\n${SECRETS.token.slice(40, 70)}`,
] as const;
const SCANNED: readonly string[] = [...ALL_SECRETS, ...NEAR_MISSES.map((s) => s.replace(/\s/g, ""))];

/** Every text a person or a log could see during this file, with where it came from. */
const seen: { source: string; text: string }[] = [];
const logLines: string[] = [];
const logger: Logger = {
  debug: (...args: unknown[]) => void logLines.push(`debug ${format(...args)}`),
  info: (...args: unknown[]) => void logLines.push(`info ${format(...args)}`),
  warn: (...args: unknown[]) => void logLines.push(`warn ${format(...args)}`),
  error: (...args: unknown[]) => void logLines.push(`error ${format(...args)}`),
};

function scan(source: string, value: unknown): void {
  for (const text of typeof value === "string" ? [value] : viewsOf(value)) seen.push({ source, text });
}

/** Runs `fn`, expects an AuthProfilesError with `code`, and scans it. */
async function failure(source: string, code: ErrorCode, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (error) {
    scan(source, error);
    if (!isAuthProfilesError(error)) throw error;
    expect({ source, code: error.code }).toEqual({ source, code });
    return;
  }
  throw new Error(`${source}: expected ${code}, got a result`);
}

/** The leaks among everything scanned so far, by source. */
function leaks(): { source: string; leaked: string[]; text: string }[] {
  return seen.map(({ source, text }) => ({ source, leaked: leaksIn(text, SCANNED).slice(0, 2), text: text.slice(0, 600) })).filter((entry) => entry.leaked.length > 0);
}

let tmp: TmpHome;
const resolvers: AuthResolver[] = [];
beforeEach(async () => {
  tmp = await makeTmpHome({ createStateDir: true });
});
afterEach(async () => {
  await Promise.all(resolvers.splice(0).map((r) => r.close()));
  await tmp.cleanup();
  // Checked after every test, so a leak names the test that caused it.
  const found = leaks();
  seen.length = 0;
  expect(found).toEqual([]);
});

function storePath(agentId = "main"): string {
  return join(tmp.stateDir, "agents", agentId, "agent", "auth-profiles.json");
}

function resolver(options: AuthResolverOptions = {}): AuthResolver {
  const created = createAuthResolver({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, configPath: false, claudeCli: false, now: () => NOW, logger, ...options });
  resolvers.push(created);
  return created;
}

const where = () => ({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, configPath: false as const });

describe("error paths with known secrets around", () => {
  it("NO_API_KEY, NO_CREDENTIALS and PROFILE_NOT_CONFIGURED show no key", async () => {
    await saveApiKey({ ...where(), agentId: "work", key: SECRETS.apiKey });
    await failure("NO_API_KEY", "NO_API_KEY", () => resolver().resolve());
    await failure("NO_CREDENTIALS", "NO_CREDENTIALS", () => resolver().resolve({ profileId: "anthropic:default" }));
    await saveApiKey({ ...where(), key: SECRETS.apiKey2, profileId: "anthropic:work" });
    const config = { auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "token" } } } } satisfies AuthProfilesConfigInput;
    await failure("PROFILE_NOT_CONFIGURED", "PROFILE_NOT_CONFIGURED", () => resolver({ config }).resolve({ profileId: "anthropic:work" }));
  });

  it("NO_AVAILABLE_PROFILE lists the profiles in cooldown, not their keys", async () => {
    await saveApiKey({ ...where(), key: SECRETS.apiKey, profileId: "anthropic:a" });
    await saveApiKey({ ...where(), key: SECRETS.apiKey2, profileId: "anthropic:b" });
    // halfOpen off: with it on (the default) the profile whose cooldown ends first is offered once.
    const r = resolver({ env: { ANTHROPIC_API_KEY: SECRETS.envKey }, halfOpen: false });
    scan("outcome", await r.reportFailure("anthropic:a", Object.assign(new Error(`429 for ${SECRETS.apiKey}`), { status: 429 })));
    scan("outcome", await r.reportFailure("anthropic:b", { status: 402, message: `billing for key ${SECRETS.apiKey2}` }));
    await failure("NO_AVAILABLE_PROFILE", "NO_AVAILABLE_PROFILE", () => r.resolve());
  });

  describe("OAUTH_REFRESH_FAILED", () => {
    let server: ScriptedServer;
    beforeAll(async () => {
      server = await startScriptedServer();
    });
    afterAll(() => server.close());

    const echoes: readonly [string, Reply][] = [
      ["invalid_grant echoing both tokens", { status: 400, body: JSON.stringify({ error: "invalid_grant", error_description: `refresh token ${SECRETS.refresh} for ${SECRETS.access} is invalid` }) }],
      ["API error echoing the token", { status: 401, body: JSON.stringify({ type: "error", error: { type: "authentication_error", message: `Bearer ${SECRETS.access}` } }) }],
      ["HTML page with the token", { status: 502, headers: { "content-type": "text/html" }, body: `<html><body>proxy error for refresh_token=${SECRETS.refresh}</body></html>` }],
      ["plain text echo", { status: 500, headers: { "content-type": "text/plain" }, body: `{"refresh_token":"${SECRETS.refresh}"` }],
      ["200 with truncated JSON", { status: 200, body: `{"access_token":"${SECRETS.token}","refresh_token":"${SECRETS.refresh}","expires_in":` }],
      ["200 without access_token", { status: 200, body: JSON.stringify({ refresh_token: SECRETS.refresh, expires_in: 3600 }) }],
    ];

    it.each(echoes)("shows no token when the endpoint answers with %s", async (_name, answer) => {
      server.answer(() => answer);
      await writeJsonPrivate(storePath(), {
        version: 1,
        profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: NOW - 1 } },
      });
      const r = resolver({ fetch, oauth: { tokenUrl: `${server.url}/v1/oauth/token`, timeoutMs: 5_000 } });
      await failure(`OAUTH_REFRESH_FAILED ${_name}`, "OAUTH_REFRESH_FAILED", () => r.resolve());
      await failure(`OAUTH_REFRESH_FAILED explicit ${_name}`, "OAUTH_REFRESH_FAILED", () => resolver({ fetch, oauth: { tokenUrl: `${server.url}/v1/oauth/token`, timeoutMs: 5_000 } }).resolve({ profileId: "anthropic:me" }));
      expect(server.requests.at(-1)?.body).toContain(SECRETS.refresh);
      scan("status after a failed refresh", await r.status());
    });
  });

  describe("Claude Code's login", () => {
    const config = { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } } satisfies AuthProfilesConfigInput;
    const claudeFile = () => join(tmp.home, ".claude", ".credentials.json");
    const cli = () => resolver({ config, claudeCli: { credentialsPath: claudeFile(), keychain: false } });

    it("CLAUDE_CLI_EXPIRED shows neither token", async () => {
      await writePrivate(claudeFile(), JSON.stringify({ claudeAiOauth: { accessToken: SECRETS.cliAccess, refreshToken: SECRETS.cliRefresh, expiresAt: NOW - 1 } }));
      await failure("CLAUDE_CLI_EXPIRED", "CLAUDE_CLI_EXPIRED", () => cli().resolve({ profileId: "anthropic:claude-cli" }));
      await failure("CLAUDE_CLI_EXPIRED in order", "CLAUDE_CLI_EXPIRED", () => cli().resolve());
    });

    it.each([
      ["truncated JSON", `{"claudeAiOauth":{"accessToken":"${SECRETS.cliAccess}","refreshToken":"${SECRETS.cliRefresh}","expiresAt":17`],
      ["a wrong type next to the tokens", JSON.stringify({ claudeAiOauth: { accessToken: SECRETS.cliAccess, refreshToken: SECRETS.cliRefresh, expiresAt: "tomorrow" } })],
      ["a token where a number belongs", JSON.stringify({ claudeAiOauth: { accessToken: SECRETS.cliAccess, expiresAt: SECRETS.cliRefresh } })],
      ["tokens as keys", JSON.stringify({ claudeAiOauth: { [SECRETS.cliAccess]: { [SECRETS.cliRefresh]: 1 }, scopes: SECRETS.cliRefresh } })],
    ])("CLAUDE_CLI_INVALID shows no token for %s", async (name, text) => {
      await writePrivate(claudeFile(), text);
      await failure(`CLAUDE_CLI_INVALID ${name}`, "CLAUDE_CLI_INVALID", () => cli().resolve({ profileId: "anthropic:claude-cli" }));
    });
  });

  it("TOKEN_INVALID shows no part of a near-miss token", async () => {
    for (const [index, token] of NEAR_MISSES.entries()) {
      await failure(`validateSetupToken near miss ${index}`, "TOKEN_INVALID", () => validateSetupToken(token));
      await failure(`saveToken near miss ${index}`, "TOKEN_INVALID", () => saveToken({ ...where(), token }));
    }
  });

  it("CONFIG_PARSE, CONFIG_INVALID and CONFIG_ENV_MISSING show no value from the config", async () => {
    const configPath = join(tmp.stateDir, "openclaw.json");
    const cases: readonly [ErrorCode, string][] = [
      ["CONFIG_PARSE", `{ env: { ANTHROPIC_API_KEY: "${SECRETS.envKey}" ,, } }`],
      ["CONFIG_PARSE", `{ env: { ANTHROPIC_API_KEY: ${SECRETS.envKey} } }`],
      ["CONFIG_PARSE", `{ "env": { "ANTHROPIC_API_KEY": "${SECRETS.envKey}`],
      ["CONFIG_INVALID", JSON.stringify({ auth: { profiles: { "anthropic:a": { provider: "anthropic", mode: SECRETS.apiKey } } } })],
      ["CONFIG_INVALID", JSON.stringify({ auth: { profiles: { [SECRETS.apiKey]: { provider: "anthropic", mode: "api_key", email: 5 } } } })],
      ["CONFIG_INVALID", JSON.stringify({ auth: { order: { anthropic: SECRETS.apiKey }, cooldowns: { billingBackoffHours: SECRETS.token } } })],
      ["CONFIG_INVALID", JSON.stringify({ env: { ANTHROPIC_API_KEY: [SECRETS.envKey] } })],
      ["CONFIG_INVALID", JSON.stringify({ [SECRETS.apiKey]: { $include: "./x.json" } })],
      ["CONFIG_ENV_MISSING", JSON.stringify({ env: { vars: { OTHER: SECRETS.envKey } }, auth: { profiles: { "anthropic:a": { provider: "anthropic", mode: "api_key", email: "${MISSING_EMAIL}" } } } })],
    ];
    for (const [index, [code, text]] of cases.entries()) {
      await failure(`parseConfig ${index}`, code, () => parseConfig(text, { path: configPath, env: { HOME: tmp.home } }));
      await writePrivate(configPath, text);
      await failure(`resolver config ${index}`, code, () => resolver({ configPath }).resolve());
    }
    // A TTL value we cannot apply is a warning (reported and ignored), which shows no value either.
    const ttlText = JSON.stringify({ agents: { defaults: { models: { "anthropic/claude-opus-4-7": { params: { cacheControlTtl: SECRETS.token } } } } } });
    await writePrivate(configPath, ttlText);
    const loaded = await loadConfig({ path: configPath, env: { HOME: tmp.home } });
    expect(loaded.warnings.length).toBeGreaterThan(0);
    scan("loadConfig warnings", loaded.warnings);
    await resolver({ configPath }).resolve().catch((error: unknown) => scan("resolver with a TTL warning", error));
    expect(logLines.some((line) => line.startsWith("warn "))).toBe(true);
    scan("resolver log with a TTL warning", logLines.join("\n"));
  });

  it("STORE_INVALID shows no key from the broken store", async () => {
    const cases = [
      `{"version":1,"profiles":{"anthropic:a":{"type":"api_key","provider":"anthropic","key":"${SECRETS.apiKey}"`,
      `{"version":1,"profiles":{"anthropic:a":{"type":"api_key","provider":"anthropic","key":"${SECRETS.apiKey}"}}}}`,
      `{"version":1,"profiles":{"anthropic:a":{"type":"api_key","provider":"anthropic","key":${SECRETS.apiKey}}}}`,
      `{"version":1,"profiles":{"anthropic:a":{"type":"api_key","provider":"anthropic","key":"${SECRETS.apiKey}","expires":1e999}}}`,
      JSON.stringify({ version: 2, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } } }),
      JSON.stringify([SECRETS.apiKey]),
    ];
    for (const [index, text] of cases.entries()) {
      await failure(`parseStore ${index}`, "STORE_INVALID", () => parseStore(text, storePath()));
      await writePrivate(storePath(), text);
      const before = await readFile(storePath());
      await failure(`resolver store ${index}`, "STORE_INVALID", () => resolver().resolve());
      await failure(`reportFailure store ${index}`, "STORE_INVALID", () => resolver().reportFailure("anthropic:a", { status: 429 }));
      await failure(`saveApiKey store ${index}`, "STORE_INVALID", () => saveApiKey({ ...where(), key: SECRETS.apiKey2 }));
      expect(await readFile(storePath())).toEqual(before);
    }
  });

  it("an entry set aside for its shape shows no key in errors or status", async () => {
    const cases = [
      { "anthropic:a": { type: "api_key", provider: "anthropic", key: 5, label: SECRETS.apiKey } },
      { "anthropic:a": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: SECRETS.token } },
      // A profile id that is itself a key: errors stay clean (the status lists ids as they are).
      { [SECRETS.apiKey]: { type: "api_key", provider: "anthropic", key: null } },
    ];
    for (const [index, profiles] of cases.entries()) {
      await writeJsonPrivate(storePath(), { version: 1, profiles, usageStats: { [SECRETS.token]: { errorCount: SECRETS.apiKey2 } } });
      await failure(`resolve odd entry ${index}`, "NO_API_KEY", () => resolver().resolve());
      if (index === 2) continue;
      const status = await resolver().status();
      scan(`status odd entry ${index}`, status);
      scan(`status text odd entry ${index}`, formatAuthStatus(status));
      const rows = status.auth.providers.flatMap((p) => p.entries);
      expect(rows.some((row) => row.state === "excluded" && (row.detail ?? "").includes("cannot be used"))).toBe(true);
    }
  });
});

describe("file safety", () => {
  it("writes the store and config 0600 in 0700 directories", async () => {
    const configPath = join(tmp.stateDir, "openclaw.json");
    await saveApiKey({ ...where(), configPath, key: SECRETS.apiKey, agentId: "fresh" });
    await saveToken({ ...where(), configPath, token: SECRETS.token, agentId: "fresh" });
    await resolver({ agentId: "fresh", configPath }).reportFailure("anthropic:default", { status: 429 });
    const path = storePath("fresh");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    for (let dir = dirname(path); dir !== tmp.stateDir; dir = dirname(dir)) expect({ dir, mode: (await stat(dir)).mode & 0o777 }).toEqual({ dir, mode: 0o700 });
  });

  it("refuses a symlinked store with FILE_UNSAFE, writing nothing through it", async () => {
    const real = join(tmp.home, "elsewhere.json");
    await writeJsonPrivate(real, { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } } });
    const before = await readFile(real);
    await mkdir(dirname(storePath()), { recursive: true, mode: 0o700 });
    await symlink(real, storePath());
    await failure("symlink resolve", "FILE_UNSAFE", () => resolver().resolve());
    await failure("symlink reportFailure", "FILE_UNSAFE", () => resolver().reportFailure("anthropic:a", { status: 429 }));
    await failure("symlink saveApiKey", "FILE_UNSAFE", () => saveApiKey({ ...where(), key: SECRETS.apiKey2 }));
    expect(await readFile(real)).toEqual(before);
  });

  it("refuses a store in a world-writable directory with FILE_UNSAFE, writing nothing", async () => {
    await writeJsonPrivate(storePath(), { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } } });
    const before = await readFile(storePath());
    await chmod(dirname(storePath()), 0o777);
    await failure("world-writable resolve", "FILE_UNSAFE", () => resolver().resolve());
    await failure("world-writable saveApiKey", "FILE_UNSAFE", () => saveApiKey({ ...where(), key: SECRETS.apiKey2 }));
    expect(await readFile(storePath())).toEqual(before);
    await chmod(dirname(storePath()), 0o700);
  });

  it("refuses a group-readable store and Claude Code file with FILE_UNSAFE", async () => {
    await writeJsonPrivate(storePath(), { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } } });
    await chmod(storePath(), 0o640);
    await failure("group-readable store", "FILE_UNSAFE", () => resolver().resolve());
    await chmod(storePath(), 0o600);
    const claudeFile = join(tmp.home, ".claude", ".credentials.json");
    await writePrivate(claudeFile, JSON.stringify({ claudeAiOauth: { accessToken: SECRETS.cliAccess, refreshToken: SECRETS.cliRefresh, expiresAt: NOW + 3_600_000 } }));
    await chmod(claudeFile, 0o644);
    const config = { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } } satisfies AuthProfilesConfigInput;
    const error = await resolver({ config, claudeCli: { credentialsPath: claudeFile, keychain: false } })
      .resolve({ profileId: "anthropic:claude-cli" })
      .catch((e: unknown) => e);
    scan("group-readable Claude Code file", error);
    expect(isAuthProfilesError(error) && error.code).toBe("FILE_UNSAFE");
  });
});

describe("status report and resolved credentials", () => {
  it("shows every kind of credential masked in status() JSON, inspect and formatAuthStatus", async () => {
    await saveApiKey({ ...where(), key: SECRETS.apiKey, profileId: "anthropic:key" });
    await saveToken({ ...where(), token: SECRETS.token, profileId: "anthropic:token", expiresAt: NOW + 86_400_000 });
    const store = JSON.parse(await readFile(storePath(), "utf8")) as { profiles: Record<string, unknown> };
    store.profiles["anthropic:oauth"] = { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: NOW + 60_000, email: "me@example.com" };
    await writeJsonPrivate(storePath(), store);
    const claudeFile = join(tmp.home, ".claude", ".credentials.json");
    await writePrivate(claudeFile, JSON.stringify({ claudeAiOauth: { accessToken: SECRETS.cliAccess, refreshToken: SECRETS.cliRefresh, expiresAt: NOW + 3_600_000 } }));
    const config = {
      auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" }, "anthropic:key": { provider: "anthropic", mode: "api_key" } } },
      agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-5" }, models: { "anthropic/claude-sonnet-4-5": { params: { cacheControlTtl: "1h" } } } } },
    } satisfies AuthProfilesConfigInput;
    const r = resolver({ config, env: { ANTHROPIC_API_KEY: SECRETS.envKey, ANTHROPIC_OAUTH_TOKEN: SECRETS.envToken }, claudeCli: { credentialsPath: claudeFile, keychain: false } });
    await r.reportFailure("anthropic:key", { status: 429 });
    const status = await r.status();
    scan("status()", status);
    scan("status() JSON", JSON.stringify(status, null, 2));
    const text = formatAuthStatus(status);
    scan("formatAuthStatus", text);
    expect(text).toContain("anthropic:claude-cli");
    for (const profileId of ["anthropic:claude-cli", "anthropic:oauth", "anthropic:token", "anthropic:key"]) {
      const auth = await r.resolve({ profileId });
      scan(`ResolvedAuth ${profileId}`, auth);
      scan(`ResolvedAuth spread ${profileId}`, inspect({ ...auth }));
      expect(auth.secret.length).toBeGreaterThan(40);
    }
    scan("resolver", r);
    scan("env ResolvedAuth", await resolver({ env: { ANTHROPIC_API_KEY: SECRETS.envKey }, stateDir: join(tmp.home, "empty") }).resolve());
  });
});

describe("SDK client failover", () => {
  let api: FakeAnthropic;
  beforeAll(async () => {
    api = await startFakeAnthropic();
  });
  afterAll(() => api.close());

  it("logs failovers and throws NO_AVAILABLE_PROFILE without a key", async () => {
    await saveApiKey({ ...where(), key: SECRETS.apiKey, profileId: "anthropic:a" });
    await saveApiKey({ ...where(), key: SECRETS.apiKey2, profileId: "anthropic:b" });
    api.setBehavior(SECRETS.apiKey, { status: 401, message: `invalid x-api-key` });
    api.setBehavior(SECRETS.apiKey2, { status: 429, retryAfterSec: 30 });
    const client = createAnthropicClient({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, configPath: false, claudeCli: false, now: () => NOW, logger, clientOptions: { baseURL: api.url, maxRetries: 0 } });
    try {
      await failure("SDK NO_AVAILABLE_PROFILE", "NO_AVAILABLE_PROFILE", () => client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] }));
    } finally {
      await client.authResolver.close();
    }
  });
});

describe("examples/cli.ts as a child process", () => {
  it("prints no secret in onboard, paste-token, status and status --json, even with DEBUG=1", { timeout: 300_000 }, async () => {
    const env = { ...tmp.spawnEnv, DEBUG: "1" };
    const run = async (args: readonly string[], stdin = ""): Promise<number | null> => {
      const result = await runCli([...args, "--state-dir", tmp.stateDir], env, stdin);
      scan(`cli ${args.join(" ")} stdout`, result.stdout);
      scan(`cli ${args.join(" ")} stderr`, result.stderr);
      return result.code;
    };
    expect(await run(["onboard", "--non-interactive", "--anthropic-api-key", SECRETS.apiKey])).toBe(0);
    expect(await run(["models", "auth", "paste-token", "--provider", "anthropic"], `${SECRETS.token}\n`)).toBe(0);
    expect(await run(["models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:short"], `${NEAR_MISSES[0]}\n`)).not.toBe(0);
    expect(await run(["models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:key"], `${SECRETS.apiKey2}\n`)).not.toBe(0);
    expect(await run(["onboard", "--non-interactive", "--anthropic-api-key", SECRETS.token])).not.toBe(0);
    expect(await run(["models", "status"])).toBe(0);
    expect(await run(["models", "status", "--json"])).toBe(0);
    await writePrivate(storePath(), `{"version":1,"profiles":{"anthropic:a":{"key":"${SECRETS.apiKey}"`);
    expect(await run(["models", "status"])).not.toBe(0);
    expect(seen.some((s) => s.source.startsWith("cli ") && s.text.includes("sk-ant-api03-…key1"))).toBe(true);
  });
});

describe("the resolver's logger", () => {
  it("received debug-level lines during this file, none with a secret", () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.some((line) => line.startsWith("debug ") || line.startsWith("warn "))).toBe(true);
    expect(logLines.flatMap((line) => leaksIn(line, SCANNED))).toEqual([]);
  });
});

/** `examples/cli.ts …` with stdin, from the repository root: bundled, with a plain `node` (see {@link nodeChild}). */
async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const command = nodeChild(join(REPO_ROOT, "examples", "cli.ts"), args);
  const child = spawn(command.command, command.args, { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on("error", () => undefined);
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  return { code, stdout, stderr };
}
