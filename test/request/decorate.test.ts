import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { decorateRequest } from "../../src/request/decorate.js";
import type { DecorationAuth } from "../../src/request/types.js";
import { deepFreeze, snapshot } from "./deep-freeze.js";

const API_KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN = "sk-ant-oat01-abcdefghijklmnopqrstuvwxyz0123456789";

const apiKey = (cacheControlTtl: "5m" | "1h" | null = null): DecorationAuth => ({ mode: "api_key", secret: API_KEY, cacheControlTtl });
const token = (mode: "token" | "oauth" = "token", cacheControlTtl: "5m" | "1h" | null = null): DecorationAuth => ({ mode, secret: TOKEN, cacheControlTtl });

function cachedBody() {
  return {
    model: "claude-sonnet-5",
    max_tokens: 64,
    metadata: { user_id: "u-1" },
    system: [{ type: "text", text: "You are a helpful bot.", cache_control: { type: "ephemeral" } }],
    messages: [
      { role: "user", content: [{ type: "text", text: "first", cache_control: { type: "ephemeral", ttl: "5m" } }] },
      { role: "assistant", content: "ok" },
      { role: "user", content: [{ type: "text", text: "second", cache_control: { type: "ephemeral" } }] },
    ],
  };
}

describe(decorateRequest.name, () => {
  it("sends an API key as x-api-key and asks to remove authorization", () => {
    const result = decorateRequest(apiKey(), { model: "m", max_tokens: 1, messages: [] });
    expect({ ...result.headers }).toEqual({ "x-api-key": API_KEY });
    expect(result.removeHeaders).toEqual(["authorization"]);
    expect(result.betas).toEqual([]);
  });

  it.each(["token", "oauth"] as const)("sends a %s as a bearer token with the oauth beta", (mode) => {
    const result = decorateRequest(token(mode), { model: "m", max_tokens: 1, messages: [] });
    expect({ ...result.headers }).toEqual({ authorization: `Bearer ${TOKEN}`, "anthropic-beta": "oauth-2025-04-20" });
    expect(result.removeHeaders).toEqual(["x-api-key"]);
  });

  it("merges betas from params.betas and the anthropic-beta header, caller first, without duplicates", () => {
    const params = deepFreeze({ model: "m", max_tokens: 1, messages: [], betas: ["files-api-2025-04-14", "oauth-2025-04-20"] });
    const result = decorateRequest(token(), params, {
      headers: { "Anthropic-Beta": "context-1m-2025-08-07, files-api-2025-04-14", "X-Trace": "t-1", "x-api-key": "stale", Ignored: null },
    });
    expect(result.betas).toEqual(["files-api-2025-04-14", "oauth-2025-04-20", "context-1m-2025-08-07"]);
    expect({ ...result.headers }).toEqual({
      "x-trace": "t-1",
      authorization: `Bearer ${TOKEN}`,
      "anthropic-beta": "files-api-2025-04-14,oauth-2025-04-20,context-1m-2025-08-07",
    });
    expect(result.params).toEqual({ model: "m", max_tokens: 1, messages: [] });
    expect("betas" in result.params).toBe(false);
    expect(params.betas).toEqual(["files-api-2025-04-14", "oauth-2025-04-20"]);
  });

  it("reads the caller's headers from a Headers instance too", () => {
    const headers = new Headers({ "anthropic-beta": "a,b", authorization: "Bearer sdk-default" });
    const result = decorateRequest(apiKey(), { messages: [] }, { headers });
    expect(result.headers["anthropic-beta"]).toBe("a,b");
    expect(result.headers["authorization"]).toBeUndefined();
    expect(result.removeHeaders).toContain("authorization");
  });

  it("applies the TTL for an API key, keeps an explicit ttl and adds the extended-cache-ttl beta", () => {
    const input = deepFreeze(cachedBody());
    const before = snapshot(input);
    const result = decorateRequest(apiKey("1h"), input);
    expect(input).toEqual(before);
    expect(result.cacheControlTtlApplied).toBe("1h");
    expect(result.breakpoints).toBe(3);
    expect(result.betas).toEqual(["extended-cache-ttl-2025-04-11"]);
    expect(result.headers["anthropic-beta"]).toBe("extended-cache-ttl-2025-04-11");
    const expected = snapshot(before);
    expected.system[0]!.cache_control = { type: "ephemeral", ttl: "1h" } as never;
    // 1h after the caller's explicit 5m would be rejected by Anthropic: it becomes 5m.
    expected.messages[2]!.content = [{ type: "text", text: "second", cache_control: { type: "ephemeral", ttl: "5m" } }];
    expect(result.params).toEqual(expected);
  });

  it("changes only the ttl fields of the body", () => {
    const input = deepFreeze(cachedBody());
    const { params } = decorateRequest(apiKey("5m"), input);
    const strip = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "ttl" ? undefined : v)));
    expect(strip(params)).toEqual(strip(input));
    expect(params.metadata).toBe(input.metadata);
    expect(params.messages[1]).toBe(input.messages[1]);
  });

  it.each(["token", "oauth"] as const)("ignores the TTL for %s and leaves the body as it is", (mode) => {
    const input = deepFreeze(cachedBody());
    const result = decorateRequest(token(mode, "1h"), input);
    expect(result.params).toBe(input);
    expect(result.cacheControlTtlApplied).toBeNull();
    expect(result.breakpoints).toBe(3);
    expect(result.betas).toEqual(["oauth-2025-04-20"]);
  });

  it("adds no cache beta when no marker needed a TTL", () => {
    const input = deepFreeze({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "hi" }] });
    const result = decorateRequest(apiKey("1h"), input);
    expect(result.params).toBe(input);
    expect(result.cacheControlTtlApplied).toBeNull();
    expect(result.headers["anthropic-beta"]).toBeUndefined();
  });

  it("never impersonates another client", () => {
    const result = decorateRequest(token("oauth"), deepFreeze({ model: "m", max_tokens: 1, messages: [] }));
    const names = Object.keys(result.headers);
    expect(names).not.toContain("user-agent");
    expect(names).not.toContain("x-app");
    expect(result.headers["anthropic-beta"]).not.toContain("claude-code");
    expect(result.params).not.toHaveProperty("system");
  });

  it("keeps the credential out of JSON and inspect output", () => {
    const result = decorateRequest(apiKey(), { messages: [] });
    expect(JSON.stringify(result)).not.toContain("abcdefghij");
    expect(inspect(result, { depth: 5 })).not.toContain("abcdefghij");
    expect(new Headers(result.headers).get("x-api-key")).toBe(API_KEY);
  });
});
