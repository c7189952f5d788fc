// Rule 4 of the quota issue (prefer headroom), as the policy that meets the bench goals: a pair the
// headers say is used up rests until its reset like a cooldown; requests in flight count against
// the room a response reported; a burst over profiles never read spreads; a 429 whose reset has
// just passed sets no cooldown. Real SDK against the fake server on 127.0.0.1.
import { describe, expect, it } from "vitest";
import { ask, iso, key, OPUS, quotaClient, rawUsage, saveProfiles, SONNET, token, useQuotaSuite } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";
const MINUTE = 60_000;

const suite = useQuotaSuite();

describe("a pair the headers say is used up rests until its reset", () => {
  it("is skipped, not tried after the others: a failover over it ends without sending it a request", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setLimit(key("a"), { requestsPerWindow: 1, windowMs: MINUTE });
    suite.server.setBehavior(key("b"), { status: 429, message: "Too many requests" });
    const client = quotaClient(suite.fx, [A, B]);
    await ask(client); // a: 200, remaining 0
    const error = await ask(client).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NO_AVAILABLE_PROFILE" });
    expect(suite.credentials()).toEqual([key("a"), key("b")]);
    expect(suite.server.limitRejections).toBe(0);
    const resting = (error as { unusableProfiles: readonly { profileId: string; window?: string; family?: string; until: number }[] }).unusableProfiles.find((p) => p.profileId === A);
    expect(resting).toMatchObject({ family: "sonnet", window: "requests", until: Math.ceil((suite.clock.now + 1) / MINUTE) * MINUTE });
  });

  it("after a success with remaining 0, the next call is not sent (no half-open probe either) until the reset, then it is", async () => {
    await saveProfiles(suite.fx, "a");
    suite.server.setLimit(key("a"), { requestsPerWindow: 1, windowMs: MINUTE });
    const client = quotaClient(suite.fx, [A]);
    await ask(client);
    const reset = Math.ceil((suite.clock.now + 1) / MINUTE) * MINUTE;
    await expect(ask(client)).rejects.toMatchObject({ code: "NO_AVAILABLE_PROFILE", retryAt: reset });
    expect(suite.server.requests).toHaveLength(1);
    suite.clock.now = reset;
    await ask(client);
    expect(suite.credentials()).toEqual([key("a"), key("a")]);
    expect(suite.server.limitRejections).toBe(0);
  });

  it("keeps the other family usable on the same profile", async () => {
    await saveProfiles(suite.fx, "a");
    suite.server.setLimit(key("a"), { requestsPerWindow: 1, windowMs: MINUTE });
    const client = quotaClient(suite.fx, [A]);
    await ask(client, SONNET);
    await ask(client, OPUS);
    await expect(ask(client, SONNET)).rejects.toMatchObject({ code: "NO_AVAILABLE_PROFILE" });
    expect(suite.server.limitRejections).toBe(0);
  });

  it("a soft exhaustion (utilization at the threshold, still answered) is tried last, not skipped", async () => {
    await saveProfiles(suite.fx, "ta");
    suite.server.setLimit(token("ta"), { requestsPerWindow: 50, windowMs: MINUTE });
    const client = quotaClient(suite.fx, ["anthropic:ta"], { utilizationThreshold: 0.04 });
    for (let i = 0; i < 3; i += 1) await ask(client);
    expect(suite.credentials()).toEqual([token("ta"), token("ta"), token("ta")]);
  });
});

describe("requests in flight count against the room a response reported", () => {
  it("sends a spent-but-one key no more than its room when calls run concurrently", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setLimit(key("a"), { requestsPerWindow: 3, windowMs: MINUTE });
    const client = quotaClient(suite.fx, [A, B]);
    await ask(client); // a: remaining 2
    await Promise.all([ask(client), ask(client), ask(client), ask(client)]);
    expect(suite.server.limitRejections).toBe(0);
    expect(suite.credentials().filter((c) => c === key("a"))).toHaveLength(3);
    expect(suite.credentials().filter((c) => c === key("b"))).toHaveLength(2);
  });

  it("turns a subscription's utilization into requests with the step one request was seen to take", async () => {
    await saveProfiles(suite.fx, "ta", "b");
    suite.server.setLimit(token("ta"), { requestsPerWindow: 4, windowMs: MINUTE });
    const client = quotaClient(suite.fx, ["anthropic:ta", B]);
    await ask(client); // 0.25
    await ask(client); // 0.5: one request takes 0.25, room for 2
    await Promise.all([ask(client), ask(client), ask(client), ask(client)]);
    expect(suite.server.limitRejections).toBe(0);
    expect(suite.credentials().filter((c) => c === token("ta"))).toHaveLength(4);
  });

  it("spreads a burst over profiles never read yet instead of piling it onto the first", async () => {
    await saveProfiles(suite.fx, "ta", "b", "c");
    suite.server.setLimit(token("ta"), { requestsPerWindow: 1, windowMs: MINUTE });
    const client = quotaClient(suite.fx, null);
    await Promise.all([ask(client), ask(client), ask(client)]);
    expect(suite.server.limitRejections).toBe(0);
    expect(new Set(suite.credentials())).toEqual(new Set([token("ta"), key("b"), key("c")]));
  });
});

describe("a 429 whose reset has already passed", () => {
  it("sets no cooldown: the window refilled while the answer was on its way", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), {
      sequence: [{ status: 429, headers: { "anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": iso(suite.clock.now - 1_000), "retry-after": "1" } }, { status: 200 }],
    });
    const client = quotaClient(suite.fx, [A, B]);
    await ask(client);
    await ask(client);
    expect(suite.credentials()).toEqual([key("a"), key("b"), key("a")]);
    const stats = await rawUsage(suite.fx, A);
    expect(stats?.cooldownUntil).toBeUndefined();
    expect(stats?.familyCooldowns?.["sonnet"]).toBeUndefined();
  });
});
