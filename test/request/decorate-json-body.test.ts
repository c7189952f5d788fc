import { describe, expect, it } from "vitest";
import { decorateJsonBody } from "../../src/request/decorate-json-body.js";

const API_KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";
const body = JSON.stringify({
  model: "m",
  max_tokens: 1,
  system: [{ type: "text", text: "s", cache_control: { type: "ephemeral" } }],
  messages: [{ role: "user", content: "hi" }],
});

describe(decorateJsonBody.name, () => {
  it("writes the TTL into a serialized body", () => {
    const out = decorateJsonBody({ mode: "api_key", secret: API_KEY, cacheControlTtl: "1h" }, body);
    expect(out).not.toBeNull();
    expect(JSON.parse(out ?? "")).toEqual({ ...JSON.parse(body), system: [{ type: "text", text: "s", cache_control: { type: "ephemeral", ttl: "1h" } }] });
  });

  it("accepts UTF-8 bytes", () => {
    const out = decorateJsonBody({ mode: "api_key", secret: API_KEY, cacheControlTtl: "5m" }, new TextEncoder().encode(body));
    expect(out).toContain('"ttl":"5m"');
  });

  it("returns null when nothing applies", () => {
    const auth = { mode: "api_key", secret: API_KEY, cacheControlTtl: "1h" } as const;
    expect(decorateJsonBody({ ...auth, cacheControlTtl: null }, body)).toBeNull();
    expect(decorateJsonBody({ ...auth, mode: "oauth" }, body)).toBeNull();
    expect(decorateJsonBody(auth, "not json")).toBeNull();
    expect(decorateJsonBody(auth, "[1,2]")).toBeNull();
    expect(decorateJsonBody(auth, new Uint8Array([0xff, 0xfe]))).toBeNull();
    expect(decorateJsonBody(auth, JSON.stringify({ messages: [] }))).toBeNull();
  });
});
