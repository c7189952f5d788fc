import { lstat, mkdir, readFile, rename, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClaudeCliSource, type ClaudeCliSource, type ClaudeCliSourceInit } from "../../src/credentials/claude-cli/login.js";
import { CLAUDE_REFRESH_LOCK_STALE_MS, claudeRefreshLockTarget, keychainServiceName } from "../../src/credentials/claude-cli/paths.js";
import { DEFAULT_CLIENT_ID, requestTokenRefresh } from "../../src/credentials/oauth/token-endpoint.js";
import { isAuthProfilesError, type AuthProfilesError } from "../../src/model/errors.js";
import { withFileLock } from "../../src/io/lock.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer, type TokenBehaviour } from "../helpers/fake-token-server.js";
import { claudeDocument, makeClaudeHome, writeClaudeFile, writeFakeSecurity, type ClaudeHome } from "./oauth/claude-home.js";
import { expectNoSecrets, rejectionOf } from "./oauth/no-secrets.js";
import { runChild } from "./oauth/support.js";

const NOW = 1_767_000_000_000;
const HOUR_MS = 3_600_000;

interface Logged {
  readonly level: string;
  readonly line: string;
}

let home: ClaudeHome;
let server: FakeTokenServer;
let logged: Logged[];
const sources: ClaudeCliSource[] = [];

beforeEach(async () => {
  home = await makeClaudeHome();
  server = await startFakeTokenServer();
  logged = [];
});
afterEach(async () => {
  for (const source of sources.splice(0)) source.close();
  await server.close();
  await home.cleanup();
});

const logger = {
  debug: (line: string) => logged.push({ level: "debug", line }),
  info: (line: string) => logged.push({ level: "info", line }),
  warn: (line: string) => logged.push({ level: "warn", line }),
  error: (line: string) => logged.push({ level: "error", line }),
};

function source(overrides: Partial<ClaudeCliSourceInit> = {}): ClaudeCliSource {
  const created = createClaudeCliSource({
    env: home.env,
    platform: "linux",
    refresh: "write-back",
    now: () => NOW,
    logger,
    endpoint: (refreshToken) =>
      requestTokenRefresh({ fetch, tokenUrl: server.url, clientId: DEFAULT_CLIENT_ID, refreshToken, now: () => NOW, timeoutMs: 5_000, profileId: "anthropic:claude-cli" }),
    ...overrides,
  });
  sources.push(created);
  return created;
}

/** Claude Code's document with a refresh token the fake server accepts. */
function loginDocument(expiresAt: number): { document: Record<string, unknown>; accessToken: string; refreshToken: string } {
  const accessToken = fakeAccessToken();
  const refreshToken = server.issueRefreshToken();
  return { document: claudeDocument({ accessToken, refreshToken, expiresAt }), accessToken, refreshToken };
}

async function failure(fn: () => Promise<unknown>, secrets: readonly string[]): Promise<AuthProfilesError> {
  const error = await rejectionOf(fn);
  if (!isAuthProfilesError(error)) throw error;
  expectNoSecrets(error, secrets);
  return error;
}

async function readJson(path: string): Promise<{ claudeAiOauth: Record<string, unknown> } & Record<string, unknown>> {
  return JSON.parse(await readFile(path, "utf8")) as { claudeAiOauth: Record<string, unknown> } & Record<string, unknown>;
}

