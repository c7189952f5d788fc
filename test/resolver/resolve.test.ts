import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveAuth } from "../../src/resolver/resolver.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { apiKeyStore, KEY_A, KEY_B, KEY_C, makeResolverFixture, TOKEN_M, type ResolverFixture } from "./support.js";
import type { AuthProfilesConfigInput } from "../../src/config/input-types.js";

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(() => fx.cleanup());

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string; error: any }> {
  try {
    await promise;
  } catch (error) {
    if (!isAuthProfilesError(error)) throw error;
    return { code: error.code, message: error.message, error };
  }
  throw new Error("expected a rejection");
}

describe("resolve", () => {
  it("returns an API key with x-api-key headers and keeps the secret out of JSON and inspect", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:default": KEY_A }));
    const auth = await fx.resolver().resolve();
    expect(auth).toMatchObject({ provider: "anthropic", profileId: "anthropic:default", mode: "api_key", source: "store", expiresAt: null });
    expect(auth.secret).toBe(KEY_A);
    expect(auth.headers["x-api-key"]).toBe(KEY_A);
    for (const text of [JSON.stringify(auth), inspect(auth, { depth: 5 }), JSON.stringify({ ...auth })]) {
      expect(text).not.toContain(KEY_A.slice(13, 30));
    }
  });

  it("sends setup-tokens as bearer tokens with the OAuth beta", async () => {
    await fx.writeStore({ version: 1, profiles: { "anthropic:manual": { type: "token", provider: "anthropic", token: TOKEN_M } } });
    const auth = await fx.resolver().resolve();
    expect(auth.mode).toBe("token");
    expect(auth.headers["authorization"]).toBe(`Bearer ${TOKEN_M}`);
    expect(auth.headers["anthropic-beta"]).toContain("oauth-2025-04-20");
    expect(auth.headers["x-api-key"]).toBeUndefined();
  });

  it("rotates round-robin over API keys, least recently used first", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B, "anthropic:c": KEY_C }));
    const resolver = fx.resolver();
    const picked = [];
    for (let i = 0; i < 6; i += 1) picked.push((await resolver.resolve()).profileId);
    expect(picked).toEqual(["anthropic:a", "anthropic:b", "anthropic:c", "anthropic:a", "anthropic:b", "anthropic:c"]);
  });

  it("keeps an explicit store order as written", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }, { order: { anthropic: ["anthropic:b", "anthropic:a"] } }));
    const resolver = fx.resolver();
    expect((await resolver.resolve()).profileId).toBe("anthropic:b");
    expect((await resolver.resolve()).profileId).toBe("anthropic:b");
  });

  it("sticks a session to its profile until it fails", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const resolver = fx.resolver();
    const first = (await resolver.resolve({ sessionId: "s1" })).profileId;
    await resolver.resolve(); // another caller moves the round-robin on
    expect((await resolver.resolve({ sessionId: "s1" })).profileId).toBe(first);
    await resolver.reportFailure(first as string, { status: 429 });
    expect((await resolver.resolve({ sessionId: "s1" })).profileId).not.toBe(first);
  });

  it("uses an explicit profileId or fails with NO_CREDENTIALS / PROFILE_NOT_CONFIGURED", async () => {
    await fx.writeStore({
      version: 1,
      profiles: {
        "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A },
        "openai:x": { type: "api_key", provider: "openai", key: KEY_B },
      },
    });
    const resolver = fx.resolver({ config: { auth: { profiles: { "anthropic:a": { provider: "anthropic", mode: "token" } } } } });
    const missing = await codeOf(resolver.resolve({ profileId: "anthropic:nope" }));
    expect(missing.code).toBe("NO_CREDENTIALS");
    expect(missing.message.startsWith('No credentials found for profile "anthropic:nope".')).toBe(true);
    const wrongProvider = await codeOf(resolver.resolve({ profileId: "openai:x" }));
    expect(wrongProvider.code).toBe("PROFILE_NOT_CONFIGURED");
    expect(wrongProvider.message.startsWith('Auth profile "openai:x" is not configured for anthropic.'.slice(0, -1))).toBe(true);
    const wrongMode = await codeOf(resolver.resolve({ profileId: "anthropic:a" }));
    expect(wrongMode.code).toBe("PROFILE_NOT_CONFIGURED");
  });

  it("fails with NO_API_KEY naming the agent and its store, and says auth is per agent", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:default": KEY_A }), "main");
    const { code, message, error } = await codeOf(fx.resolver({ agentId: "work" }).resolve());
    expect(code).toBe("NO_API_KEY");
    expect(message.startsWith('No API key found for provider "anthropic".')).toBe(true);
    expect(message).toContain(fx.storePath("work"));
    expect(message).toContain('agent "work"');
    expect(message).toContain("per agent");
    expect(error.hint).toContain("copyProfiles");
  });

  it("falls back to ANTHROPIC_OAUTH_TOKEN, then ANTHROPIC_API_KEY, when no profile exists", async () => {
    const both = await fx.resolver({ env: { ANTHROPIC_OAUTH_TOKEN: TOKEN_M, ANTHROPIC_API_KEY: KEY_A } }).resolve();
    expect(both).toMatchObject({ mode: "token", source: "env", profileId: null });
    const keyOnly = await fx.resolver({ env: { ANTHROPIC_API_KEY: KEY_A } }).resolve();
    expect(keyOnly).toMatchObject({ mode: "api_key", source: "env" });
  });

  it("excludes expired setup-tokens", async () => {
    await fx.writeStore({
      version: 1,
      profiles: {
        "anthropic:old": { type: "token", provider: "anthropic", token: TOKEN_M, expires: fx.clock.now - 1 },
        "anthropic:key": { type: "api_key", provider: "anthropic", key: KEY_A },
      },
    });
    expect((await fx.resolver().resolve()).profileId).toBe("anthropic:key");
  });

  it("applies the configured cache TTL for API keys only", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const config = { agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" }, models: { "anthropic/claude-opus-4-5": { params: { cacheControlTtl: "1h" } } } } } } satisfies AuthProfilesConfigInput;
    const auth = await fx.resolver({ config }).resolve();
    expect(auth.model).toBe("claude-opus-4-5");
    expect(auth.cacheControlTtl).toBe("1h");
    await fx.writeStore({ version: 1, profiles: { "anthropic:m": { type: "token", provider: "anthropic", token: TOKEN_M } } });
    expect((await fx.resolver({ config }).resolve({ model: "claude-opus-4-5" })).cacheControlTtl).toBeNull();
  });

  it("returns the model id as asked, which the Messages API accepts", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const resolver = fx.resolver();
    expect((await resolver.resolve({ model: "claude-sonnet-4-6" })).model).toBe("claude-sonnet-4-6");
    expect((await resolver.resolve({ model: "anthropic/claude-sonnet-4-6" })).model).toBe("claude-sonnet-4-6");
  });

  it("resolveAuth resolves once and closes", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:default": KEY_A }));
    const auth = await resolveAuth({ stateDir: fx.stateDir, homeDir: fx.home, env: {}, configPath: false, claudeCli: false });
    expect(auth.profileId).toBe("anthropic:default");
  });

  it("fails with RESOLVER_CLOSED after close", async () => {
    const resolver = fx.resolver();
    await resolver.close();
    await resolver.close();
    expect((await codeOf(resolver.resolve())).code).toBe("RESOLVER_CLOSED");
  });
});
