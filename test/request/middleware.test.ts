import { Anthropic, RateLimitError } from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isAuthProfilesError, NoAvailableProfileError } from "../../src/model/errors.js";
import { authMiddleware, type AuthMiddlewareOptions } from "../../src/anthropic/middleware.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { memoryResolver, testApiKey, testToken, type MemoryProfile } from "./client-fixtures.js";

const MODEL = "claude-sonnet-4-6";
const MESSAGES = [{ role: "user" as const, content: "Hi" }];
const KEY_A = testApiKey("a");
const KEY_B = testApiKey("b");
const KEY_C = testApiKey("c");
const TOKEN = testToken("t");
/** The SDK's own credential in these tests: the middleware must replace it on every request. */
const SDK_KEY = "sdk-own-key-must-not-be-sent";

let server: FakeAnthropic;
beforeAll(async () => {
  server = await startFakeAnthropic();
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
});

function sdk(resolver: AuthResolver, options: AuthMiddlewareOptions = {}, maxRetries = 2): Anthropic {
  return new Anthropic({ apiKey: SDK_KEY, baseURL: server.url, maxRetries, middleware: [authMiddleware(resolver, options)] });
}

function create(client: Anthropic) {
  return client.messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES });
}

const keys = (...ids: string[]): MemoryProfile[] => ids.map((id) => ({ id: `anthropic:${id}`, mode: "api_key", secret: testApiKey(id) }));

