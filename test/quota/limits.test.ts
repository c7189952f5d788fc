// Rules 1–4 of the quota issue, with the real SDK against the fake server on 127.0.0.1, which
// enforces per-key, per-family limits with Anthropic's real header names and formats.
import { describe, expect, it } from "vitest";
import { ask, iso, key, OPUS, quotaClient, rawUsage, saveProfiles, SONNET, token, useQuotaSuite } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";
const MINUTE = 60_000;
const HOUR = 3_600_000;

const suite = useQuotaSuite();

describe("rate-limit headers of every response", () => {
  it("moves to a profile with headroom once a success says the window is spent, without collecting a 429", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setLimit(key("a"), { requestsPerWindow: 2, windowMs: MINUTE });
    const client = quotaClient(suite.fx, [A, B]);
    for (let i = 0; i < 4; i += 1) await ask(client);
    expect(suite.credentials()).toEqual([key("a"), key("a"), key("b"), key("b")]);
    expect(suite.server.limitRejections).toBe(0);
    suite.clock.advance(MINUTE);
    await ask(client);
    expect(suite.credentials().at(-1)).toBe(key("a"));
  });

  it("shares the reading through the store: another resolver on the same store skips the spent profile", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setLimit(key("a"), { requestsPerWindow: 1, windowMs: MINUTE });
    await ask(quotaClient(suite.fx, [A, B]));
    await suite.fx.clients[0]?.authResolver.close();
    const stored = await rawUsage(suite.fx, A);
    expect(stored?.rateLimits?.["sonnet"]).toMatchObject({ exhaustedUntil: Math.ceil((suite.clock.now + 1) / MINUTE) * MINUTE, window: "requests" });
    await ask(quotaClient(suite.fx, [A, B]));
    expect(suite.credentials()).toEqual([key("a"), key("b")]);
    expect(suite.server.limitRejections).toBe(0);
  });

  it("writes the store only when exhaustion starts, not on every response", async () => {
    await saveProfiles(suite.fx, "a");
    suite.server.setLimit(key("a"), { requestsPerWindow: 50, windowMs: HOUR });
    const client = quotaClient(suite.fx, [A]);
    for (let i = 0; i < 5; i += 1) await ask(client);
    await client.authResolver.close();
    expect((await rawUsage(suite.fx, A))?.rateLimits).toBeUndefined();
  });

  it("reads the unified headers of a subscription: utilization at the threshold counts as spent", async () => {
    await saveProfiles(suite.fx, "ta", "b");
    suite.server.setLimit(token("ta"), { requestsPerWindow: 50, windowMs: HOUR });
    suite.server.setBehavior(token("ta"), { status: 200 });
    const client = quotaClient(suite.fx, ["anthropic:ta", B], { utilizationThreshold: 0.04 });
    await ask(client); // 1/50 = 0.02
    await ask(client); // 2/50 = 0.04: at the threshold
    await ask(client);
    expect(suite.credentials()).toEqual([token("ta"), token("ta"), key("b")]);
  });
});

