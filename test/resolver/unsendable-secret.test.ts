import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClaudeCliSource } from "../../src/credentials/claude-cli/login.js";
import { DEFAULT_CLIENT_ID, requestTokenRefresh } from "../../src/credentials/oauth/token-endpoint.js";
import { checkAuthStatus } from "../../src/status/check.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { claudeDocument, makeClaudeHome, writeClaudeFile, type ClaudeHome } from "../credentials/oauth/claude-home.js";
import { apiKeyStore, KEY_A, KEY_B, makeResolverFixture, TOKEN_M, type ResolverFixture } from "./support.js";

/** Stored secrets a copy and paste can produce, and the problem each must be reported with. */
const BAD_SECRETS: readonly { readonly name: string; readonly value: string; readonly problem: string }[] = [
  { name: "a trailing newline", value: `${KEY_A}\n`, problem: "ends with a line break" },
  { name: "an inner space", value: `${KEY_A.slice(0, 20)} ${KEY_A.slice(20)}`, problem: "contains a space" },
  { name: "a NUL", value: `${KEY_A.slice(0, 20)}\u0000${KEY_A.slice(20)}`, problem: "contains a NUL character" },
  { name: "a non-ASCII character", value: `${KEY_A.slice(0, 20)}é${KEY_A.slice(20)}`, problem: "contains a non-ASCII character" },
];

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

function shown(value: unknown): string {
  return `${inspect(value, { depth: 8 })} ${JSON.stringify(value)} ${String((value as { hint?: unknown }).hint ?? "")}`;
}

describe("a stored secret that cannot be sent in a header", () => {
  for (const bad of BAD_SECRETS) {
    it(`with ${bad.name}: resolve() skips the profile (no cooldown written), status shows it invalid with the fix`, async () => {
      await fx.writeStore(apiKeyStore({ "anthropic:bad": bad.value, "anthropic:good": KEY_B }, { order: { anthropic: ["anthropic:bad", "anthropic:good"] } }));
      const resolver = fx.resolver();
      for (let i = 0; i < 3; i += 1) expect((await resolver.resolve()).profileId).toBe("anthropic:good");
      await resolver.close();
      expect((await fx.readStore()).usageStats?.["anthropic:bad"]).toBeUndefined();

      const status = await fx.resolver().status();
      const row = status.auth.providers[0]?.entries.find((entry) => entry.profileId === "anthropic:bad");
      expect(row).toMatchObject({ state: "invalid" });
      expect(row?.detail).toContain(bad.problem);
      expect(row?.detail).toContain("Save the key again");
      expect(status.auth.providers[0]?.effective.kind).toBe("profiles");
      expect(checkAuthStatus(status).exitCode).toBe(1);
      const text = formatAuthStatus(status);
      expect(text).toMatch(/anthropic:bad.*invalid/);
      for (const output of [text, JSON.stringify(status)]) {
        expect(output).not.toContain(bad.value);
        expect(output).not.toContain(KEY_A.slice(14, 30));
      }
    });

    it(`with ${bad.name} as the only profile: CREDENTIAL_INVALID naming the profile and the problem, never the value`, async () => {
      await fx.writeStore(apiKeyStore({ "anthropic:bad": bad.value }));
      const error = await fx.resolver().resolve().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "CREDENTIAL_INVALID", details: { profileId: "anthropic:bad", problem: bad.problem } });
      expect((error as Error).message).toContain('"anthropic:bad"');
      expect((error as Error).message).toContain(bad.problem);
      expect(shown(error)).not.toContain(KEY_A.slice(14, 30));
      expect(shown(error)).not.toContain("npm run cli");

      const explicit = await fx.resolver().resolve({ profileId: "anthropic:bad" }).catch((e: unknown) => e);
      expect(explicit).toMatchObject({ code: "CREDENTIAL_INVALID", details: { profileId: "anthropic:bad" } });
    });
  }

  it("falls back to the env credential when the only stored profile cannot be sent", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:bad": `${KEY_A}\n` }));
    const auth = await fx.resolver({ env: { ANTHROPIC_API_KEY: KEY_B } }).resolve();
    expect(auth).toMatchObject({ source: "env", secret: KEY_B });
  });

  it("skips a setup-token with a trailing newline for the next profile", async () => {
    await fx.writeStore({
      version: 1,
      profiles: { "anthropic:manual": { type: "token", provider: "anthropic", token: `${TOKEN_M}\r\n` }, "anthropic:default": { type: "api_key", provider: "anthropic", key: KEY_B } },
    });
    expect((await fx.resolver().resolve()).profileId).toBe("anthropic:default");
  });
});

