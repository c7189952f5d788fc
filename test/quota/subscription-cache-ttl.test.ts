// Rule 9 of the quota issue: the cache TTL on subscription auth is opt-in (`cacheTtlForSubscription`).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { ManualClock, quotaClient, saveProfiles, SONNET, type QuotaFixture } from "./support.js";

const T = "anthropic:t1";

let server: FakeAnthropic;
const clock = new ManualClock();
let fx: QuotaFixture;

beforeAll(async () => {
  server = await startFakeAnthropic({ now: () => clock.now });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  clock.now = Date.UTC(2026, 11, 1, 12, 0, 0);
  fx = { server, clock, tmp: await makeTmpHome({ createStateDir: true }), clients: [] };
});
afterEach(async () => {
  await Promise.all(fx.clients.splice(0).map((c) => c.authResolver.close()));
  server.reset();
  await fx.tmp.cleanup();
});

const config = {
  auth: { order: { anthropic: [T] } },
  agents: { defaults: { models: { [`anthropic/${SONNET}`]: { params: { cacheControlTtl: "1h" } } } } },
};
const params = {
  model: SONNET,
  max_tokens: 32,
  system: [{ type: "text" as const, text: "You are terse. ".repeat(400), cache_control: { type: "ephemeral" as const } }],
  messages: [{ role: "user" as const, content: "Hi" }],
};
const systemCacheControl = (): unknown => (server.requests[0]?.body as { system?: { cache_control?: unknown }[] } | undefined)?.system?.[0]?.cache_control;

describe("subscription cache TTL (opt-in)", () => {
  it("without the option a configured TTL is not written on a subscription token's request", async () => {
    await saveProfiles(fx, "t1");
    const client = quotaClient(fx, null, { config });
    const message = await client.messages.create(params);
    expect(message.usage.cache_creation?.ephemeral_1h_input_tokens ?? 0).toBe(0);
    expect(server.requests[0]?.scheme).toBe("bearer");
    expect(systemCacheControl()).toEqual({ type: "ephemeral" });
    const auth = await client.authResolver.resolve({ model: SONNET });
    expect(auth.cacheControlTtl).toBeNull();
    expect((await client.authResolver.status()).auth.cache.find((c) => c.model.endsWith(SONNET))?.applied).toBe(false);
  });

  it("with cacheTtlForSubscription: true the TTL is written on a subscription token's request", async () => {
    await saveProfiles(fx, "t1");
    const client = quotaClient(fx, null, { config, cacheTtlForSubscription: true });
    const message = await client.messages.create(params);
    expect(server.requests[0]?.scheme).toBe("bearer");
    expect(systemCacheControl()).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(message.usage.cache_creation?.ephemeral_1h_input_tokens).toBe(message.usage.cache_creation_input_tokens);
    const auth = await client.authResolver.resolve({ model: SONNET });
    expect(auth.cacheControlTtl).toBe("1h");
    expect((await client.authResolver.status()).auth.cache.find((c) => c.model.endsWith(SONNET))).toMatchObject({ applied: true, cacheControlTtl: "1h" });
  });

  it("rejects a non-boolean cacheTtlForSubscription", () => {
    expect(() => quotaClient(fx, null, { config, cacheTtlForSubscription: "yes" as unknown as boolean })).toThrow(/cacheTtlForSubscription/);
  });
});