describe("cooldown until the real reset", () => {
  it("rests a 429 whose -remaining is 0 until its -reset, not the 30 s ladder step", async () => {
    await saveProfiles(suite.fx, "a", "b");
    const reset = suite.clock.now + 7_000;
    suite.server.setBehavior(key("a"), {
      sequence: [
        { status: 429, headers: { "anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": iso(reset), "retry-after": "7" } },
        { status: 200 },
      ],
    });
    const client = quotaClient(suite.fx, [A, B]);
    await ask(client);
    expect(await rawUsage(suite.fx, A)).toMatchObject({ cooldownUntil: reset, cooldownReason: "rate_limit", cooldownModel: SONNET });
    suite.clock.advance(7_000);
    await ask(client);
    expect(suite.credentials()).toEqual([key("a"), key("b"), key("a")]);
  });

  it("rests a subscription 429 with unified status rejected and no retry-after until the unified reset", async () => {
    await saveProfiles(suite.fx, "ta", "b");
    const reset = Math.floor(suite.clock.now / 1_000) * 1_000 + 2 * HOUR;
    suite.server.setBehavior(token("ta"), {
      status: 429,
      headers: { "anthropic-ratelimit-unified-status": "rejected", "anthropic-ratelimit-unified-reset": String(reset / 1_000), "anthropic-ratelimit-unified-5h-status": "rejected" },
    });
    await ask(quotaClient(suite.fx, ["anthropic:ta", B]));
    expect((await rawUsage(suite.fx, "anthropic:ta"))?.cooldownUntil).toBe(reset);
  });

  it("treats a 429 without a quota signal as a transient throttle (the ladder), an absurd retry-after capped", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { status: 429, message: "Rate limited", headers: { "anthropic-ratelimit-requests-remaining": "12" } });
    const client = quotaClient(suite.fx, [A, B]);
    await ask(client);
    expect((await rawUsage(suite.fx, A))?.cooldownUntil).toBe(suite.clock.now + 30_000);
    suite.server.setBehavior(key("b"), { status: 429, retryAfterSec: 7_999 });
    suite.server.setBehavior(key("a"), { status: 200 });
    suite.clock.advance(30_000);
    await ask(quotaClient(suite.fx, [B, A]));
    expect((await rawUsage(suite.fx, B))?.cooldownUntil).toBe(suite.clock.now + HOUR);
  });
});

describe("cooldowns scoped by model family", () => {
  it("leaves profile A usable for Sonnet after a 429 for Opus, and lists the cooldown with its scope", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 200 }] });
    const client = quotaClient(suite.fx, [A, B]);
    await ask(client, OPUS);
    await ask(client, SONNET);
    await ask(client, OPUS);
    expect(suite.credentials()).toEqual([key("a"), key("b"), key("a"), key("b")]);
    expect(await rawUsage(suite.fx, A)).toMatchObject({ cooldownModel: OPUS, cooldownReason: "rate_limit", familyCooldowns: { opus: { reason: "rate_limit" } } });
    const status = await client.authResolver.status();
    expect(status.auth.unusableProfiles).toEqual([expect.objectContaining({ profileId: A, kind: "cooldown", family: "opus", reason: "rate_limit" })]);
  });

  it("cools the whole profile for auth and drops a stale cooldownModel", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 401 }] });
    const client = quotaClient(suite.fx, [A, B]);
    await ask(client, OPUS);
    await ask(client, SONNET);
    const usage = await rawUsage(suite.fx, A);
    expect(usage?.cooldownModel).toBeUndefined();
    expect(usage).toMatchObject({ cooldownReason: "auth" });
    await ask(client, "claude-haiku-4-5");
    expect(suite.credentials()).toEqual([key("a"), key("b"), key("a"), key("b"), key("b")]);
  });

  it("clears cooldownModel and cooldownReason on a success of that family", async () => {
    await saveProfiles(suite.fx, "a");
    suite.server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 200 }] });
    const client = quotaClient(suite.fx, [A]);
    await ask(client, OPUS).catch(() => undefined);
    suite.clock.advance(30_000);
    await ask(client, OPUS);
    await client.authResolver.close();
    const usage = await rawUsage(suite.fx, A);
    expect(usage?.cooldownModel).toBeUndefined();
    expect(usage?.cooldownReason).toBeUndefined();
    expect(usage?.cooldownUntil).toBeUndefined();
  });
});

describe("a sticky session and headroom", () => {
  it("keeps its profile until that profile is spent for the family", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setLimit(key("a"), { requestsPerWindow: 3, windowMs: MINUTE });
    suite.server.setLimit(key("b"), { requestsPerWindow: 3, windowMs: MINUTE });
    const client = quotaClient(suite.fx, null, { sessionId: "conversation-1" });
    for (let i = 0; i < 5; i += 1) await ask(client);
    const [first, ...rest] = suite.credentials();
    expect(rest.slice(0, 2)).toEqual([first, first]);
    expect(rest.slice(2)).toEqual([rest[2], rest[2]]);
    expect(rest[2]).not.toBe(first);
    expect(suite.server.limitRejections).toBe(0);
  });
});
