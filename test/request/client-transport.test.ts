import { afterEach, describe, expect, it, vi } from "vitest";
import { createAnthropicClient } from "../../src/anthropic/client.js";
import { isLoopbackHostname } from "../../src/model/loopback.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { memoryResolver, testApiKey } from "./client-fixtures.js";

const KEY = testApiKey("transport");
const MESSAGE = { model: "claude-sonnet-4-6", max_tokens: 16, messages: [{ role: "user" as const, content: "Hi" }] };

/**
 * A fetch that records what reached it and answers a canned message, so no test here ever sends
 * traffic anywhere: `.invalid` hosts never resolve, and nothing is sent when the guard holds.
 */
function recordingFetch() {
  const seen: { url: string; apiKey: string | null }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    seen.push({ url, apiKey: new Headers(init?.headers).get("x-api-key") });
    const body = { id: "msg_1", type: "message", role: "assistant", model: MESSAGE.model, content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { seen, fetch };
}

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

afterEach(() => vi.unstubAllEnvs());

describe("credentials go only to https or loopback", () => {
  it.each(["http://api.example.invalid", "http://10.0.0.1:8080/v1", "ftp://api.example.invalid", "http://127.0.0.1.nip.invalid"])(
    "refuses clientOptions.baseURL %s when the client is created, before anything is sent",
    (baseURL) => {
      const { seen, fetch } = recordingFetch();
      const error = refusal(() => createAnthropicClient({ resolver: memoryResolver([{ id: "anthropic:a", mode: "api_key", secret: KEY }]), clientOptions: { baseURL, fetch } }));
      expect(isAuthProfilesError(error) && error.code).toBe("INVALID_ARGUMENT");
      expect(String((error as Error).message)).toContain("not https");
      expect((error as { hint?: string }).hint).toContain("allowInsecureBaseUrl");
      expect(seen).toEqual([]);
    },
  );

  it("refuses a plain-http remote ANTHROPIC_BASE_URL from the resolver env and from process.env", () => {
    const resolver = memoryResolver([{ id: "anthropic:a", mode: "api_key", secret: KEY }]);
    const fromOption = refusal(() => createAnthropicClient({ resolver, env: { ANTHROPIC_BASE_URL: "http://proxy.example.invalid" } }));
    expect(isAuthProfilesError(fromOption) && fromOption.code).toBe("INVALID_ARGUMENT");
    vi.stubEnv("ANTHROPIC_BASE_URL", "http://proxy.example.invalid");
    const fromProcess = refusal(() => createAnthropicClient({ resolver }));
    expect(isAuthProfilesError(fromProcess) && fromProcess.code).toBe("INVALID_ARGUMENT");
  });

  it("never echoes a user name or password written into the base URL", () => {
    const error = refusal(() => createAnthropicClient({ resolver: memoryResolver([]), clientOptions: { baseURL: "http://admin:hunter2-secret@proxy.example.invalid" } }));
    const shown = JSON.stringify(error) + String(error) + JSON.stringify((error as { details?: unknown }).details);
    expect(shown).toContain("proxy.example.invalid");
    expect(shown).not.toContain("hunter2");
    expect(shown).not.toContain("admin");
  });

  it("refuses each request of a clone moved to a plain-http remote with withOptions, and sends none", async () => {
    const { seen, fetch } = recordingFetch();
    const client = createAnthropicClient({ resolver: memoryResolver([{ id: "anthropic:a", mode: "api_key", secret: KEY }]), clientOptions: { baseURL: "https://api.example.invalid", fetch, maxRetries: 0 } });
    await client.messages.create(MESSAGE);
    expect(seen.map((s) => s.url)).toEqual(["https://api.example.invalid/v1/messages"]);
    const moved = client.withOptions({ baseURL: "http://api.example.invalid" });
    const error = await moved.messages.create(MESSAGE).then(() => null, (e: unknown) => e);
    expect(JSON.stringify(error) + String(error)).toMatch(/not https|INVALID_ARGUMENT/);
    expect(seen).toHaveLength(1);
  });

  it("sends to https anywhere and to plain http on 127.0.0.0/8, ::1 and localhost", async () => {
    for (const baseURL of ["https://api.example.invalid", "http://127.0.0.1:9", "http://127.8.9.10", "http://[::1]:9", "http://localhost:9"]) {
      const { seen, fetch } = recordingFetch();
      const client = createAnthropicClient({ resolver: memoryResolver([{ id: "anthropic:a", mode: "api_key", secret: KEY }]), clientOptions: { baseURL, fetch, maxRetries: 0 } });
      await client.messages.create(MESSAGE);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.apiKey).toBe(KEY);
    }
  });

  it("sends to a plain-http remote only with allowInsecureBaseUrl: true", async () => {
    const { seen, fetch } = recordingFetch();
    const client = createAnthropicClient({
      resolver: memoryResolver([{ id: "anthropic:a", mode: "api_key", secret: KEY }]),
      clientOptions: { baseURL: "http://proxy.example.invalid", fetch, maxRetries: 0 },
      allowInsecureBaseUrl: true,
    });
    await client.messages.create(MESSAGE);
    expect(seen.map((s) => [s.url, s.apiKey])).toEqual([["http://proxy.example.invalid/v1/messages", KEY]]);
  });
});

