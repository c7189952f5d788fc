import { describe, expect, it } from "vitest";
import { createAnthropicClient } from "../../src/anthropic/client.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createAuthResolver, resolveAuth } from "../../src/resolver/resolver.js";
import type { AuthResolverOptions } from "../../src/resolver/types.js";
import { KEY_A, makeResolverFixture, apiKeyStore } from "./support.js";

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function expectInvalid(error: unknown, path: string): void {
  expect(isAuthProfilesError(error)).toBe(true);
  expect(error).toMatchObject({ code: "INVALID_ARGUMENT", details: { path } });
}

describe("resolver options are checked when the resolver is created", () => {
  it.each<[string, unknown, string]>([
    ["oauth.timeoutMs as a string", { oauth: { timeoutMs: "15s" } }, "options.oauth.timeoutMs"],
    ["a negative oauth.timeoutMs", { oauth: { timeoutMs: -1 } }, "options.oauth.timeoutMs"],
    ["an infinite oauth.refreshMarginMs", { oauth: { refreshMarginMs: Number.POSITIVE_INFINITY } }, "options.oauth.refreshMarginMs"],
    ["a plain-http remote oauth.tokenUrl", { oauth: { tokenUrl: "http://tokens.example.invalid/oauth/token" } }, "options.oauth.tokenUrl"],
    ["an oauth.tokenUrl that is not a URL", { oauth: { tokenUrl: "not a url" } }, "options.oauth.tokenUrl"],
    ["a numeric agentId", { agentId: 5 }, "options.agentId"],
    ["env as a string", { env: "HOME=/tmp" }, "options.env"],
    ["a claudeCli refresh mode that does not exist", { claudeCli: { refresh: "always" } }, "options.claudeCli"],
    ["a logger without methods", { logger: {} }, "options.logger.debug"],
    ["now as a number", { now: 1_700_000_000_000 }, "options.now"],
    ["a store without update()", { store: { path: "/x", read: async () => ({}), watch: () => () => undefined } }, "options.store.update"],
  ])("%s → INVALID_ARGUMENT naming the option, at once", (_what, options, path) => {
    expectInvalid(thrown(() => createAuthResolver(options as AuthResolverOptions)), path);
    expectInvalid(thrown(() => createAnthropicClient(options as AuthResolverOptions)), path);
  });

  it("rejects a non-object options argument", () => {
    for (const options of [42, "main", null, []]) expectInvalid(thrown(() => createAuthResolver(options as AuthResolverOptions)), "options");
  });

  it("accepts undefined for every optional option (exactOptionalPropertyTypes callers pass process.env values)", async () => {
    const resolver = createAuthResolver({ agentId: undefined, stateDir: undefined, oauth: { timeoutMs: undefined, tokenUrl: undefined }, logger: undefined } as unknown as AuthResolverOptions);
    await resolver.close();
  });

  it("never shows the value it refused, even a secret passed in the wrong place", () => {
    const error = thrown(() => createAuthResolver({ agentDir: { key: KEY_A } } as unknown as AuthResolverOptions));
    expectInvalid(error, "options.agentDir");
    expect(JSON.stringify(error) + String(error) + JSON.stringify((error as { details: unknown }).details)).not.toContain(KEY_A.slice(14, 30));
  });

  it("checks the client's own settings too", () => {
    expectInvalid(thrown(() => createAnthropicClient({ maxFailovers: -1 })), "options.maxFailovers");
    expectInvalid(thrown(() => createAnthropicClient({ maxFailovers: 1.5 })), "options.maxFailovers");
    expectInvalid(thrown(() => createAnthropicClient({ allowInsecureBaseUrl: "yes" } as never)), "options.allowInsecureBaseUrl");
  });
});

describe("resolver methods check their arguments", () => {
  it("rejects wrong-typed requests and profile ids with INVALID_ARGUMENT, and serves well-formed ones", async () => {
    const fx = await makeResolverFixture();
    try {
      await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
      const resolver = fx.resolver();
      for (const request of [42, "claude-sonnet-4-6", null, { model: 4 }, { exclude: "anthropic:a" }, { exclude: [1] }]) {
        expectInvalid(await resolver.resolve(request as never).catch((e: unknown) => e), expect.stringMatching(/^request/) as unknown as string);
      }
      for (const id of [5, null, "", { id: "anthropic:a" }]) {
        expectInvalid(await resolver.reportSuccess(id as never).catch((e: unknown) => e), "profileId");
        expectInvalid(await resolver.reportFailure(id as never, new Error("x")).catch((e: unknown) => e), "profileId");
        expectInvalid(await resolver.clearCooldown(id as never).catch((e: unknown) => e), "profileId");
      }
      expect((await resolver.resolve({ model: "claude-sonnet-4-6" })).profileId).toBe("anthropic:a");
      expect((await resolver.resolve()).profileId).toBe("anthropic:a");
      expectInvalid(await resolveAuth({ stateDir: fx.stateDir, model: 7 } as never).catch((e: unknown) => e), "request.model");
    } finally {
      await fx.cleanup();
    }
  });
});
