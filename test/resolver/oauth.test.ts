import { spawn } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { eventually } from "../helpers/eventually.js";
import { nodeChild } from "../helpers/node-child.js";
import { KEY_A, makeResolverFixture, TOKEN_M, type ResolverFixture } from "./support.js";

const ID = "anthropic:me@example.com";
let fx: ResolverFixture;
let server: FakeTokenServer;
let access: string;
let refresh: string;

beforeEach(async () => {
  fx = await makeResolverFixture();
  server = await startFakeTokenServer();
  access = fakeAccessToken();
  refresh = server.issueRefreshToken();
});
afterEach(async () => {
  await server.close();
  await fx.cleanup();
});

function oauthStore(expires: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access, refresh, expires, email: "me@example.com", accountId: "acc-1" } }, ...extra };
}

describe("OAuth through the resolver", () => {
  it("refreshes an expired token once for 1000 concurrent resolves, and stores the rotated refresh token", async () => {
    await fx.writeStore(oauthStore(fx.clock.now - 1000));
    const resolver = fx.resolver({ oauth: { tokenUrl: server.url } });
    const results = await Promise.all(Array.from({ length: 1000 }, () => resolver.resolve()));
    expect(server.count).toBe(1);
    const fresh = new Set(results.map((r) => r.secret));
    expect(fresh.size).toBe(1);
    expect([...fresh][0]).not.toBe(access);
    const stored = (await fx.readStore()).profiles[ID];
    expect(stored.access).toBe(results[0]?.secret);
    expect(stored.refresh).not.toBe(refresh);
    expect(server.isValid(stored.refresh)).toBe(true);
    expect(stored.accountId).toBe("acc-1");
    expect(stored.expires).toBeGreaterThan(fx.clock.now);
  });

  it("sends a token outside the refresh margin as is, without a token request", async () => {
    await fx.writeStore(oauthStore(fx.clock.now + 3_600_000));
    const auth = await fx.resolver({ oauth: { tokenUrl: server.url } }).resolve();
    expect(auth.secret).toBe(access);
    expect(auth.mode).toBe("oauth");
    expect(server.count).toBe(0);
  });

  it("inside the margin, answers with the current token while one refresh runs in the background", async () => {
    await fx.writeStore(oauthStore(fx.clock.now + 60_000));
    const resolver = fx.resolver({ oauth: { tokenUrl: server.url } });
    expect((await resolver.resolve()).secret).toBe(access);
    await eventually(() => server.count > 0);
    expect(server.count).toBe(1);
    let stored = (await fx.readStore()).profiles[ID];
    await eventually(async () => {
      stored = (await fx.readStore()).profiles[ID];
      return stored.access !== access;
    });
    expect(stored.access).not.toBe(access);
  });

  it("a warm answer for a fresh token ends with its fresh window: inside the margin a background refresh starts, past expiry the call waits for one", async () => {
    const expires = fx.clock.now + 3_600_000;
    await fx.writeStore(oauthStore(expires));
    const resolver = fx.resolver({ oauth: { tokenUrl: server.url } });
    const first = await resolver.resolve();
    // Warm and fresh: the very same answer, no token request.
    expect(await resolver.resolve()).toBe(first);
    expect(server.count).toBe(0);
    // Into the refresh margin (default 5 min) without any store change: the warm answer must not be reused as "fresh".
    fx.clock.now = expires - 60_000;
    expect((await resolver.resolve()).secret).toBe(access);
    await eventually(() => server.count > 0);
    expect(server.count).toBe(1);
    await resolver.close();

    // Past expiry, on a resolver that was warm before: the call waits for a refresh and sends the new token.
    const later = await makeResolverFixture();
    try {
      const expiresSoon = later.clock.now + 3_600_000;
      await later.writeStore({ version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access, refresh: server.issueRefreshToken(), expires: expiresSoon } } });
      const warm = later.resolver({ oauth: { tokenUrl: server.url } });
      expect((await warm.resolve()).secret).toBe(access);
      expect((await warm.resolve()).secret).toBe(access);
      const before = server.count;
      later.clock.now = expiresSoon + 1_000;
      const after = await warm.resolve();
      expect(after.secret).not.toBe(access);
      expect(server.count).toBe(before + 1);
      await warm.close();
    } finally {
      await later.cleanup();
    }
  });

  it("keeps the stored credential byte for byte when the refresh fails, cools the profile down and says how to fix it", async () => {
    await fx.writeStore(oauthStore(fx.clock.now - 1000));
    server.enqueue({ kind: "invalid_grant" });
    const before = JSON.stringify((await fx.readStore()).profiles[ID]);
    const resolver = fx.resolver({ oauth: { tokenUrl: server.url } });
    const error = await resolver.resolve().catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("OAUTH_REFRESH_FAILED");
    const typed = error as Error & { hint: string };
    expect(typed.message.startsWith("OAuth token refresh failed for anthropic:")).toBe(true);
    expect(typed.hint).toContain("claude setup-token");
    for (const text of [typed.message, typed.hint, JSON.stringify(error), inspect(error)]) {
      expect(text).not.toContain(refresh.slice(13, 25));
      expect(text).not.toContain(access.slice(13, 25));
    }
    await resolver.close(); // the cooldown is written behind; close() flushes it
    const after = await fx.readStore();
    expect(JSON.stringify(after.profiles[ID])).toBe(before);
    // invalid_grant: the refresh token is spent; the permanent-auth lane disables the profile
    // (disabledReason "auth_permanent", OpenClaw's word, which this store reader maps to a known reason).
    expect(after.usageStats[ID].disabledUntil).toBeGreaterThanOrEqual(fx.clock.now + 24 * 3_600_000);
  });

  it("moves on to the next profile when a refresh fails", async () => {
    const store = oauthStore(fx.clock.now - 1000);
    (store.profiles as Record<string, unknown>)["anthropic:key"] = { type: "api_key", provider: "anthropic", key: KEY_A };
    await fx.writeStore(store);
    server.enqueue({ kind: "status", status: 500 });
    const auth = await fx.resolver({ oauth: { tokenUrl: server.url } }).resolve();
    expect(auth.profileId).toBe("anthropic:key");
  });

  it("forces a refresh after a 401 on a token that has not expired yet", async () => {
    await fx.writeStore(oauthStore(fx.clock.now + 3_600_000));
    const resolver = fx.resolver({ oauth: { tokenUrl: server.url } });
    expect((await resolver.resolve()).secret).toBe(access);
    const outcome = await resolver.reportFailure(ID, { status: 401, error: { type: "error", error: { type: "authentication_error", message: "OAuth token has expired" } } });
    expect(outcome).toEqual({ reason: "auth", unusableUntil: null });
    const next = await resolver.resolve();
    expect(server.count).toBe(1);
    expect(next.secret).not.toBe(access);
    expect((await fx.readStore()).usageStats?.[ID]?.forceRefresh).toBeUndefined();
  });

  it("8 processes on one store with an expired token make 1 token request in total and all get the new token", async () => {
    await fx.writeStore(oauthStore(fx.clock.now - 1000));
    const script = join(__dirname, "fixtures", "resolve-oauth.ts");
    const outputs = await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<string>((resolve, reject) => {
            const command = nodeChild(script, [fx.stateDir, server.url, String(fx.clock.now)]);
            const child = spawn(command.command, command.args, { env: fx.spawnEnv });
            let out = "";
            let err = "";
            child.stdout.on("data", (c) => (out += String(c)));
            child.stderr.on("data", (c) => (err += String(c)));
            child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
          }),
      ),
    );
    expect(server.count).toBe(1);
    const tails = new Set(outputs.map((o) => o.split("\n")[1]));
    expect(tails.size).toBe(1);
    expect((await fx.readStore()).profiles[ID].access.slice(-12)).toBe([...tails][0]);
  }, 300_000);
});

