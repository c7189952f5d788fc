import {
  Anthropic,
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from "@anthropic-ai/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toRequestHeaders } from "../../src/request/auth-headers.js";
import { decorateRequest } from "../../src/request/decorate.js";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";

const API_KEY = "sk-ant-api03-fakefakefakefakefakefakefake0001";
const OTHER_KEY = "sk-ant-api03-fakefakefakefakefakefakefake0002";
const TOKEN = "sk-ant-oat01-fakefakefakefakefakefakefake0003";
const MODEL = "claude-sonnet-5";
const LONG_SYSTEM = "You answer questions about the fake server. ".repeat(40);

let server: FakeAnthropic;
let clockMs = 1_700_000_000_000;

beforeEach(async () => {
  clockMs = 1_700_000_000_000;
  server = await startFakeAnthropic({ now: () => clockMs });
});
afterEach(async () => {
  await server.close();
});

function client(options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0, ...options });
}

const hello = { model: MODEL, max_tokens: 64, messages: [{ role: "user" as const, content: "Hello" }] };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe(startFakeAnthropic.name, () => {
  it("answers messages.create with a message and records the request", async () => {
    const message = await client().messages.create(hello);
    expect(message.type).toBe("message");
    expect(message.content).toEqual([{ type: "text", text: "Hello from the fake Anthropic server.", citations: null }]);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.cache_read_input_tokens).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({ method: "POST", path: "/v1/messages", credential: API_KEY, scheme: "bearer", body: hello, at: clockMs });
    expect(recorded?.headers["anthropic-version"]).toBeDefined();
  });

  it("streams events that messages.stream() assembles into the final message", async () => {
    const message = await client().messages.stream(hello).finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "Hello from the fake Anthropic server.", citations: null }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBeGreaterThan(1);
  });

  it("streams raw events for stream: true", async () => {
    const stream = await client().messages.create({ ...hello, stream: true });
    const types: string[] = [];
    let text = "";
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    }
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
    expect(types.filter((t) => t === "content_block_delta").length).toBeGreaterThan(1);
    expect(text).toBe("Hello from the fake Anthropic server.");
  });

  it("counts tokens", async () => {
    const count = await client().messages.countTokens({ model: MODEL, messages: hello.messages });
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(server.requests[0]?.path).toBe("/v1/messages/count_tokens");
  });

  it("reports cache creation on first sight of a prefix and reads afterwards, until the TTL runs out", async () => {
    const body = {
      ...hello,
      system: [{ type: "text" as const, text: LONG_SYSTEM, cache_control: { type: "ephemeral" as const, ttl: "1h" as const } }],
    };
    const first = await client().messages.create(body);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: first.usage.cache_creation_input_tokens });
    expect(first.usage.cache_read_input_tokens).toBe(0);
    clockMs += 30 * 60_000;
    const second = await client().messages.create(body);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    clockMs += 61 * 60_000;
    const third = await client().messages.create(body);
    expect(third.usage.cache_read_input_tokens).toBe(0);
    expect(third.usage.cache_creation_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it("rejects a 1h breakpoint after a 5m one and a fifth breakpoint, like the API", async () => {
    const block = (ttl: "5m" | "1h") => ({ type: "text" as const, text: "x", cache_control: { type: "ephemeral" as const, ttl } });
    const mixed = rejection(client().messages.create({ ...hello, system: [block("5m"), block("1h")] }));
    expect(await mixed).toBeInstanceOf(BadRequestError);
    const many = rejection(client().messages.create({ ...hello, system: [block("1h"), block("1h"), block("1h"), block("5m"), block("5m")] }));
    expect(await many).toBeInstanceOf(BadRequestError);
  });

  it("surfaces a 429 with retry-after as a RateLimitError carrying the headers", async () => {
    server.setBehavior(API_KEY, { status: 429, retryAfterSec: 30 });
    const error = await rejection(client().messages.create(hello));
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.headers?.get("retry-after")).toBe("30");
    expect(rateLimit.requestID).toMatch(/^req_fake_/);
    expect(rateLimit.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("times out on a hanging request with APIConnectionTimeoutError", async () => {
    server.setBehavior(API_KEY, { hang: true });
    const error = await rejection(client({ timeout: 300 }).messages.create(hello));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it("consumes a sequence one request at a time, then repeats the last step; other credentials keep the default", async () => {
    server.setBehavior(API_KEY, { sequence: [{ status: 529 }, { status: 200 }] });
    expect(await rejection(client().messages.create(hello))).toBeInstanceOf(OverloadedError);
    await client().messages.create(hello);
    await client().messages.create(hello);
    server.setDefaultBehavior({ status: 402 });
    expect(await rejection(client({ apiKey: OTHER_KEY }).messages.create(hello))).toMatchObject({ status: 402 });
    await client().messages.create(hello);
  });

  it("answers 401 without any credential", async () => {
    const response = await fetch(`${server.url}/v1/messages?beta=true`, { method: "POST", body: JSON.stringify(hello) });
    expect(response.status).toBe(401);
    expect(response.headers.get("request-id")).toMatch(/^req_fake_/);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "authentication_error", message: "x-api-key header is required" } });
    expect(server.requests[0]).toMatchObject({ credential: null, scheme: null, path: "/v1/messages", url: "/v1/messages?beta=true" });
  });

  it("rejects an OAuth token sent without the oauth beta, like the API", async () => {
    const error = await rejection(client({ apiKey: null, authToken: TOKEN }).messages.create(hello));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toContain("OAuth authentication is currently not supported.");
    const withBeta = client({ apiKey: null, authToken: TOKEN, defaultHeaders: { "anthropic-beta": "oauth-2025-04-20" } });
    await withBeta.messages.create(hello);
    expect(server.requests[1]).toMatchObject({ credential: TOKEN, scheme: "bearer" });
  });

  it("refuses an OAuth token sent as x-api-key", async () => {
    const error = await rejection(client({ apiKey: null, defaultHeaders: { "x-api-key": TOKEN, authorization: null } }).messages.create(hello));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(server.requests[0]).toMatchObject({ credential: TOKEN, scheme: "x-api-key" });
  });

  it("records beta.messages betas as the anthropic-beta header", async () => {
    await client().beta.messages.create({ ...hello, betas: ["files-api-2025-04-14"] });
    expect(server.requests[0]?.path).toBe("/v1/messages");
    expect(server.requests[0]?.headers["anthropic-beta"]).toBe("files-api-2025-04-14");
    expect(server.requests[0]?.body).not.toHaveProperty("betas");
  });

  it("answers 401 to credentials outside validCredentials", async () => {
    await server.close();
    server = await startFakeAnthropic({ validCredentials: [API_KEY] });
    await client().messages.create(hello);
    expect(await rejection(client({ apiKey: OTHER_KEY }).messages.create(hello))).toBeInstanceOf(AuthenticationError);
  });

  it("records what decorateRequest sends through the SDK: x-api-key only, merged betas, TTLs", async () => {
    const auth = { mode: "api_key", secret: OTHER_KEY, cacheControlTtl: "1h" } as const;
    const body = { ...hello, system: [{ type: "text" as const, text: LONG_SYSTEM, cache_control: { type: "ephemeral" as const } }] };
    const { params, ...decoration } = decorateRequest(auth, body, { headers: { "anthropic-beta": "files-api-2025-04-14" } });
    const message = await client().messages.create(params, { headers: toRequestHeaders(decoration) });
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({ credential: OTHER_KEY, scheme: "x-api-key" });
    expect(recorded?.headers["authorization"]).toBeUndefined();
    expect(recorded?.headers["anthropic-beta"]).toBe("files-api-2025-04-14,extended-cache-ttl-2025-04-11");
    expect(recorded?.body).toMatchObject({ system: [{ cache_control: { type: "ephemeral", ttl: "1h" } }] });
    expect(message.usage.cache_creation?.ephemeral_1h_input_tokens).toBeGreaterThan(0);
  });

  it("records what decorateRequest sends for a token: bearer only, oauth beta merged after the caller's", async () => {
    const auth = { mode: "oauth", secret: TOKEN, cacheControlTtl: "1h" } as const;
    const { params, ...decoration } = decorateRequest(auth, { ...hello, betas: ["files-api-2025-04-14"] });
    await client().beta.messages.create(params, { headers: toRequestHeaders(decoration) });
    const [recorded] = server.requests;
    expect(recorded).toMatchObject({ credential: TOKEN, scheme: "bearer" });
    expect(recorded?.headers["x-api-key"]).toBeUndefined();
    expect(recorded?.headers["anthropic-beta"]).toBe("files-api-2025-04-14,oauth-2025-04-20");
    expect(recorded?.body).toEqual(hello);
  });

  it("fails the connection on reset, and surfaces an HTML 502 and a truncated body as errors", async () => {
    server.setBehavior(API_KEY, { sequence: [{ reset: true }, { html: true }, { truncated: true }, { truncated: true }] });
    expect(await rejection(client().messages.create(hello))).toBeInstanceOf(APIConnectionError);
    const html = await rejection(client().messages.create(hello));
    expect(html).toBeInstanceOf(InternalServerError);
    expect((html as InternalServerError).status).toBe(502);
    expect(await rejection(client().messages.create(hello))).toBeInstanceOf(Error);
    expect(await rejection(client().messages.stream(hello).finalMessage())).toBeInstanceOf(Error);
  });

  it("answers after delayMs", async () => {
    server.setBehavior(API_KEY, { delayMs: 20 });
    const message = await client().messages.create(hello);
    expect(message.type).toBe("message");
  });

  it("closes hanging connections on close(), and reset() forgets requests and behaviours", async () => {
    server.setBehavior(API_KEY, { hang: true });
    const pending = rejection(client().messages.create(hello));
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    server.reset();
    expect(server.requests).toEqual([]);
    await server.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
    await server.close();
  });
});
