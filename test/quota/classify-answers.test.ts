// Rule 5 of the quota issue: what Anthropic actually answers, classified through the real SDK.
import { NotFoundError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { ask, key, quotaClient, rawUsage, saveProfiles, token, useQuotaSuite } from "./support.js";

const HOUR = 3_600_000;
const B = "anthropic:b";
const TA = "anthropic:ta";

const suite = useQuotaSuite();

describe("subscription answers", () => {
  it.each([
    "Third-party apps now draw from your extra usage, not your plan limits. Add more at claude.ai/settings/usage and keep going.",
    "You're out of extra usage. Add more at claude.ai/settings/usage and keep going.",
  ])("fails over at once on the 400 %j and rests that profile until the unified reset", async (message) => {
    await saveProfiles(suite.fx, "ta", "b");
    const reset = Math.floor(suite.clock.now / 1_000) * 1_000 + 3 * HOUR;
    suite.server.setBehavior(token("ta"), { status: 400, message, headers: { "anthropic-ratelimit-unified-reset": String(reset / 1_000) } });
    const client = quotaClient(suite.fx, [TA, B]);
    await ask(client);
    await ask(client, "claude-opus-4-7");
    expect(suite.credentials()).toEqual([token("ta"), key("b"), key("b")]);
    expect(await rawUsage(suite.fx, TA)).toMatchObject({ cooldownUntil: reset, cooldownReason: "rate_limit" });
    expect((await rawUsage(suite.fx, TA))?.cooldownModel).toBeUndefined();
  });

  it("rests an out-of-extra-usage profile for the stated default (1 h) when no reset is known", async () => {
    await saveProfiles(suite.fx, "ta", "b");
    suite.server.setBehavior(token("ta"), { status: 400, message: "You're out of extra usage. Add more at claude.ai/settings/usage and keep going." });
    await ask(quotaClient(suite.fx, [TA, B]));
    expect((await rawUsage(suite.fx, TA))?.cooldownUntil).toBe(suite.clock.now + HOUR);
  });

  it.each<[string, { status: 400 | 403; message: string; errorCode?: string }]>([
    ["403 OAuth token has been revoked", { status: 403, message: "OAuth token has been revoked. Please obtain a new token." }],
    ["400 organization_on_hold", { status: 400, message: "This organization has been disabled.", errorCode: "organization_on_hold" }],
    ["400 only authorized for use with Claude Code", { status: 400, message: "This credential is only authorized for use with Claude Code and cannot be used for other API requests." }],
  ])("puts %s in the permanent-auth lane: failover, a long profile-wide disable, cleared by clearCooldown", async (_name, behavior) => {
    await saveProfiles(suite.fx, "ta", "b");
    suite.server.setBehavior(token("ta"), behavior);
    const client = quotaClient(suite.fx, [TA, B]);
    await ask(client);
    expect(suite.credentials()).toEqual([token("ta"), key("b")]);
    expect(await rawUsage(suite.fx, TA)).toMatchObject({ disabledUntil: suite.clock.now + 24 * HOUR, disabledReason: "auth_permanent" });
    await client.authResolver.clearCooldown(TA);
    suite.server.setBehavior(token("ta"), { status: 200 });
    await ask(client);
    expect(suite.credentials().at(-1)).toBe(token("ta"));
  });
});

describe("API answers", () => {
  it("treats a 402 worded 'usage limit … try again later' as a rate limit, not a 5 h billing disable", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { status: 402, message: "You have reached your usage limit. Please try again later." });
    await ask(quotaClient(suite.fx, ["anthropic:a", B]));
    const usage = await rawUsage(suite.fx, "anthropic:a");
    expect(usage).toMatchObject({ cooldownUntil: suite.clock.now + 30_000, cooldownReason: "rate_limit" });
    expect(usage?.disabledUntil).toBeUndefined();
  });

  it("classifies 429 spend caps as billing and a ramp limit as transient", async () => {
    await saveProfiles(suite.fx, "a", "c", "b");
    suite.server.setBehavior(key("a"), { status: 429, errorCode: "enforced_spend_limit_reached", message: "Spend limit reached" });
    suite.server.setBehavior(key("c"), { status: 429, errorCode: "ramp_limit_exceeded", message: "Ramping", retryAfterSec: 2 });
    await ask(quotaClient(suite.fx, ["anthropic:a", "anthropic:c", B]));
    expect(await rawUsage(suite.fx, "anthropic:a")).toMatchObject({ disabledReason: "billing", disabledUntil: suite.clock.now + 5 * HOUR });
    expect(await rawUsage(suite.fx, "anthropic:c")).toMatchObject({ cooldownReason: "rate_limit", cooldownUntil: suite.clock.now + 30_000 });
  });

  it("cools nothing and does not fail over for a 404 unknown model", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { status: 404, message: "model: claude-sonnet-4-5" });
    const error = await ask(quotaClient(suite.fx, ["anthropic:a", B]), "claude-sonnet-4-5").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(suite.credentials()).toEqual([key("a")]);
    expect((await rawUsage(suite.fx, "anthropic:a"))?.cooldownUntil).toBeUndefined();
  });
});
