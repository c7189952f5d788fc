import { Anthropic, APIConnectionError, type Middleware } from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createAnthropicClient, type AuthProfilesClient } from "../../src/anthropic/client.js";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { deepFreeze } from "./deep-freeze.js";
import { memoryResolver, testApiKey, testToken, type MemoryProfile } from "./client-fixtures.js";

const MODEL = "claude-sonnet-4-6";
const MESSAGES = [{ role: "user" as const, content: "Hi" }];
const KEY_A = testApiKey("a");
const KEY_B = testApiKey("b");
const TOKEN = testToken("t");
const PROFILES: readonly MemoryProfile[] = [
  { id: "anthropic:a", mode: "api_key", secret: KEY_A },
  { id: "anthropic:b", mode: "api_key", secret: KEY_B },
];

let server: FakeAnthropic;
beforeAll(async () => {
  server = await startFakeAnthropic();
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
});

function client(profiles: readonly MemoryProfile[] = PROFILES, extra: { middleware?: Middleware[]; maxRetries?: number } = {}) {
  const resolver = memoryResolver(profiles);
  const anthropic = createAnthropicClient({ resolver, clientOptions: { baseURL: server.url, ...extra } });
  return { resolver, anthropic };
}

const create = (anthropic: Anthropic) => anthropic.messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES });

describe(createAnthropicClient.name, () => {
  it("writes the cache TTL that each attempt's credential allows, into the body object, never into the caller's params", async () => {
    const params = deepFreeze({
      model: MODEL,
      max_tokens: 32,
      system: [{ type: "text" as const, text: "Long system prompt", cache_control: { type: "ephemeral" as const } }],
      messages: MESSAGES,
    });
    const mixed: readonly MemoryProfile[] = [
      { id: "anthropic:a", mode: "api_key", secret: KEY_A, cacheControlTtl: "1h" },
      { id: "anthropic:t", mode: "token", secret: TOKEN, cacheControlTtl: "1h" },
    ];
    const { anthropic } = client(mixed);
    // a (nothing learned yet), t (the body was prepared with a's TTL), a, t, a (prepared again)
    for (let i = 0; i < 5; i += 1) await anthropic.messages.create(params);
    const seen = server.requests.map((r) => ({
      credential: r.credential,
      ttl: (r.body as { system: Array<{ cache_control: { ttl?: string } }> }).system[0]?.cache_control.ttl ?? null,
      beta: (r.headers["anthropic-beta"] ?? "").split(",").includes("extended-cache-ttl-2025-04-11"),
    }));
    expect(seen).toEqual([
      { credential: KEY_A, ttl: "1h", beta: true },
      { credential: TOKEN, ttl: null, beta: false },
      { credential: KEY_A, ttl: "1h", beta: true },
      { credential: TOKEN, ttl: null, beta: false },
      { credential: KEY_A, ttl: "1h", beta: true },
    ]);
    for (const r of server.requests) expect(r.body).toMatchObject({ model: MODEL, max_tokens: 32, messages: MESSAGES });

    server.reset();
    const keys = client(mixed.slice(0, 1).concat([{ id: "anthropic:b", mode: "api_key", secret: KEY_B, cacheControlTtl: "1h" }])).anthropic;
    for (let i = 0; i < 3; i += 1) await keys.messages.create(params); // the 2nd and 3rd are prepared once, before encoding
    expect(server.requests.map((r) => JSON.stringify(r.body).includes('"ttl":"1h"'))).toEqual([true, true, true]);
  });

  it("returns a real Anthropic client", () => {
    expect(client().anthropic).toBeInstanceOf(Anthropic);
  });

  it("never puts its placeholder credential on the wire", async () => {
    const { anthropic } = client([...PROFILES, { id: "anthropic:t", mode: "token", secret: TOKEN }]);
    await Promise.all(Array.from({ length: 6 }, () => create(anthropic)));
    await anthropic.messages.countTokens({ model: MODEL, messages: MESSAGES });
    expect(server.requests).toHaveLength(7);
    for (const request of server.requests) {
      expect([KEY_A, KEY_B, TOKEN]).toContain(request.credential);
      expect(JSON.stringify(request.headers)).not.toContain("placeholder");
      expect(request.headers["x-api-key"] !== undefined && request.headers["authorization"] !== undefined).toBe(false);
    }
  });

  it("ignores ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN in process.env", async () => {
    vi.stubEnv("ANTHROPIC_API_KEY", testApiKey("env"));
    vi.stubEnv("ANTHROPIC_AUTH_TOKEN", testToken("env"));
    await create(client().anthropic);
    expect(server.requests[0]?.credential).toBe(KEY_A);
  });

  it("refuses to send a request once the auth middleware was removed", async () => {
    const { anthropic } = client(PROFILES, { maxRetries: 0 });
    const bare = anthropic.withOptions({ middleware: [] });
    const error: unknown = await create(bare).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(isAuthProfilesError((error as Error).cause) && (error as { cause: { code: string } }).cause.code).toBe("INVALID_ARGUMENT");
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a credential in clientOptions", () => {
    const resolver = memoryResolver(PROFILES);
    expect(() => createAnthropicClient({ resolver, clientOptions: { apiKey: KEY_A } as never })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("runs the caller's middleware outside the failover: one attempt seen, the final response", async () => {
    const seen: number[] = [];
    const observer: Middleware = async (request, next) => {
      const response = await next(request);
      seen.push(response.status);
      return response;
    };
    const { anthropic } = client(PROFILES, { middleware: [observer] });
    server.setBehavior(KEY_A, { status: 429, retryAfterSec: 3600 });
    await create(anthropic);
    expect(seen).toEqual([200]);
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_B]);
  });

  it("keeps authResolver and authentication on withOptions clones", async () => {
    const { anthropic } = client();
    const clone = anthropic.withOptions({ timeout: 5_000 }) as AuthProfilesClient;
    expect(clone.authResolver).toBe(anthropic.authResolver);
    await create(clone);
    expect(server.requests[0]?.credential).toBe(KEY_A);
  });

  it("closes the resolver after the pending success reports", async () => {
    const { anthropic, resolver } = client();
    await create(anthropic);
    await anthropic.authResolver.close();
    expect(resolver.log.successes).toEqual(["anthropic:a"]);
    expect(resolver.closed).toBe(true);
  });

  it("passes the prompt-cache usage fields through untouched", async () => {
    const { anthropic } = client([{ id: "anthropic:a", mode: "api_key", secret: KEY_A, cacheControlTtl: "1h" }]);
    const params = {
      model: MODEL,
      max_tokens: 32,
      system: [{ type: "text" as const, text: "A long and stable system prompt. ".repeat(40), cache_control: { type: "ephemeral" as const } }],
      messages: MESSAGES,
    };
    const first = await anthropic.messages.create(params);
    const second = await anthropic.messages.create(params);
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(first.usage.cache_creation?.ephemeral_1h_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    const streamed = await anthropic.messages.stream(params).finalMessage();
    expect(streamed.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it("takes the base URL from the env option", async () => {
    const resolver = memoryResolver(PROFILES);
    const anthropic = createAnthropicClient({ resolver, env: { ANTHROPIC_BASE_URL: server.url } });
    await create(anthropic);
    expect(server.requests).toHaveLength(1);
  });

  it("authenticates beta.messages.create with betas", async () => {
    const { anthropic } = client([{ id: "anthropic:t", mode: "token", secret: TOKEN }]);
    await anthropic.beta.messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES, betas: ["files-api-2025-04-14"] });
    expect(server.requests[0]?.headers["anthropic-beta"]).toBe("files-api-2025-04-14,oauth-2025-04-20");
  });
});
