// Rule 8 of the quota issue: observable decisions, never a secret.
import { describe, expect, it } from "vitest";
import type { AuthEvent } from "../../src/model/events.js";
import { ask, key, OPUS, quotaClient, saveProfiles, SONNET, token, useQuotaSuite } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";
const MINUTE = 60_000;

const suite = useQuotaSuite();

describe("onEvent", () => {
  it("reports selected, failover, cooldown, limitsUpdated and cooldownCleared with profile, family, reason and retry time", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { sequence: [{ status: 429 }, { status: 200 }] });
    suite.server.setLimit(key("b"), { requestsPerWindow: 1, windowMs: MINUTE });
    const events: AuthEvent[] = [];
    const client = quotaClient(suite.fx, [A, B], { onEvent: (event) => events.push(event) });
    await ask(client, OPUS);
    suite.clock.advance(30_000);
    await ask(client, OPUS);
    await client.authResolver.close();
    expect(events).toContainEqual(expect.objectContaining({ type: "selected", profileId: A, family: "opus", mode: "api_key" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "failover", profileId: A, family: "opus", reason: "rate_limit" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "cooldown", profileId: A, family: "opus", reason: "rate_limit", kind: "cooldown", retryAt: suite.clock.now }));
    expect(events).toContainEqual(expect.objectContaining({ type: "limitsUpdated", profileId: B, family: "opus", window: "requests" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "cooldownCleared", profileId: A, family: "opus" }));
  });

  it("never carries a secret, and a throwing listener changes nothing", async () => {
    await saveProfiles(suite.fx, "ta", "b");
    suite.server.setBehavior(token("ta"), { status: 403, message: "OAuth token has been revoked. Please obtain a new token." });
    const events: AuthEvent[] = [];
    const client = quotaClient(suite.fx, ["anthropic:ta", B], {
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
