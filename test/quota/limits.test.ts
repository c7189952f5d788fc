// Rules 1–4 of the quota issue, with the real SDK against the fake server on 127.0.0.1, which
// enforces per-key, per-family limits with Anthropic's real header names and formats.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { ask, iso, key, ManualClock, OPUS, quotaClient, rawUsage, saveProfiles, SONNET, token, type QuotaFixture } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";
const MINUTE = 60_000;
const HOUR = 3_600_000;

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

const credentials = () => server.requests.map((r) => r.credential);

describe("rate-limit headers of every response", () => {
  it("moves to a profile with headroom once a success says the window is spent, without collecting a 429", async () => {
    await saveProfiles(fx, "a", "b");
    server.setLimit(key("a"), { requestsPerWindow: 2, windowMs: MINUTE });
    const client = quotaClient(fx, [A, B]);
    for (let i = 0; i < 4; i += 1) await ask(client);
    expect(credentials()).toEqual([key("a"), key("a"), key("b"), key("b")]);
    expect(server.limitRejections).toBe(0);
    clock.advance(MINUTE);
    await ask(client);
    expect(credentials().at(-1)).toBe(key("a"));
  });

  it("shares the reading through the store: another resolver on the same store skips the spent profile", async () => {
    await saveProfiles(fx, "a", "b");
    server.setLimit(key("a"), { requestsPerWindow: 1, windowMs: MINUTE });
    await ask(quotaClient(fx, [A, B]));
    await fx.clients[0]?.authResolver.close();
    const stored = await rawUsage(fx, A);
    expect(stored?.rateLimits?.["sonnet"]).toMatchObject({ exhaustedUntil: Math.ceil((clock.now + 1) / MINUTE) * MINUTE, window: "requests" });
    await ask(quotaClient(fx, [A, B]));
    expect(credentials()).toEqual([key("a"), key("b")]);
    expect(server.limitRejections).toBe(0);
  });

  it("writes the store only when exhaustion starts, not on every response", async () => {
    await saveProfiles(fx, "a");
    server.setLimit(key("a"), { requestsPerWindow: 50, windowMs: HOUR });
    const client = quotaClient(fx, [A]);
    for (let i = 0; i < 5; i += 1) await ask(client);
    await client.authResolver.close();
    expect((await rawUsage(fx, A))?.rateLimits).toBeUndefined();
  });

  it("reads the unified headers of a subscription: utilization at the threshold counts as spent", async () => {
    await saveProfiles(fx, "ta", "b");
    server.setLimit(token("ta"), { requestsPerWindow: 50, windowMs: HOUR });
    server.setBehavior(token("ta"), { status: 200 });
    const client = quotaClient(fx, ["anthropic:ta", B], { utilizationThreshold: 0.04 });
    await ask(client); // 1/50 = 0.02
    await ask(client); // 2/50 = 0.04: at the threshold
    await ask(client);
    expect(credentials()).toEqual([token("ta"), token("ta"), key("b")]);
  });
});