describe(authMiddleware.name, () => {
  it("sends an API key as x-api-key only, replacing the SDK's own credential", async () => {
    await create(sdk(memoryResolver([{ id: "anthropic:a", mode: "api_key", secret: KEY_A }])));
    const [request] = server.requests;
    expect(request?.headers["x-api-key"]).toBe(KEY_A);
    expect(request?.headers["authorization"]).toBeUndefined();
    expect(JSON.stringify(request?.headers)).not.toContain(SDK_KEY);
  });

  it("sends a token as Bearer with the OAuth beta and no x-api-key", async () => {
    await create(sdk(memoryResolver([{ id: "anthropic:t", mode: "token", secret: TOKEN }])));
    const [request] = server.requests;
    expect(request?.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["x-api-key"]).toBeUndefined();
    expect(request?.headers["anthropic-beta"]?.split(",")).toContain("oauth-2025-04-20");
  });

  it("overwrites a credential header the caller set on the request", async () => {
    const client = sdk(memoryResolver([{ id: "anthropic:t", mode: "token", secret: TOKEN }]));
    await client.messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES }, { headers: { "x-api-key": KEY_C, authorization: `Bearer ${KEY_C}` } });
    const [request] = server.requests;
    expect(request?.credential).toBe(TOKEN);
    expect(request?.headers["x-api-key"]).toBeUndefined();
  });

  it("merges the credential's betas with the caller's betas, anthropic-beta header and default header", async () => {
    const resolver = memoryResolver([{ id: "anthropic:t", mode: "token", secret: TOKEN }]);
    // The SDK itself lets a per-request header replace `betas`, so each source is checked alone.
    await sdk(resolver).beta.messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES, betas: ["files-api-2025-04-14"] });
    await sdk(resolver).messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES }, { headers: { "anthropic-beta": "context-1m-2025-08-07" } });
    const withDefaults = new Anthropic({
      apiKey: SDK_KEY,
      baseURL: server.url,
      defaultHeaders: { "anthropic-beta": "interleaved-thinking-2025-05-14" },
      middleware: [authMiddleware(resolver)],
    });
    await withDefaults.messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES });
    const betas = server.requests.map((r) => r.headers["anthropic-beta"]);
    expect(betas).toEqual([
      "files-api-2025-04-14,oauth-2025-04-20",
      "context-1m-2025-08-07,oauth-2025-04-20",
      "interleaved-thinking-2025-05-14,oauth-2025-04-20",
    ]);
  });

  it("writes the cache TTL for an API key without changing the caller's params", async () => {
    const client = sdk(memoryResolver([{ id: "anthropic:a", mode: "api_key", secret: KEY_A, cacheControlTtl: "1h" }]));
    const params = {
      model: MODEL,
      max_tokens: 32,
      system: [{ type: "text" as const, text: "Long system prompt", cache_control: { type: "ephemeral" as const } }],
      messages: MESSAGES,
    };
    const before = structuredClone(params);
    await client.messages.create(params);
    expect(params).toEqual(before);
    const request = server.requests[0];
    expect(request?.body).toMatchObject({ system: [{ cache_control: { type: "ephemeral", ttl: "1h" } }] });
    expect(request?.headers["anthropic-beta"]?.split(",")).toContain("extended-cache-ttl-2025-04-11");
  });

  it("leaves the body alone for a token even when a TTL would apply", async () => {
    const client = sdk(memoryResolver([{ id: "anthropic:t", mode: "token", secret: TOKEN, cacheControlTtl: "1h" }]));
    await client.messages.create({
      model: MODEL,
      max_tokens: 32,
      system: [{ type: "text", text: "Long system prompt", cache_control: { type: "ephemeral" } }],
      messages: MESSAGES,
    });
    expect(server.requests[0]?.body).toMatchObject({ system: [{ cache_control: { type: "ephemeral" } }] });
    expect(JSON.stringify(server.requests[0]?.body)).not.toContain('"ttl"');
  });

  it("passes the model of the call to the resolver", async () => {
    const resolver = memoryResolver(keys("a"));
    await create(sdk(resolver));
    expect(resolver.log.resolves[0]).toMatchObject({ provider: "anthropic", model: MODEL });
  });

  it("fails over to the next profile within one call on a 429, without sleeping on retry-after", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { status: 429, retryAfterSec: 3600 });
    const message = await create(sdk(resolver));
    expect(message.type).toBe("message");
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_B]);
    expect(resolver.log.failures.map((f) => f.profileId)).toEqual(["anthropic:a"]);
    expect(resolver.log.resolves[1]?.exclude).toEqual(["anthropic:a"]);
    expect(resolver.unusableUntil("anthropic:a")).not.toBeNull();
  });

  it("reports the failure with its status, retry-after header and error body", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { status: 429, retryAfterSec: 3600 });
    await create(sdk(resolver));
    const error = resolver.log.failures[0]?.error as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.status).toBe(429);
    expect(error.headers.get("retry-after")).toBe("3600");
    expect(error.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it.each([
    [401, "auth"],
    [402, "billing"],
    [403, "auth"],
    [529, "overloaded"],
  ] as const)("fails over on a %i (%s)", async (status, _reason) => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { status });
    await create(sdk(resolver));
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_B]);
    expect(resolver.log.failures.map((f) => f.profileId)).toEqual(["anthropic:a"]);
  });

  it("fails over on a 400 that is about the credit balance", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { status: 400, message: "Your credit balance is too low to access the Anthropic API." });
    await create(sdk(resolver));
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_B]);
  });

  it("returns an ordinary 400 as is, without reporting it", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { status: 400, message: "messages: Field required" });
    await expect(create(sdk(resolver))).rejects.toMatchObject({ status: 400 });
    expect(server.requests).toHaveLength(1);
    expect(resolver.log.failures).toEqual([]);
  });

  it("throws NO_AVAILABLE_PROFILE with retryAt when every profile fails", async () => {
    const resolver = memoryResolver(keys("a", "b", "c"));
    server.setDefaultBehavior({ status: 429, retryAfterSec: 3600 });
    const error: unknown = await create(sdk(resolver)).catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("NO_AVAILABLE_PROFILE");
    expect((error as { retryAt?: unknown }).retryAt).toEqual(expect.any(Number));
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_B, KEY_C]);
  });

  it("gives a single profile's 429 to the caller at once as a RateLimitError", async () => {
    const resolver = memoryResolver(keys("a"));
    server.setBehavior(KEY_A, { status: 429, retryAfterSec: 3600 });
    const error: unknown = await create(sdk(resolver)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get("retry-after")).toBe("3600");
    expect(server.requests).toHaveLength(1);
  });

  it("stops after maxFailovers switches and returns the API error", async () => {
    const resolver = memoryResolver(keys("a", "b", "c"));
    server.setDefaultBehavior({ status: 529 });
    const error: unknown = await create(sdk(resolver, { maxFailovers: 1 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 529 });
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_B]);
  });

  it("fails over before the first event of a stream (stream: true and messages.stream)", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { status: 429, retryAfterSec: 3600 });
    const client = sdk(resolver);
    const stream = await client.messages.create({ model: MODEL, max_tokens: 32, messages: MESSAGES, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toContain("message_stop");
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_B]);

    server.reset();
    server.setBehavior(KEY_B, { status: 529 });
    const resolver2 = memoryResolver(keys("b", "c"));
    const final = await sdk(resolver2).messages.stream({ model: MODEL, max_tokens: 32, messages: MESSAGES }).finalMessage();
    expect(final.content[0]).toMatchObject({ type: "text" });
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_B, KEY_C]);
  });

  it("spreads concurrent calls over the profiles", async () => {
    const client = sdk(memoryResolver(keys("a", "b", "c")));
    await Promise.all(Array.from({ length: 30 }, () => create(client)));
    expect(new Set(server.requests.map((r) => r.credential))).toEqual(new Set([KEY_A, KEY_B, KEY_C]));
  });

  it("authenticates countTokens", async () => {
    const result = await sdk(memoryResolver(keys("a"))).messages.countTokens({ model: MODEL, messages: MESSAGES });
    expect(result.input_tokens).toBeGreaterThan(0);
    expect(server.requests[0]).toMatchObject({ path: "/v1/messages/count_tokens", credential: KEY_A });
  });

  it("lets the SDK retry a connection reset on the same profile", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { sequence: [{ reset: true }, { status: 200 }] });
    await create(sdk(resolver));
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_A]);
    expect(resolver.log.failures).toEqual([]);
  });

  it("lets the SDK retry a 500 on the same profile", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    server.setBehavior(KEY_A, { sequence: [{ status: 500 }, { status: 200 }] });
    await create(sdk(resolver));
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_A]);
  });

  it("caps a long retry-after the SDK would sleep on (env credential, no failover)", async () => {
    const resolver = memoryResolver([], { env: { id: "env", mode: "api_key", secret: KEY_A } });
    server.setBehavior(KEY_A, { sequence: [{ status: 429, retryAfterSec: 7999 }, { status: 200 }] });
    await create(sdk(resolver, { maxRetryAfterMs: 10 }, 1));
    expect(server.requests.map((r) => r.credential)).toEqual([KEY_A, KEY_A]);
    expect(resolver.log.failures).toEqual([]);
  });

  it("reports success beside the response and logs a failing report instead of throwing", async () => {
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (line: string) => warnings.push(line), error: () => undefined };
    const resolver = memoryResolver(keys("a"));
    const failing: AuthResolver = { ...resolver, reportSuccess: () => Promise.reject(new Error(`disk full near ${KEY_B}`)) };
    const middleware = authMiddleware(failing, { logger });
    const client = new Anthropic({ apiKey: SDK_KEY, baseURL: server.url, middleware: [middleware] });
    await create(client);
    await middleware.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("anthropic:a");
    expect(warnings[0]).not.toContain(KEY_B);
  });

  it("logs failovers without any secret", async () => {
    const lines: string[] = [];
    const push = (line: string): void => void lines.push(line);
    const logger = { debug: push, info: push, warn: push, error: push };
    server.setBehavior(KEY_A, { status: 401 });
    await create(sdk(memoryResolver(keys("a", "b")), { logger }));
    expect(lines.join("\n")).toContain("anthropic:a failed with HTTP 401 (auth)");
    expect(lines.join("\n")).not.toMatch(/sk-ant-api03-a/);
  });

  it("records each success once flushed", async () => {
    const resolver = memoryResolver(keys("a", "b"));
    const middleware = authMiddleware(resolver);
    const client = new Anthropic({ apiKey: SDK_KEY, baseURL: server.url, middleware: [middleware] });
    await Promise.all([create(client), create(client)]);
    await middleware.flush();
    expect(resolver.log.successes.sort()).toEqual(["anthropic:a", "anthropic:b"]);
  });

  it("throws the resolver's error when there is no credential at all", async () => {
    const error: unknown = await create(sdk(memoryResolver([]))).catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("NO_API_KEY");
    expect(server.requests).toHaveLength(0);
  });

  it("hands a resolver error that mentions a timeout to the caller unchanged", async () => {
    const cause = new Error("token endpoint timed out");
    const thrown = new NoAvailableProfileError("anthropic", [{ profileId: "anthropic:a", kind: "cooldown", reason: "timeout", until: 2_000_000, remainingMs: 1_000 }], { cause });
    const resolver: AuthResolver = { ...memoryResolver([]), resolve: () => Promise.reject(thrown) };
    const error: unknown = await create(sdk(resolver)).catch((e: unknown) => e);
    expect(error).toBe(thrown);
    expect(thrown.message).toContain("cooldown:timeout");
    expect(thrown.cause).toBe(cause);
    expect(cause.message).toBe("token endpoint timed out");
  });

  it("rejects a negative maxFailovers", () => {
    expect(() => authMiddleware(memoryResolver([]), { maxFailovers: -1 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
