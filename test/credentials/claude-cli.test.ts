import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClaudeCliSource, type ClaudeCliSource, type ClaudeCliSourceInit } from "../../src/credentials/claude-cli/login.js";
import { claudeCredentialsPath, keychainServiceName } from "../../src/credentials/claude-cli/paths.js";
import { isAuthProfilesError, type AuthProfilesError } from "../../src/model/errors.js";
import { fakeAccessToken, fakeRefreshToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { claudeDocument, makeClaudeHome, writeClaudeFile, writeFakeSecurity, type ClaudeHome } from "./oauth/claude-home.js";
import { expectNoSecrets, rejectionOf } from "./oauth/no-secrets.js";

const NOW = 1_767_000_000_000;
const HOUR_MS = 3_600_000;

let home: ClaudeHome;
let server: FakeTokenServer;
const sources: ClaudeCliSource[] = [];

beforeEach(async () => {
  home = await makeClaudeHome();
  server = await startFakeTokenServer();
});
afterEach(async () => {
  for (const source of sources.splice(0)) source.close();
  await server.close();
  await home.cleanup();
});

function source(overrides: Partial<ClaudeCliSourceInit> = {}): ClaudeCliSource {
  const created = createClaudeCliSource({ env: home.env, platform: "linux", now: () => NOW, ...overrides });
  sources.push(created);
  return created;
}

async function failure(fn: () => Promise<unknown>, secrets: readonly string[] = []): Promise<AuthProfilesError> {
  const error = await rejectionOf(fn);
  if (!isAuthProfilesError(error)) throw error;
  expectNoSecrets(error, secrets);
  return error;
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(claudeCredentialsPath.name, () => {
  it("prefers an explicit path, then CLAUDE_CONFIG_DIR, then ~/.claude", () => {
    expect(claudeCredentialsPath({ credentialsPath: "/x/creds.json", env: { CLAUDE_CONFIG_DIR: "/c" }, homeDir: "/h" })).toBe("/x/creds.json");
    expect(claudeCredentialsPath({ env: { CLAUDE_CONFIG_DIR: "/c" }, homeDir: "/h" })).toBe(join("/c", ".credentials.json"));
    expect(claudeCredentialsPath({ env: { CLAUDE_CONFIG_DIR: "" }, homeDir: "/h" })).toBe(join("/h", ".claude", ".credentials.json"));
    expect(claudeCredentialsPath({ env: {}, homeDir: "/h" })).toBe(join("/h", ".claude", ".credentials.json"));
  });

  it("fails with INVALID_ARGUMENT when it has nothing to go on", () => {
    expect(() => claudeCredentialsPath({ env: {} })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

describe(keychainServiceName.name, () => {
  it("is unsuffixed without CLAUDE_CONFIG_DIR", () => {
    expect(keychainServiceName({})).toBe("Claude Code-credentials");
    expect(keychainServiceName({ CLAUDE_CONFIG_DIR: "" })).toBe("Claude Code-credentials");
  });

  it("appends the first 8 hex digits of sha256(CLAUDE_CONFIG_DIR)", () => {
    // printf '%s' /Users/me/.claude-work | sha256sum → 1e91dd84…
    expect(keychainServiceName({ CLAUDE_CONFIG_DIR: "/Users/me/.claude-work" })).toBe("Claude Code-credentials-1e91dd84");
  });

  it("hashes the NFC form, so composed and decomposed spellings agree", () => {
    expect(keychainServiceName({ CLAUDE_CONFIG_DIR: "/Users/jose\u0301/.claude" })).toBe(keychainServiceName({ CLAUDE_CONFIG_DIR: "/Users/jos\u00e9/.claude" }));
  });
});

describe(createClaudeCliSource.name, () => {
  it("maps a login with a refresh token to an oauth credential without the refresh token", async () => {
    const refreshToken = fakeRefreshToken();
    const accessToken = fakeAccessToken();
    await writeClaudeFile(home.file, claudeDocument({ accessToken, refreshToken, expiresAt: NOW + HOUR_MS }));
    const credential = await source().read();
    expect(credential).toEqual({ provider: "anthropic", profileId: "anthropic:claude-cli", mode: "oauth", source: "claude-cli", secret: accessToken, expiresAt: NOW + HOUR_MS });
    for (const view of [JSON.stringify(credential), inspect(credential), JSON.stringify(Object.values(credential))]) expect(view).not.toContain(refreshToken);
    expect(JSON.stringify(credential)).not.toContain(accessToken);
    expect(inspect(credential)).not.toContain(accessToken);
  });

  it("maps a login without a refresh token to a token credential", async () => {
    await writeClaudeFile(home.file, claudeDocument({ refreshToken: undefined, expiresAt: NOW + HOUR_MS }));
    expect((await source().read()).mode).toBe("token");
  });

  it("reads ~/.claude/.credentials.json when CLAUDE_CONFIG_DIR is not set", async () => {
    const accessToken = fakeAccessToken();
    await writeClaudeFile(home.file, claudeDocument({ accessToken, expiresAt: NOW + HOUR_MS }));
    const homeDir = join(home.root, "home");
    await rename(home.configDir, join(home.root, "moved"));
    await (await import("node:fs/promises")).mkdir(homeDir);
    await rename(join(home.root, "moved"), join(homeDir, ".claude"));
    expect((await source({ env: {}, homeDir }).read()).secret).toBe(accessToken);
  });

  it("serves warm reads from the cache without reading the file", async () => {
    const first = fakeAccessToken();
    await writeClaudeFile(home.file, claudeDocument({ accessToken: first, expiresAt: NOW + HOUR_MS }));
    // A poll interval longer than the test: only a file read could reveal the new content.
    const cli = source({ watchIntervalMs: 3_600_000 });
    expect((await cli.read()).secret).toBe(first);
    await writeClaudeFile(home.file, claudeDocument({ accessToken: fakeAccessToken(), expiresAt: NOW + HOUR_MS }));
    expect((await cli.read()).secret).toBe(first);
  });

  it("notices when Claude Code rewrites its login", async () => {
    await writeClaudeFile(home.file, claudeDocument({ expiresAt: NOW + HOUR_MS }));
    const cli = source({ watchIntervalMs: 20 });
    await cli.read();
    const next = fakeAccessToken();
    const temp = `${home.file}.tmp`;
    await writeClaudeFile(temp, claudeDocument({ accessToken: next, expiresAt: NOW + 2 * HOUR_MS }));
    await rename(temp, home.file);
    const credential = await eventually(() => cli.read(), (c) => c.secret === next);
    expect(credential.expiresAt).toBe(NOW + 2 * HOUR_MS);
  });

  it("reads again on forceRefresh, without writing anything", async () => {
    await writeClaudeFile(home.file, claudeDocument({ expiresAt: NOW + HOUR_MS }));
    const cli = source({ watchIntervalMs: 3_600_000 });
    await cli.read();
    const next = fakeAccessToken();
    const text = await writeClaudeFile(home.file, claudeDocument({ accessToken: next, expiresAt: NOW + HOUR_MS }));
    expect((await cli.read({ forceRefresh: true })).secret).toBe(next);
    expect(await readFile(home.file, "utf8")).toBe(text);
  });

  it("re-reads an expired cached login once and uses what Claude Code refreshed meanwhile", async () => {
    let now = NOW;
    await writeClaudeFile(home.file, claudeDocument({ expiresAt: NOW + HOUR_MS }));
    const cli = source({ watchIntervalMs: 3_600_000, now: () => now });
    await cli.read();
    const next = fakeAccessToken();
    await writeClaudeFile(home.file, claudeDocument({ accessToken: next, expiresAt: NOW + 9 * HOUR_MS }));
    now = NOW + 2 * HOUR_MS;
    expect((await cli.read()).secret).toBe(next);
  });

  it("fails with CLAUDE_CLI_EXPIRED on an expired login and never refreshes or writes it by default", async () => {
    const refreshToken = server.issueRefreshToken();
    const accessToken = fakeAccessToken();
    const text = await writeClaudeFile(home.file, claudeDocument({ accessToken, refreshToken, expiresAt: NOW - 1 }));
    const endpoint = (): never => {
      throw new Error("must not be called");
    };
    const error = await failure(() => source({ endpoint }).read(), [accessToken, refreshToken]);
    expect(error.code).toBe("CLAUDE_CLI_EXPIRED");
    expect(error.message).toContain("Claude Code login expired at");
    expect(error.message).toContain(home.file);
    expect(error.hint).toContain("Run `claude` on this host");
    expect(error.hint).toContain("claude setup-token");
    expect(error.details).toMatchObject({ profileId: "anthropic:claude-cli", file: home.file, reason: "expired", expiresAt: NOW - 1 });
    expect(await readFile(home.file, "utf8")).toBe(text);
    expect(server.count).toBe(0);
  });

  it("fails with CLAUDE_CLI_EXPIRED naming the path when there is no login file", async () => {
    const error = await failure(() => source().read());
    expect(error.code).toBe("CLAUDE_CLI_EXPIRED");
    expect(error.message).toBe(`Claude Code login not found at ${home.file}.`);
    expect(error.hint).toContain("claude setup-token");
    expect(error.details).toMatchObject({ reason: "missing", file: home.file });
  });

  it("notices a login created after a failed read", async () => {
    const cli = source({ watchIntervalMs: 20 });
    expect((await failure(() => cli.read())).code).toBe("CLAUDE_CLI_EXPIRED");
    const accessToken = fakeAccessToken();
    await writeClaudeFile(home.file, claudeDocument({ accessToken, expiresAt: NOW + HOUR_MS }));
    const credential = await eventually(
      () => cli.read().catch(() => null),
      (c) => c !== null,
    );
    expect(credential?.secret).toBe(accessToken);
  });

  it.each([
    ["empty token strings", { claudeAiOauth: { accessToken: "", refreshToken: "", expiresAt: 0 } }],
    ["no claudeAiOauth record", { mcpOAuth: {} }],
    ["a null claudeAiOauth record", { claudeAiOauth: null }],
  ])("treats %s as signed out (CLAUDE_CLI_EXPIRED)", async (_name, document) => {
    await writeClaudeFile(home.file, document);
    const error = await failure(() => source().read());
    expect(error.code).toBe("CLAUDE_CLI_EXPIRED");
    expect(error.message.startsWith(`Claude Code login not found at ${home.file}`)).toBe(true);
    expect(error.details).toMatchObject({ reason: "signed_out" });
  });

  const secretToken = `sk-ant-oat01-${"s".repeat(90)}`;
  it.each([
    ["not JSON", `{"claudeAiOauth": {"accessToken": "${secretToken}"`, "(root)"],
    ["an empty file", "", "(root)"],
    ["a JSON array", "[]", "(root)"],
    ["a string expiresAt", JSON.stringify({ claudeAiOauth: { accessToken: secretToken, expiresAt: "tomorrow" } }), "claudeAiOauth.expiresAt"],
    ["a numeric accessToken", JSON.stringify({ claudeAiOauth: { accessToken: 42, expiresAt: NOW } }), "claudeAiOauth.accessToken"],
    ["a string in scopes", JSON.stringify({ claudeAiOauth: { accessToken: secretToken, expiresAt: NOW, scopes: "user:inference" } }), "claudeAiOauth.scopes"],
  ])("fails with CLAUDE_CLI_INVALID on %s, naming the file and JSON path", async (_name, text, jsonPath) => {
    await writeFile(home.file, text, { mode: 0o600 });
    const error = await failure(() => source().read(), [secretToken]);
    expect(error.code).toBe("CLAUDE_CLI_INVALID");
    expect(error.message).toContain(home.file);
    expect(error.message).toContain(jsonPath);
    expect(error.details).toMatchObject({ file: home.file, jsonPath });
    expect(await readFile(home.file, "utf8")).toBe(text);
  });

  it("refuses an unknown refresh mode and write-back without an endpoint", () => {
    expect(() => source({ refresh: "always" as "never" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => source({ refresh: "write-back" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("keeps working, uncached, after close()", async () => {
    await writeClaudeFile(home.file, claudeDocument({ expiresAt: NOW + HOUR_MS }));
    const cli = source({ watchIntervalMs: 3_600_000 });
    await cli.read();
    cli.close();
    cli.close();
    const next = fakeAccessToken();
    await writeClaudeFile(home.file, claudeDocument({ accessToken: next, expiresAt: NOW + HOUR_MS }));
    expect((await cli.read()).secret).toBe(next);
  });

  describe("macOS Keychain", () => {
    it("reads the Keychain item first on macOS, with the suffixed service name", async () => {
      const security = await writeFakeSecurity(join(home.root, "keychain"));
      const service = keychainServiceName(home.env);
      const accessToken = fakeAccessToken();
      await writeFile(security.itemPath(service), JSON.stringify(claudeDocument({ accessToken, expiresAt: NOW + HOUR_MS })));
      await writeClaudeFile(home.file, claudeDocument({ expiresAt: NOW + HOUR_MS }));
      const cli = source({ platform: "darwin", securityCommand: security.command });
      expect(cli.keychainService).toBe(service);
      expect(service).toMatch(/^Claude Code-credentials-[0-9a-f]{8}$/);
      expect((await cli.read()).secret).toBe(accessToken);
      expect(await readFile(security.log, "utf8")).toBe(`find-generic-password|-s|${service}|-w|\n`);
    });

    it("falls back to the file when the Keychain has no item", async () => {
      const security = await writeFakeSecurity(join(home.root, "keychain"));
      const accessToken = fakeAccessToken();
      await writeClaudeFile(home.file, claudeDocument({ accessToken, expiresAt: NOW + HOUR_MS }));
      expect((await source({ platform: "darwin", securityCommand: security.command }).read()).secret).toBe(accessToken);
    });

    it("names both places when neither has a login", async () => {
      const security = await writeFakeSecurity(join(home.root, "keychain"));
      const error = await failure(() => source({ platform: "darwin", securityCommand: security.command }).read());
      expect(error.code).toBe("CLAUDE_CLI_EXPIRED");
      expect(error.message).toContain(home.file);
      expect(error.message).toContain(keychainServiceName(home.env));
    });

    it("reports a Keychain that cannot be read when the file is missing too", async () => {
      const security = await writeFakeSecurity(join(home.root, "keychain"));
      await writeFile(security.failMarker, "");
      const error = await failure(() => source({ platform: "darwin", securityCommand: security.command }).read());
      expect(error.code).toBe("CLAUDE_CLI_INVALID");
      expect(error.message).toContain("macOS Keychain");
      expect(error.message).toContain("exit 51");
    });

    it("reports a malformed Keychain item instead of bypassing it", async () => {
      const security = await writeFakeSecurity(join(home.root, "keychain"));
      await writeFile(security.itemPath(keychainServiceName(home.env)), `{"claudeAiOauth":{"accessToken":"${secretToken}"`);
      await writeClaudeFile(home.file, claudeDocument({ expiresAt: NOW + HOUR_MS }));
      const error = await failure(() => source({ platform: "darwin", securityCommand: security.command }).read(), [secretToken]);
      expect(error.code).toBe("CLAUDE_CLI_INVALID");
      expect(error.message).toContain(`the macOS Keychain item "${keychainServiceName(home.env)}"`);
    });

    it("reads the Keychain only where asked", async () => {
      const security = await writeFakeSecurity(join(home.root, "keychain"));
      await writeClaudeFile(home.file, claudeDocument({ expiresAt: NOW + HOUR_MS }));
      await source({ platform: "darwin", keychain: false, securityCommand: security.command }).read();
      await source({ platform: "linux", securityCommand: security.command }).read();
      await expect(readFile(security.log, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
      await source({ platform: "linux", keychain: true, securityCommand: security.command }).read();
      expect(await readFile(security.log, "utf8")).toContain("find-generic-password");
    });

    it("uses an explicit keychainService", async () => {
      const security = await writeFakeSecurity(join(home.root, "keychain"));
      const accessToken = fakeAccessToken();
      await writeFile(security.itemPath("Claude Code-credentials"), JSON.stringify(claudeDocument({ accessToken, expiresAt: NOW + HOUR_MS })));
      const cli = source({ platform: "darwin", keychainService: "Claude Code-credentials", securityCommand: security.command });
      expect((await cli.read()).secret).toBe(accessToken);
    });
  });
});
