// Rule 6 of the quota issue: failover on a mid-stream error before any content, never after.
import { APIError } from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { key, ManualClock, MESSAGES, quotaClient, rawUsage, saveProfiles, SONNET, type QuotaFixture } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";

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

describe("a streaming response with an SSE error event", () => {
  it.each(["rate_limit_error", "overloaded_error"] as const)("fails over inside the same call when %s is the first event", async (type) => {
    await saveProfiles(fx, "a", "b");
    server.setBehavior(key("a"), { streamError: type });
    const client = quotaClient(fx, [A, B]);
    const stream = await client.messages.create({ model: SONNET, max_tokens: 16, messages: MESSAGES, stream: true });
    const events: string[] = [];
    for await (const event of stream) events.push(event.type);
    expect(events.at(-1)).toBe("message_stop");
    expect(credentials()).toEqual([key("a"), key("b")]);
    expect(await rawUsage(fx, A)).toMatchObject({ cooldownReason: type === "rate_limit_error" ? "rate_limit" : "overloaded", cooldownModel: SONNET });
  });

  it("passes an error after content to the caller, records it, and never replays the call", async () => {
    await saveProfiles(fx, "a", "b");
    server.setBehavior(key("a"), { streamError: "overloaded_error", afterContent: true });
    const client = quotaClient(fx, [A, B]);
    const stream = await client.messages.create({ model: SONNET, max_tokens: 16, messages: MESSAGES, stream: true });
    const events: string[] = [];
    const error = await (async () => {
      for await (const event of stream) events.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(events).toContain("content_block_delta");
    await client.authResolver.close();
    expect(credentials()).toEqual([key("a")]);
    expect(await rawUsage(fx, A)).toMatchObject({ cooldownReason: "overloaded" });
  });

  it("leaves a healthy stream byte for byte as the server sent it", async () => {
    await saveProfiles(fx, "a");
    const client = quotaClient(fx, [A]);
    const final = await client.messages.stream({ model: SONNET, max_tokens: 16, messages: MESSAGES }).finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: "text", text: "Hello from the fake Anthropic server." })]);
    expect(credentials()).toEqual([key("a")]);
  });
});
