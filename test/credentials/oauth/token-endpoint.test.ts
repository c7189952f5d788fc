import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../../src/model/errors.js";
import { RefreshError } from "../../../src/credentials/oauth/refresh-error.js";
import {
  checkTokenUrl,
  DEFAULT_CLIENT_ID,
  MAX_TOKEN_RESPONSE_BYTES,
  requestTokenRefresh,
  type TokenRefreshRequest,
} from "../../../src/credentials/oauth/token-endpoint.js";
import { startFakeTokenServer, type FakeTokenServer, type TokenBehaviour } from "../../helpers/fake-token-server.js";
import { expectNoSecrets, rejectionOf } from "./no-secrets.js";

const NOW = 1_767_000_000_000;
const PREFIX = "OAuth token refresh failed for anthropic: anthropic:test";

let server: FakeTokenServer;
beforeEach(async () => {
  server = await startFakeTokenServer();
});
afterEach(async () => {
  await server.close();
});

function request(refreshToken: string, overrides: Partial<TokenRefreshRequest> = {}): TokenRefreshRequest {
  return {
    fetch,
    tokenUrl: server.url,
    clientId: DEFAULT_CLIENT_ID,
    refreshToken,
    now: () => NOW,
    timeoutMs: 5_000,
    profileId: "anthropic:test",
    ...overrides,
  };
}