describe(isLoopbackHostname.name, () => {
  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["[::1]", true],
    ["127.0.0.256", false],
    ["128.0.0.1", false],
    ["localhost.example.com", false],
    ["127.0.0.1.nip.io", false],
    ["0.0.0.0", false],
    ["[::ffff:7f00:1]", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHostname(host)).toBe(expected);
  });
});

describe("guardTransport's approved-origin shortcut", () => {
  it("checks every URL that is not exactly the approved origin followed by a path (userinfo tricks, other ports, other hosts)", async () => {
    const { guardTransport } = await import("../../src/anthropic/transport-guard.js");
    const sent: string[] = [];
    const guarded = guardTransport(async (input) => {
      sent.push(String(input));
      return new Response("{}");
    }, false);
    await guarded("http://127.0.0.1:9/v1/messages");
    await guarded("http://127.0.0.1:9/v1/messages?beta=true");
    for (const url of ["http://127.0.0.1:9@evil.example/v1/messages", "http://127.0.0.1:9.evil.example/v1/messages", "http://evil.example/v1/messages"]) {
      await expect(guarded(url)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    await guarded("http://127.0.0.1:90/v1/messages"); // another loopback port: checked, and fine
    expect(sent).toEqual(["http://127.0.0.1:9/v1/messages", "http://127.0.0.1:9/v1/messages?beta=true", "http://127.0.0.1:90/v1/messages"]);
  });
});

describe("typeCutJsonBody", () => {
  const cut = (): ReadableStream<Uint8Array> =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":"msg_1","con'));
        controller.error(new TypeError("terminated"));
      },
    });
  const json = { "content-type": "application/json" };

  it("types a cut body for a Response subclass, and leaves a whole body and other responses as they are", async () => {
    const { typeCutJsonBody } = await import("../../src/anthropic/whole-body.js");
    const { APIConnectionError } = await import("@anthropic-ai/sdk");
    class OwnResponse extends Response {}
    const cutOwn = typeCutJsonBody(new OwnResponse(cut(), { status: 200, headers: json }));
    expect(cutOwn).toBeInstanceOf(OwnResponse);
    await expect(cutOwn.json()).rejects.toBeInstanceOf(APIConnectionError);
    expect(await typeCutJsonBody(new OwnResponse('{"a":1}', { status: 200, headers: json })).json()).toEqual({ a: 1 });
    await expect(typeCutJsonBody(new Response("{", { status: 200, headers: json })).json()).rejects.toBeInstanceOf(SyntaxError);
    const plain = new Response(cut(), { status: 200, headers: { "content-type": "text/plain" } });
    expect(Object.getPrototypeOf(typeCutJsonBody(plain))).toBe(Response.prototype);
  });

  it("wraps the readers a response carries itself", async () => {
    const { typeCutJsonBody } = await import("../../src/anthropic/whole-body.js");
    const { APIConnectionError } = await import("@anthropic-ai/sdk");
    const response = new Response(cut(), { status: 200, headers: json });
    const ownRead = vi.fn(() => Promise.reject(new TypeError("terminated")));
    Object.defineProperty(response, "json", { configurable: true, value: ownRead });
    await expect(typeCutJsonBody(response).json()).rejects.toBeInstanceOf(APIConnectionError);
    expect(ownRead).toHaveBeenCalledTimes(1);
  });

  it("masks a key echoed in an error answer read through the prototype", async () => {
    const { typeCutJsonBody } = await import("../../src/anthropic/whole-body.js");
    const { rememberSecrets } = await import("../../src/model/redact.js");
    rememberSecrets(KEY);
    const body = JSON.stringify({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${KEY}` } });
    const text = await typeCutJsonBody(new Response(body, { status: 401, headers: json })).text();
    expect(text).not.toContain(KEY);
  });
});