describe("cooldown until the real reset", () => {
  it("rests a 429 whose -remaining is 0 until its -reset, not the 30 s ladder step", async () => {
    await saveProfiles(fx, "a", "b");
    const reset = clock.now + 7_000;
    server.setBehavior(key("a"), {
      sequence: [
        { status: 429, headers: { "anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": iso(reset), "retry-after": "7" } },
        { status: 200 },
      ],
    });
    const client = quotaClient(fx, [A, B]);
    await ask(client);
    expect(await rawUsage(fx, A)).toMatchObject({ cooldownUntil: reset, cooldownReason: "rate_limit", cooldownModel: SONNET });
    clock.advance(7_000);
    await ask(client);
    expect(credentials()).toEqual([key("a"), key("b"), key("a")]);
  });

  it("rests a subscription 429 with unified status rejected and no retry-after until the unified reset", async () => {
    await saveProfiles(fx, "ta", "b");
    const reset = Math.floor(clock.now / 1_000) * 1_000 + 2 * HOUR;
    server.setBehavior(token("ta"), {
      status: 429,
      headers: { "anthropic-ratelimit-unified-status": "rejected", "anthropic-ratelimit-unified-reset": String(reset / 1_000), "anthropic-ratelimit-unified-5h-status": "rejected" },
    });
    await ask(quotaClient(fx, ["anthropic:ta", B]));
    expect((await rawUsage(fx, "anthropic:ta"))?.cooldownUntil).toBe(reset);
  });

  it("treats a 429 without a quota signal as a transient throttle (the ladder), an absurd retry-after capped", async () => {
    await saveProfiles(fx, "a", "b");
    server.setBehavior(key("a"), { status: 429, message: "Rate limited", headers: { "anthropic-ratelimit-requests-remaining": "12" } });
    const client = quotaClient(fx, [A, B]);
    await ask(client);
    expect((await rawUsage(fx, A))?.cooldownUntil).toBe(clock.now + 30_000);
    server.setBehavior(key("b"), { status: 429, retryAfterSec: 7_999 });
    server.setBehavior(key("a"), { status: 200 });
    clock.advance(30_000);
    await ask(quotaClient(fx, [B, A]));
    expect((await rawUsage(fx, B))?.cooldownUntil).toBe(clock.now + HOUR);
  });
});

describe("cooldowns scoped by model family", () => {
  it("leaves profile A usable for Sonnet after a 429 for Opus, and lists the cooldown with its scope", async () => {
    await saveProfiles(fx, "a", "b");
    server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 200 }] });
    const client = quotaClient(fx, [A, B]);
    await ask(client, OPUS);
    await ask(client, SONNET);
    await ask(client, OPUS);
    expect(credentials()).toEqual([key("a"), key("b"), key("a"), key("b")]);
    expect(await rawUsage(fx, A)).toMatchObject({ cooldownModel: OPUS, cooldownReason: "rate_limit", familyCooldowns: { opus: { reason: "rate_limit" } } });
    const status = await client.authResolver.status();
    expect(status.auth.unusableProfiles).toEqual([expect.objectContaining({ profileId: A, kind: "cooldown", family: "opus", reason: "rate_limit" })]);
  });

  it("cools the whole profile for auth and drops a stale cooldownModel", async () => {
    await saveProfiles(fx, "a", "b");
    server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 401 }] });
    const client = quotaClient(fx, [A, B]);
    await ask(client, OPUS);
    await ask(client, SONNET);
    const usage = await rawUsage(fx, A);
    expect(usage?.cooldownModel).toBeUndefined();
    expect(usage).toMatchObject({ cooldownReason: "auth" });
    await ask(client, "claude-haiku-4-5");
    expect(credentials()).toEqual([key("a"), key("b"), key("a"), key("b"), key("b")]);
  });

  it("clears cooldownModel and cooldownReason on a success of that family", async () => {
    await saveProfiles(fx, "a");
    server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 200 }] });
    const client = quotaClient(fx, [A]);
    await ask(client, OPUS).catch(() => undefined);
    clock.advance(30_000);
    await ask(client, OPUS);
    await client.authResolver.close();
    const usage = await rawUsage(fx, A);
    expect(usage?.cooldownModel).toBeUndefined();
    expect(usage?.cooldownReason).toBeUndefined();
    expect(usage?.cooldownUntil).toBeUndefined();
  });
});

describe("a sticky session and headroom", () => {
  it("keeps its profile until that profile is spent for the family", async () => {
    await saveProfiles(fx, "a", "b");
    server.setLimit(key("a"), { requestsPerWindow: 3, windowMs: MINUTE });
    server.setLimit(key("b"), { requestsPerWindow: 3, windowMs: MINUTE });
    const client = quotaClient(fx, null, { sessionId: "conversation-1" });
    for (let i = 0; i < 5; i += 1) await ask(client);
    const [first, ...rest] = credentials();
    expect(rest.slice(0, 2)).toEqual([first, first]);
    expect(rest.slice(2)).toEqual([rest[2], rest[2]]);
    expect(rest[2]).not.toBe(first);
    expect(server.limitRejections).toBe(0);
  });
});
