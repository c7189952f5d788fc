// Rule 6 of the quota issue: failover on a mid-stream error before any content, never after.
import { APIError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { key, MESSAGES, quotaClient, rawUsage, saveProfiles, SONNET, useQuotaSuite } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";

const suite = useQuotaSuite();

describe("a streaming response with an SSE error event", () => {
  it.each(["rate_limit_error", "overloaded_error"] as const)("fails over inside the same call when %s is the first event", async (type) => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { streamError: type });
    const client = quotaClient(suite.fx, [A, B]);
    const stream = await client.messages.create({ model: SONNET, max_tokens: 16, messages: MESSAGES, stream: true });
    const events: string[] = [];
    for await (const event of stream) events.push(event.type);
    expect(events.at(-1)).toBe("message_stop");
    expect(suite.credentials()).toEqual([key("a"), key("b")]);
    expect(await rawUsage(suite.fx, A)).toMatchObject({ cooldownReason: type === "rate_limit_error" ? "rate_limit" : "overloaded", cooldownModel: SONNET });
  });

  it("passes an error after content to the caller, records it, and never replays the call", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { streamError: "overloaded_error", afterContent: true });
    const client = quotaClient(suite.fx, [A, B]);
    const stream = await client.messages.create({ model: SONNET, max_tokens: 16, messages: MESSAGES, stream: true });
    const events: string[] = [];
    const error = await (async () => {
      for await (const event of stream) events.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(events).toContain("content_block_delta");
    await client.authResolver.close();
    expect(suite.credentials()).toEqual([key("a")]);
    expect(await rawUsage(suite.fx, A)).toMatchObject({ cooldownReason: "overloaded" });
  });

  it("leaves a healthy stream byte for byte as the server sent it", async () => {
    await saveProfiles(suite.fx, "a");
    const client = quotaClient(suite.fx, [A]);
    const final = await client.messages.stream({ model: SONNET, max_tokens: 16, messages: MESSAGES }).finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: "text", text: "Hello from the fake Anthropic server." })]);
    expect(suite.credentials()).toEqual([key("a")]);
  });
});