describe(`${createClaudeCliSource.name} with refresh "write-back"`, () => {
  it("refreshes an expired login once and writes it back in Claude Code's format", async () => {
    const { document, refreshToken } = loginDocument(NOW - 1);
    await writeClaudeFile(home.file, document, 0o640);
    // A group-readable file is refused unless the caller opts out; the written file keeps its mode.
    const refused = await rejectionOf(() => source().read());
    expect(isAuthProfilesError(refused) && refused.code).toBe("FILE_UNSAFE");
    expect(server.count).toBe(0);
    const credential = await source({ allowUnsafePermissions: true }).read();

    expect(server.count).toBe(1);
    const written = await readFile(home.file, "utf8");
    expect(written).not.toContain("\n");
    const after = JSON.parse(written) as { claudeAiOauth: Record<string, unknown> } & Record<string, unknown>;
    expect(after.claudeAiOauth["accessToken"]).toBe(credential.secret);
    expect(after.claudeAiOauth["refreshToken"]).not.toBe(refreshToken);
    expect(server.isValid(after.claudeAiOauth["refreshToken"] as string)).toBe(true);
    expect(after.claudeAiOauth["expiresAt"]).toBe(NOW + 28_800_000);
    const before = document as { claudeAiOauth: Record<string, unknown> } & Record<string, unknown>;
    expect(after).toEqual({
      ...before,
      claudeAiOauth: { ...before.claudeAiOauth, accessToken: credential.secret, refreshToken: after.claudeAiOauth["refreshToken"], expiresAt: NOW + 28_800_000 },
    });
    expect(Object.keys(after.claudeAiOauth)).toEqual(Object.keys(before.claudeAiOauth));
    expect((await stat(home.file)).mode & 0o777).toBe(0o640);
    expect(credential).toMatchObject({ mode: "oauth", source: "claude-cli", expiresAt: NOW + 28_800_000 });
    expect(Object.values(credential)).not.toContain(after.claudeAiOauth["refreshToken"]);
  });

  it("keeps a 2-space indented file indented", async () => {
    const { document } = loginDocument(NOW - 1);
    await writeFile(home.file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
    await source().read();
    const written = await readFile(home.file, "utf8");
    expect(written).toMatch(/^\{\n {2}"claudeAiOauth": \{\n {4}"accessToken"/);
    expect(written.endsWith("}\n")).toBe(true);
  });

  it("refreshes a login that expires within the margin", async () => {
    await writeClaudeFile(home.file, loginDocument(NOW + 60_000).document);
    await source().read();
    expect(server.count).toBe(1);
  });

  it("leaves a fresh login alone", async () => {
    const text = await writeClaudeFile(home.file, loginDocument(NOW + HOUR_MS).document);
    await source().read();
    expect(server.count).toBe(0);
    expect(await readFile(home.file, "utf8")).toBe(text);
  });

  it("refreshes a fresh login on forceRefresh, once", async () => {
    const { document, accessToken } = loginDocument(NOW + HOUR_MS);
    await writeClaudeFile(home.file, document);
    const cli = source({ watchIntervalMs: 3_600_000 });
    expect((await cli.read()).secret).toBe(accessToken);
    const forced = await cli.read({ forceRefresh: true });
    expect(server.count).toBe(1);
    expect(forced.secret).not.toBe(accessToken);
  });

  it("uses a login Claude Code refreshed since the caller's copy instead of forcing another refresh", async () => {
    await writeClaudeFile(home.file, loginDocument(NOW + HOUR_MS).document);
    const cli = source({ watchIntervalMs: 3_600_000 });
    await cli.read();
    const { document, accessToken } = loginDocument(NOW + 8 * HOUR_MS);
    await writeClaudeFile(home.file, document);
    expect((await cli.read({ forceRefresh: true })).secret).toBe(accessToken);
    expect(server.count).toBe(0);
  });

  const failures: ReadonlyArray<readonly [string, TokenBehaviour]> = [
    ["invalid_grant", { kind: "invalid_grant" }],
    ["a 500", { kind: "status", status: 500 }],
    ["an HTML page", { kind: "html" }],
    ["truncated JSON", { kind: "truncated" }],
    ["a reset connection", { kind: "reset" }],
  ];

  it.each(failures)("leaves Claude Code's file byte for byte on %s", async (_name, behaviour) => {
    const { document, accessToken, refreshToken } = loginDocument(NOW - 1);
    const text = await writeClaudeFile(home.file, document);
    server.enqueue(behaviour);
    const error = await failure(() => source().read(), [accessToken, refreshToken]);
    expect(error.code).toBe("OAUTH_REFRESH_FAILED");
    expect(error.message.startsWith("OAuth token refresh failed for anthropic: anthropic:claude-cli")).toBe(true);
    expect(await readFile(home.file, "utf8")).toBe(text);
  });

  it("keeps serving a still-valid login when its refresh fails, and backs off", async () => {
    const { document, accessToken } = loginDocument(NOW + 60_000);
    await writeClaudeFile(home.file, document);
    server.setDefault({ kind: "status", status: 503 });
    const cli = source({ watchIntervalMs: 3_600_000 });
    expect((await cli.read()).secret).toBe(accessToken);
    expect((await cli.read()).secret).toBe(accessToken);
    expect(server.count).toBe(1);
    expect(logged.some((l) => l.level === "warn" && l.line.includes("OAUTH_REFRESH_FAILED"))).toBe(true);
  });

  it("waits for Claude Code's own refresh lock and uses its result (no lost fields, no request)", async () => {
    const { document } = loginDocument(NOW - 1);
    await writeClaudeFile(home.file, document);
    let now = NOW - 2 * HOUR_MS;
    const cli = source({ now: () => now, watchIntervalMs: 3_600_000 });
    await cli.read();
    const fresh = fakeAccessToken();
    let pending: Promise<unknown> | undefined;
    await withFileLock(
      claudeRefreshLockTarget(home.file),
      async () => {
        // The cached login has now expired: this read decides to refresh, then waits for the lock.
        now = NOW;
        pending = cli.read();
        // Claude Code, holding the lock, writes its refreshed login and a field of its own.
        const doc = document as { claudeAiOauth: Record<string, unknown> } & Record<string, unknown>;
        await writeClaudeFile(home.file, { ...doc, claudeAiOauth: { ...doc.claudeAiOauth, accessToken: fresh, expiresAt: NOW + 8 * HOUR_MS }, addedByClaude: true });
      },
      { staleMs: CLAUDE_REFRESH_LOCK_STALE_MS },
    );
    expect(((await pending) as { secret: string }).secret).toBe(fresh);
    expect(server.count).toBe(0);
    expect((await readJson(home.file))["addedByClaude"]).toBe(true);
  });

  it("fails with STORE_LOCKED when Claude Code's lock stays busy", async () => {
    await writeClaudeFile(home.file, loginDocument(NOW - 1).document);
    const cli = source({ lockWaitMs: 50 });
    const error = await withFileLock(claudeRefreshLockTarget(home.file), () => failure(() => cli.read(), []), { staleMs: CLAUDE_REFRESH_LOCK_STALE_MS });
    expect(error.code).toBe("STORE_LOCKED");
    expect(error.message).toContain(".oauth_refresh.lock");
    expect(error.hint).toContain("Claude Code");
    expect(server.count).toBe(0);
  });

  it("writes through a symbolic link instead of replacing it", async () => {
    const realDir = join(home.root, "real");
    await mkdir(realDir, { mode: 0o700 });
    const real = join(realDir, "credentials.json");
    await writeClaudeFile(real, loginDocument(NOW - 1).document);
    await symlink(real, home.file);
    const credential = await source().read();
    expect((await lstat(home.file)).isSymbolicLink()).toBe(true);
    expect((await readJson(real)).claudeAiOauth["accessToken"]).toBe(credential.secret);
  });

  it("never writes the refreshed login through a link re-pointed during the token request", async () => {
    const realDir = join(home.root, "real");
    await mkdir(realDir, { mode: 0o700 });
    const real = join(realDir, "credentials.json");
    const { document, accessToken, refreshToken } = loginDocument(NOW - 1);
    await writeClaudeFile(real, document);
    await symlink(real, home.file);
    const bait = join(home.root, "bait.json");
    await writeFile(bait, "{}\n");
    server.enqueue({ kind: "ok", delayMs: 1_000 });
    const outcome = failure(() => source().read(), [accessToken, refreshToken]);
    while (server.count === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await symlink(bait, `${home.file}.swap`);
    await rename(`${home.file}.swap`, home.file);
    expect(await outcome).toMatchObject({ code: "FILE_UNSAFE", details: { file: home.file, target: real, reason: "replaced" } });
    expect(await readFile(bait, "utf8")).toBe("{}\n");
  });

  it("never writes a Keychain login", async () => {
    const security = await writeFakeSecurity(join(home.root, "keychain"));
    const { document, accessToken, refreshToken } = loginDocument(NOW - 1);
    await writeFile(security.itemPath(keychainServiceName(home.env)), JSON.stringify(document));
    const error = await failure(() => source({ platform: "darwin", securityCommand: security.command }).read(), [accessToken, refreshToken]);
    expect(error.code).toBe("CLAUDE_CLI_EXPIRED");
    expect(server.count).toBe(0);
    expect(logged.some((l) => l.level === "warn" && l.line.includes("Keychain"))).toBe(true);
  });

  it("sends one token request when 4 processes write back one expired login", { timeout: 300_000 }, async () => {
    const { document } = loginDocument(NOW - 1);
    await writeClaudeFile(home.file, document);
    const children = await Promise.all(Array.from({ length: 4 }, () => runChild("claude-write-back-child.ts", [home.file, server.url, String(NOW)])));
    for (const child of children) {
      expect(child.stderr).toBe("");
      expect(child.code).toBe(0);
    }
    expect(server.count).toBe(1);
    const after = await readJson(home.file);
    expect(new Set(children.map((c) => (JSON.parse(c.stdout) as { secret: string }).secret))).toEqual(new Set([after.claudeAiOauth["accessToken"]]));
    expect(after["mcpOAuth"]).toEqual((document as Record<string, unknown>)["mcpOAuth"]);
    expect(after.claudeAiOauth["subscriptionType"]).toBe("max");
  });
});
