// Rule 8 of the quota issue: observable decisions, never a secret.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AuthEvent } from "../../src/model/events.js";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { ask, key, ManualClock, OPUS, quotaClient, saveProfiles, SONNET, token, type QuotaFixture } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";
const MINUTE = 60_000;

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

describe("onEvent", () => {
  it("reports selected, failover, cooldown, limitsUpdated and cooldownCleared with profile, family, reason and retry time", async () => {
    await saveProfiles(fx, "a", "b");
    server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 200 }] });
    server.setLimit(key("b"), { requestsPerWindow: 1, windowMs: MINUTE });
    const events: AuthEvent[] = [];
    const client = quotaClient(fx, [A, B], { onEvent: (event) => events.push(event) });
    await ask(client, OPUS);
    clock.advance(30_000);
    await ask(client, OPUS);
    await client.authResolver.close();
    expect(events).toContainEqual(expect.objectContaining({ type: "selected", profileId: A, family: "opus", mode: "api_key" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "failover", profileId: A, family: "opus", reason: "rate_limit" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "cooldown", profileId: A, family: "opus", reason: "rate_limit", kind: "cooldown", retryAt: clock.now }));
    expect(events).toContainEqual(expect.objectContaining({ type: "limitsUpdated", profileId: B, family: "opus", window: "requests" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "cooldownCleared", profileId: A, family: "opus" }));
  });

  it("never carries a secret, and a throwing listener changes nothing", async () => {
    await saveProfiles(fx, "ta", "b");
    server.setBehavior(token("ta"), { status: 403, message: "OAuth token has been revoked. Please obtain a new token." });
    const events: AuthEvent[] = [];
    const client = quotaClient(fx, ["anthropic:ta", B], {
      onEvent: (event) => {
        events.push(event);
        throw new Error("listener bug");
      },
    });
    const message = await ask(client, SONNET);
    expect(message.type).toBe("message");
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["selected", "failover", "cooldown"]));
    expect(events).toContainEqual(expect.objectContaining({ type: "cooldown", profileId: "anthropic:ta", family: null, reason: "auth_permanent", kind: "disabled" }));
    const text = JSON.stringify(events);
    for (const secret of [token("ta"), key("b")]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(13, 30));
    }
  });
});