describe("a token endpoint answer that cannot be sent in a header", () => {
  let server: FakeTokenServer;
  beforeEach(async () => {
    server = await startFakeTokenServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const answers = (access: string, refresh: string): readonly { readonly field: string; readonly body: string }[] => [
    { field: "access_token", body: JSON.stringify({ access_token: `${access}\n`, expires_in: 28_800, refresh_token: refresh }) },
    { field: "access_token", body: JSON.stringify({ access_token: `${access.slice(0, 30)} ${access.slice(30)}`, expires_in: 28_800, refresh_token: refresh }) },
    { field: "refresh_token", body: JSON.stringify({ access_token: access, expires_in: 28_800, refresh_token: `${refresh}\u0000` }) },
    { field: "refresh_token", body: JSON.stringify({ access_token: access, expires_in: 28_800, refresh_token: `${refresh}ü` }) },
  ];

  it("is a failed refresh: the store keeps the old credential byte for byte", async () => {
    const ID = "anthropic:me";
    const oldAccess = fakeAccessToken();
    const oldRefresh = server.issueRefreshToken();
    await fx.writeStore({ version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access: oldAccess, refresh: oldRefresh, expires: fx.clock.now - 1 } } });
    const before = await readFile(fx.storePath(), "utf8");
    for (const answer of answers(fakeAccessToken(), "sk-ant-ort01-new")) {
      server.enqueue({ kind: "status", status: 200, body: answer.body });
      const resolver = fx.resolver({ oauth: { tokenUrl: server.url } });
      const error = await resolver.resolve({ profileId: ID }).catch((e: unknown) => e);
      await resolver.close();
      expect(error).toMatchObject({ code: "OAUTH_REFRESH_FAILED" });
      expect((error as Error).message).toContain(`${answer.field} cannot be sent in a header`);
      expect(await readFile(fx.storePath(), "utf8")).toBe(before);
    }
    expect(server.count).toBe(4);
  });

  it("is a failed refresh with Claude Code write-back: Claude Code's file is not touched", async () => {
    const home: ClaudeHome = await makeClaudeHome();
    try {
      const before = await writeClaudeFile(home.file, claudeDocument({ accessToken: fakeAccessToken(), refreshToken: server.issueRefreshToken(), expiresAt: fx.clock.now - 1 }));
      for (const answer of answers(fakeAccessToken(), "sk-ant-ort01-new")) {
        server.enqueue({ kind: "status", status: 200, body: answer.body });
        const source = createClaudeCliSource({
          env: home.env,
          platform: "linux",
          refresh: "write-back",
          now: () => fx.clock.now,
          endpoint: (refreshToken) =>
            requestTokenRefresh({ fetch, tokenUrl: server.url, clientId: DEFAULT_CLIENT_ID, refreshToken, now: () => fx.clock.now, timeoutMs: 5_000, profileId: "anthropic:claude-cli" }),
        });
        const error = await source.read().catch((e: unknown) => e);
        source.close();
        expect(error).toMatchObject({ code: "OAUTH_REFRESH_FAILED" });
        expect(await readFile(home.file, "utf8")).toBe(before);
      }
    } finally {
      await home.cleanup();
    }
  });

  it("a Claude Code login whose access token cannot be sent is CLAUDE_CLI_INVALID (skipped), never sent", async () => {
    const home: ClaudeHome = await makeClaudeHome();
    try {
      await writeClaudeFile(home.file, claudeDocument({ accessToken: `${fakeAccessToken()}\n`, refreshToken: undefined, expiresAt: fx.clock.now + 86_400_000 }));
      const source = createClaudeCliSource({ env: home.env, platform: "linux", refresh: "never", now: () => fx.clock.now });
      const error = await source.read().catch((e: unknown) => e);
      source.close();
      expect(error).toMatchObject({ code: "CLAUDE_CLI_INVALID" });
      expect((error as Error).message).toContain("cannot be sent in a header");
    } finally {
      await home.cleanup();
    }
  });
});
