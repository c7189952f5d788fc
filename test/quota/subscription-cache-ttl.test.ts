// Rule 9 of the quota issue: the cache TTL on subscription auth is opt-in (`cacheTtlForSubscription`).
import { describe, expect, it } from "vitest";
import { quotaClient, saveProfiles, SONNET, useQuotaSuite } from "./support.js";
import type { AuthProfilesConfigInput } from "../../src/config/input-types.js";

const T = "anthropic:t1";

const suite = useQuotaSuite();

const config = {
  auth: { order: { anthropic: [T] } },
  agents: { defaults: { models: { [`anthropic/${SONNET}`]: { params: { cacheControlTtl: "1h" } } } } },
} satisfies AuthProfilesConfigInput;
const params = {
  model: SONNET,
  max_tokens: 32,
  system: [{ type: "text" as const, text: "You are terse. ".repeat(400), cache_control: { type: "ephemeral" as const } }],
  messages: [{ role: "user" as const, content: "Hi" }],
};
const systemCacheControl = (): unknown => (suite.server.requests[0]?.body as { system?: { cache_control?: unknown }[] } | undefined)?.system?.[0]?.cache_control;

describe("subscription cache TTL (opt-in)", () => {
  it("without the option a configured TTL is not written on a subscription token's request", async () => {
    await saveProfiles(suite.fx, "t1");
    const client = quotaClient(suite.fx, null, { config });
    const message = await client.messages.create(params);
    expect(message.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0).toBe(0);
    expect(suite.server.requests[0]?.scheme).toBe("bearer");
    expect(systemCacheControl()).toEqual({ type: "ephemeral" });
    const auth = await client.authResolver.resolve({ model: SONNET });
    expect(auth.cacheControlTtl).toBeNull();
    expect((await client.authResolver.status()).auth.cache.find((c) => c.model.endsWith(SONNET))?.applied).toBe(false);
  });

  it("with cacheTtlForSubscription: true the TTL is written on a subscription token's request", async () => {
    await saveProfiles(suite.fx, "t1");
    const client = quotaClient(suite.fx, null, { config, cacheTtlForSubscription: true });
    const message = await client.messages.create(params);
    expect(suite.server.requests[0]?.scheme).toBe("bearer");
    expect(systemCacheControl()).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(message.usage.cache_creation?.ephemeral_1h_input_tokens).toBe(message.usage.cache_creation_input_tokens);
    const auth = await client.authResolver.resolve({ model: SONNET });
    expect(auth.cacheControlTtl).toBe("1h");
    expect((await client.authResolver.status()).auth.cache.find((c) => c.model.endsWith(SONNET))).toMatchObject({ applied: true, cacheControlTtl: "1h" });
  });

  it("rejects a non-boolean cacheTtlForSubscription", () => {
    expect(() => quotaClient(suite.fx, null, { config, cacheTtlForSubscription: "yes" as unknown as boolean })).toThrow(/cacheTtlForSubscription/);
  });
});