describe(requestTokenRefresh.name, () => {
  it("exchanges a refresh token for a rotated pair with the true expiry", async () => {
    const refreshToken = server.issueRefreshToken();
    const result = await requestTokenRefresh(request(refreshToken));
    expect(result.access).toMatch(/^sk-ant-oat01-/);
    expect(result.refresh).toMatch(/^sk-ant-ort01-/);
    expect(result.refresh).not.toBe(refreshToken);
    expect(result.expires).toBe(NOW + 28_800_000);
    expect(server.isValid(refreshToken)).toBe(false);
    expect(server.isValid(result.refresh)).toBe(true);
  });

  it("posts the refresh_token grant as JSON without impersonating a client", async () => {
    const refreshToken = server.issueRefreshToken();
    await requestTokenRefresh(request(refreshToken));
    const [sent] = server.requests;
    expect(sent?.method).toBe("POST");
    expect(sent?.path).toBe("/v1/oauth/token");
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(sent?.headers.accept).toBe("application/json");
    expect(String(sent?.headers["user-agent"] ?? "")).not.toMatch(/claude/i);
    expect(sent?.body).toEqual({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: DEFAULT_CLIENT_ID });
  });

  it("keeps the old refresh token when the endpoint does not rotate it", async () => {
    const refreshToken = server.issueRefreshToken();
    server.enqueue({ kind: "ok", rotate: false });
    const result = await requestTokenRefresh(request(refreshToken));
    expect(result.refresh).toBe(refreshToken);
  });

  it("shows only redacted tokens in the result's JSON and inspect views", async () => {
    const result = await requestTokenRefresh(request(server.issueRefreshToken()));
    for (const view of [JSON.stringify(result), inspect(result)]) {
      expect(view).not.toContain(result.access);
      expect(view).not.toContain(result.refresh);
    }
  });

  const failures: ReadonlyArray<readonly [string, TokenBehaviour, RefreshError["kind"], number | null]> = [
    ["invalid_grant", { kind: "invalid_grant" }, "http", 400],
    ["a 500", { kind: "status", status: 500 }, "http", 500],
    ["a 429 rate_limit_error", { kind: "status", status: 429, body: JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "Rate limited" } }) }, "http", 429],
    ["an HTML page with 200", { kind: "html" }, "invalid_response", 200],
    ["an HTML 502", { kind: "html", status: 502 }, "http", 502],
    ["JSON cut in half", { kind: "truncated" }, "invalid_response", 200],
    ["a connection closed mid-body", { kind: "cut" }, "network", 200],
    ["an oversized chunked body", { kind: "oversized" }, "too_large", 200],
    ["an oversized declared body", { kind: "oversized", declareLength: true }, "too_large", 200],
    ["a reset connection", { kind: "reset" }, "network", null],
    ["a 200 error body", { kind: "status", status: 200, body: JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "Rate limited" } }) }, "invalid_response", 200],
    ["a 200 without access_token", { kind: "status", status: 200, body: JSON.stringify({ expires_in: 3600 }) }, "invalid_response", 200],
    ["a 200 with a string expires_in", { kind: "status", status: 200, body: JSON.stringify({ access_token: "sk-ant-oat01-abcdefghijklmnop", expires_in: "3600" }) }, "invalid_response", 200],
  ];

  it.each(failures)("fails with OAUTH_REFRESH_FAILED on %s", async (_name, behaviour, kind, status) => {
    const refreshToken = server.issueRefreshToken();
    server.enqueue(behaviour);
    const error = await rejectionOf(() => requestTokenRefresh(request(refreshToken)));
    expect(error).toBeInstanceOf(RefreshError);
    expect(isAuthProfilesError(error) && error.code).toBe("OAUTH_REFRESH_FAILED");
    const refreshError = error as RefreshError;
    expect(refreshError.message.startsWith(PREFIX)).toBe(true);
    expect(refreshError.kind).toBe(kind);
    expect(refreshError.status).toBe(status);
    expect(refreshError.details).toMatchObject({ profileId: "anthropic:test", status });
    expect(refreshError.hint).toContain("claude setup-token");
    expect(refreshError.hint).toContain("saveToken(");
    expectNoSecrets(error, [refreshToken]);
  });

  it("names invalid_grant and explains rotation in the hint", async () => {
    const error = (await rejectionOf(() => requestTokenRefresh(request("sk-ant-ort01-never-issued-0123456789abcdef")))) as RefreshError;
    expect(error.oauthError).toBe("invalid_grant");
    expect(error.message).toContain("HTTP 400 invalid_grant: Refresh token not found or invalid");
    expect(error.hint).toMatch(/rotates/);
  });

  it("gives up after the timeout when the endpoint never answers", async () => {
    server.enqueue({ kind: "hang" });
    const error = (await rejectionOf(() => requestTokenRefresh(request(server.issueRefreshToken(), { timeoutMs: 300 })))) as RefreshError;
    expect(error.kind).toBe("timeout");
    expect(error.message.startsWith(PREFIX)).toBe(true);
    expect(error.message).toContain("300 ms");
  });

  it("gives up after the timeout when the body trickles in too slowly", async () => {
    server.enqueue({ kind: "slow", delayMs: 60_000 });
    const error = (await rejectionOf(() => requestTokenRefresh(request(server.issueRefreshToken(), { timeoutMs: 300 })))) as RefreshError;
    expect(error.kind).toBe("timeout");
    expect(error.status).toBe(200);
  });

  it("accepts a slow body that completes within the timeout", async () => {
    server.enqueue({ kind: "slow", delayMs: 50 });
    const result = await requestTokenRefresh(request(server.issueRefreshToken()));
    expect(result.access).toMatch(/^sk-ant-oat01-/);
  });

  it("stops when the caller aborts", async () => {
    server.enqueue({ kind: "hang" });
    const controller = new AbortController();
    const pending = rejectionOf(() => requestTokenRefresh(request(server.issueRefreshToken(), { signal: controller.signal, timeoutMs: 60_000 })));
    await waitFor(() => server.count === 1);
    controller.abort();
    expect(((await pending) as RefreshError).kind).toBe("aborted");
  });

  it("fails with network when nothing listens", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = (await rejectionOf(() => requestTokenRefresh(request("sk-ant-ort01-abcdefghijklmnopqrstuvwxyz", { tokenUrl: `http://127.0.0.1:${port}/t` })))) as RefreshError;
    expect(error.kind).toBe("network");
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("redacts tokens echoed by the endpoint and cuts long descriptions", async () => {
    const refreshToken = server.issueRefreshToken();
    const echoed = `token ${refreshToken} is bad; also sk-ant-api03-${"k".repeat(40)} ${"and more ".repeat(60)}`;
    server.enqueue({ kind: "status", status: 400, body: JSON.stringify({ error: "invalid_request", error_description: echoed }) });
    const error = (await rejectionOf(() => requestTokenRefresh(request(refreshToken)))) as RefreshError;
    expectNoSecrets(error, [refreshToken]);
    const detail = /\(HTTP 400 invalid_request: (.*)\)\. Please/.exec(error.message)?.[1] ?? "";
    expect(detail.length).toBeLessThanOrEqual(200);
    expect(detail).toContain("sk-ant-ort01-…");
  });

  it("reads at most MAX_TOKEN_RESPONSE_BYTES", async () => {
    server.enqueue({ kind: "oversized", bytes: MAX_TOKEN_RESPONSE_BYTES + 1 });
    const error = (await rejectionOf(() => requestTokenRefresh(request(server.issueRefreshToken())))) as RefreshError;
    expect(error.kind).toBe("too_large");
  });
});

describe(checkTokenUrl.name, () => {
  it.each(["https://platform.claude.com/v1/oauth/token", "http://127.0.0.1:8080/t", "http://[::1]:8080/t", "http://localhost/t"])("accepts %s", (url) => {
    expect(checkTokenUrl(url).href).toBe(new URL(url).href);
  });

  it.each(["http://example.com/token", "http://10.0.0.1/t", "ftp://127.0.0.1/t", "not a url", "https://user:pw@example.com/t"])("rejects %s with CONFIG_INVALID", (url) => {
    let caught: unknown;
    try {
      checkTokenUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(isAuthProfilesError(caught) && caught.code).toBe("CONFIG_INVALID");
    expect(isAuthProfilesError(caught) && caught.details.path).toBe("oauth.tokenUrl");
  });

  it("rejects an http endpoint before sending anything", async () => {
    const error = await rejectionOf(() => requestTokenRefresh(request("sk-ant-ort01-abcdefghijklmnopqrstuvwxyz", { tokenUrl: "http://example.com/t" })));
    expect(isAuthProfilesError(error) && error.code).toBe("CONFIG_INVALID");
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