describe("Claude Code login through the resolver", () => {
  it("reads anthropic:claude-cli live when the config declares it, and never writes Claude Code's file", async () => {
    const claudeDir = join(fx.home, "claude");
    await mkdir(claudeDir, { recursive: true });
    const file = join(claudeDir, ".credentials.json");
    const text = JSON.stringify({ claudeAiOauth: { accessToken: TOKEN_M, refreshToken: "sk-ant-ort01-ZZZZZZZZZZZZZZZZZZZZZZZZ", expiresAt: fx.clock.now + 3_600_000, scopes: ["user:inference"] }, other: 1 });
    await writeFile(file, text, { mode: 0o600 });
    const resolver = fx.resolver({
      claudeCli: { keychain: false },
      env: { CLAUDE_CONFIG_DIR: claudeDir },
      config: { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } },
    });
    const auth = await resolver.resolve();
    expect(auth).toMatchObject({ profileId: "anthropic:claude-cli", source: "claude-cli", mode: "oauth" });
    expect(auth.secret).toBe(TOKEN_M);
    const status = await resolver.status();
    expect(JSON.stringify(status)).not.toContain("ZZZZZZZZZZZZ");
    expect(await readFile(file, "utf8")).toBe(text);
  });

  it("falls back to the next profile when the Claude Code login has expired", async () => {
    const claudeDir = join(fx.home, "claude");
    await mkdir(claudeDir, { recursive: true });
    await writeFile(join(claudeDir, ".credentials.json"), JSON.stringify({ claudeAiOauth: { accessToken: TOKEN_M, refreshToken: "sk-ant-ort01-ZZZZZZZZZZZZZZZZZZZZZZZZ", expiresAt: fx.clock.now - 1 } }), { mode: 0o600 });
    await fx.writeStore({ version: 1, profiles: { "anthropic:key": { type: "api_key", provider: "anthropic", key: KEY_A } } });
    const resolver = fx.resolver({
      claudeCli: { keychain: false },
      env: { CLAUDE_CONFIG_DIR: claudeDir },
      config: { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" }, "anthropic:key": { provider: "anthropic", mode: "api_key" } } } },
    });
    expect((await resolver.resolve()).profileId).toBe("anthropic:key");
    const explicit = await resolver.resolve({ profileId: "anthropic:claude-cli" }).catch((e: unknown) => e);
    expect(isAuthProfilesError(explicit) && explicit.code).toBe("CLAUDE_CLI_EXPIRED");
  });

  it("honours an anthropic:claude-cli entry OpenClaw's older sync wrote when it is fresher than the live login", async () => {
    const claudeDir = join(fx.home, "claude");
    await mkdir(claudeDir, { recursive: true });
    await writeFile(join(claudeDir, ".credentials.json"), JSON.stringify({ claudeAiOauth: { accessToken: TOKEN_M, refreshToken: "sk-ant-ort01-ZZZZZZZZZZZZZZZZZZZZZZZZ", expiresAt: fx.clock.now + 60_000 } }), { mode: 0o600 });
    const synced = `sk-ant-oat01-${"S".repeat(90)}ssss`;
    await fx.writeStore({ version: 1, profiles: { "anthropic:claude-cli": { type: "token", provider: "anthropic", token: synced, expires: fx.clock.now + 3_600_000 } } });
    const options = { claudeCli: { keychain: false }, env: { CLAUDE_CONFIG_DIR: claudeDir }, config: { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } } } as const;
    const fresher = await fx.resolver(options).resolve();
    expect(fresher.secret).toBe(synced);
    await fx.writeStore({ version: 1, profiles: { "anthropic:claude-cli": { type: "token", provider: "anthropic", token: synced, expires: fx.clock.now + 1_000 } } });
    const live = await fx.resolver(options).resolve();
    expect(live.secret).toBe(TOKEN_M);
    expect(live.source).toBe("claude-cli");
  });
});
