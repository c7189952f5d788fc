import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  RateLimitError,
} from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { AuthProfilesError } from "../../src/model/errors.js";
import { RefreshError } from "../../src/credentials/oauth/refresh-error.js";
import { classifyFailure, classifyFailureDetail, isFailoverReason } from "../../src/selection/classify.js";
import type { FailureReason } from "../../src/model/failure.js";

/** A real SDK error, built the way the client builds one from a response. */
function apiError(status: number, type: string, message: string, details?: Record<string, unknown>): APIError {
  const body = { type: "error", error: { type, message, ...(details === undefined ? {} : { details }) }, request_id: "req_1" };
  return APIError.generate(status, body, undefined, new Headers({ "request-id": "req_1" }));
}

function withCode(code: string, message = "socket problem"): Error {
  return Object.assign(new Error(message), { code });
}

describe(classifyFailure.name, () => {
  describe("by status", () => {
    it.each<[number, string, string, FailureReason]>([
      [401, "authentication_error", "invalid x-api-key", "auth"],
      [401, "authentication_error", "OAuth token has expired. Please obtain a new token or refresh your existing token.", "auth"],
      [403, "permission_error", "OAuth token has been revoked. Please obtain a new token.", "auth"],
      [402, "billing_error", "Payment required", "billing"],
      [429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", "rate_limit"],
      [529, "overloaded_error", "Overloaded", "overloaded"],
      [408, "timeout_error", "Request timeout", "timeout"],
      [400, "invalid_request_error", "messages: at least one message is required", "format"],
      [500, "api_error", "Internal server error", "unknown"],
      [502, "api_error", "Bad gateway", "unknown"],
      [503, "api_error", "Service unavailable", "unknown"],
      [504, "timeout_error", "Gateway timeout", "unknown"],
    ])("classifies an SDK %i (%s) as %s", (status, type, message, expected) => {
      expect(classifyFailure(apiError(status, type, message))).toBe(expected);
    });

    it("classifies Anthropic's 400 'credit balance is too low' as billing", () => {
      const error = apiError(
        400,
        "invalid_request_error",
        "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
      );
      expect(classifyFailure(error)).toBe("billing");
    });

    it("classifies a 400 for a subscription credential used outside Claude Code as auth", () => {
      const error = apiError(400, "invalid_request_error", "This credential is only authorized for use with Claude Code and cannot be used for other API requests.");
      expect(classifyFailure(error)).toBe("auth");
    });

    it("classifies a 429 spend cap as billing, not a transient rate limit", () => {
      const error = apiError(429, "rate_limit_error", "You have reached your spend limit", { error_code: "enforced_spend_limit_reached" });
      expect(error).toBeInstanceOf(RateLimitError);
      expect(classifyFailure(error)).toBe("billing");
      expect(classifyFailure(apiError(429, "rate_limit_error", "slow down", { error_code: "ramp_limit_exceeded" }))).toBe("rate_limit");
    });

    it("reads statusCode, response.status and numeric strings from non-SDK errors", () => {
      expect(classifyFailure({ statusCode: 429, message: "x" })).toBe("rate_limit");
      expect(classifyFailure({ response: { status: 401 } })).toBe("auth");
      expect(classifyFailure(Object.assign(new Error("x"), { status: "402" }))).toBe("billing");
    });

    it("lets the status win over a misleading message", () => {
      expect(classifyFailure(Object.assign(new Error("invalid api key"), { status: 429 }))).toBe("rate_limit");
    });

    it("falls back to format for other 4xx and unknown for other 5xx", () => {
      expect(classifyFailure(apiError(413, "request_too_large", "Request exceeds the maximum size"))).toBe("format");
      expect(classifyFailure(apiError(501, "api_error", "Not implemented"))).toBe("unknown");
      expect(classifyFailure({ status: 499 })).toBeNull();
    });

    it("cools nothing for a 404: an unknown or retired model is the request's fault, not the key's", () => {
      expect(classifyFailure(apiError(404, "not_found_error", "model: claude-sonnet-4-5"))).toBeNull();
      expect(classifyFailure({ status: 404, message: "rate limit exceeded upstream" })).toBeNull();
    });

    it("sends a subscription that is out of extra usage to the quota lane as a rate limit", () => {
      for (const message of [
        "Third-party apps now draw from your extra usage, not your plan limits. Add more at claude.ai/settings/usage and keep going.",
        "You're out of extra usage. Add more at claude.ai/settings/usage and keep going.",
      ]) {
        expect(classifyFailureDetail(apiError(400, "invalid_request_error", message))).toEqual({ reason: "rate_limit", kind: "extra_usage" });
      }
      expect(isFailoverReason(classifyFailure(apiError(400, "invalid_request_error", "You're out of extra usage.")))).toBe(true);
    });

    it.each<[string, APIError]>([
      ["400 organization_on_hold", apiError(400, "invalid_request_error", "This organization has been disabled.", { error_code: "organization_on_hold" })],
      ["403 OAuth token has been revoked", apiError(403, "permission_error", "OAuth token has been revoked. Please obtain a new token.")],
      ["400 only authorized for use with Claude Code", apiError(400, "invalid_request_error", "This credential is only authorized for use with Claude Code and cannot be used for other API requests.")],
    ])("puts %s in the permanent-auth lane", (_name, error) => {
      expect(classifyFailureDetail(error)).toEqual({ reason: "auth", kind: "auth_permanent" });
    });

    it("keeps an ordinary 401 in the transient auth lane", () => {
      expect(classifyFailureDetail(apiError(401, "authentication_error", "invalid x-api-key"))).toEqual({ reason: "auth", kind: null });
    });

    it("classifies a 402 worded as a usage limit that resets as a rate limit, not a billing disable", () => {
      expect(classifyFailure(apiError(402, "billing_error", "You have reached your usage limit. Please try again later."))).toBe("rate_limit");
      expect(classifyFailure(apiError(402, "billing_error", "Your credit balance is too low to access the Anthropic API."))).toBe("billing");
    });

    it("classifies a 429 contract spend cap as billing and a ramp limit as a transient rate limit", () => {
      expect(classifyFailure(apiError(429, "rate_limit_error", "Spend limit", { error_code: "contract_spend_limit_reached" }))).toBe("billing");
      expect(classifyFailureDetail(apiError(429, "rate_limit_error", "Ramping", { error_code: "ramp_limit_exceeded" }))).toEqual({ reason: "rate_limit", kind: null });
    });
  });

  describe("by SDK class name", () => {
    it("classifies a real APIConnectionTimeoutError as timeout", () => {
      expect(classifyFailure(new APIConnectionTimeoutError())).toBe("timeout");
    });

    it("treats a real APIUserAbortError as not a credential failure", () => {
      expect(classifyFailure(new APIUserAbortError())).toBeNull();
    });

    it.each<[string, FailureReason | null]>([
      ["AuthenticationError", "auth"],
      ["PermissionDeniedError", "auth"],
      ["PaymentRequiredError", "billing"],
      ["RateLimitError", "rate_limit"],
      ["OverloadedError", "overloaded"],
      ["RequestTimeoutError", "timeout"],
      ["APIConnectionTimeoutError", "timeout"],
      ["APIUserAbortError", null],
    ])("maps an error named %s (no status) to %s", (name, expected) => {
      expect(classifyFailure(Object.assign(new Error("something"), { name }))).toBe(expected);
      const Named = { [name]: class extends Error {} }[name] as new (message: string) => Error;
      expect(classifyFailure(new Named("something"))).toBe(expected);
    });

    it("never needs the SDK instance: a status-less AuthenticationError copy still counts", () => {
      const error = new AuthenticationError(401, undefined, "nope", new Headers());
      expect(classifyFailure({ name: error.name, message: "no status here" })).toBe("auth");
    });
  });

  describe("by Anthropic error type", () => {
    it.each<[string, FailureReason]>([
      ["authentication_error", "auth"],
      ["permission_error", "auth"],
      ["billing_error", "billing"],
      ["rate_limit_error", "rate_limit"],
      ["overloaded_error", "overloaded"],
      ["timeout_error", "timeout"],
      ["invalid_request_error", "format"],
      ["api_error", "unknown"],
    ])("maps %s to %s", (type, expected) => {
      expect(classifyFailure({ type })).toBe(expected);
      expect(classifyFailure({ error: { type, message: "m" } })).toBe(expected);
      expect(classifyFailure({ type: "error", error: { type, message: "m" } })).toBe(expected);
    });

    it("classifies an error event inside a stream (an SDK APIError without status)", () => {
      const error = new APIError(undefined, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, undefined, undefined);
      expect(classifyFailure(error)).toBe("overloaded");
    });

    it("applies the credit-balance rule to a status-less invalid_request_error", () => {
      expect(classifyFailure({ error: { type: "invalid_request_error", message: "Your credit balance is too low" } })).toBe("billing");
    });
  });

  describe("by error code", () => {
    it.each(["ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNRESET", "ECONNABORTED", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"])(
      "classifies network code %s as timeout",
      (code) => {
        expect(classifyFailure(withCode(code))).toBe("timeout");
      },
    );

    it("follows the cause chain of a real APIConnectionError (fetch failed)", () => {
      const fetchFailed = new TypeError("fetch failed", { cause: withCode("ECONNRESET") });
      expect(classifyFailure(new APIConnectionError({ message: "Connection error.", cause: fetchFailed }))).toBe("timeout");
    });

    it("does not cool a profile down for a refused connection", () => {
      const fetchFailed = new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") });
      expect(classifyFailure(new APIConnectionError({ message: "Connection error.", cause: fetchFailed }))).toBeNull();
    });

    it("treats aborts as not a failure and AbortSignal.timeout as a timeout", () => {
      expect(classifyFailure(new DOMException("This operation was aborted", "AbortError"))).toBeNull();
      expect(classifyFailure(withCode("ABORT_ERR", "The operation was aborted"))).toBeNull();
      expect(classifyFailure(new DOMException("The operation timed out.", "TimeoutError"))).toBe("timeout");
    });

    it("classifies this library's own refresh and Claude Code errors as auth", () => {
      expect(classifyFailure(new AuthProfilesError("OAUTH_REFRESH_FAILED", "OAuth token refresh failed for anthropic: invalid_grant"))).toBe("auth");
      expect(classifyFailure(new AuthProfilesError("CLAUDE_CLI_EXPIRED", "Claude Code login expired"))).toBe("auth");
      expect(classifyFailure(new AuthProfilesError("STORE_LOCKED", "locked"))).toBeNull();
    });

    it("reads a refresh error's status as the token endpoint's: refused is auth, down or unreachable is transient", () => {
      const refresh = (status: number | null, kind: string) => new RefreshError({ profileId: "anthropic:me", kind: kind as "http", status });
      expect(classifyFailure(refresh(400, "http"))).toBe("auth");
      expect(classifyFailure(refresh(401, "http"))).toBe("auth");
      expect(classifyFailure(refresh(429, "http"))).toBe("rate_limit");
      expect(classifyFailure(refresh(503, "http"))).toBe("unknown");
      expect(classifyFailure(refresh(null, "network"))).toBe("timeout");
      expect(classifyFailure(refresh(null, "timeout"))).toBe("timeout");
      expect(classifyFailure(refresh(200, "invalid_response"))).toBe("auth");
    });

    it("puts a refresh answered invalid_grant in the permanent-auth lane, other refused refreshes in the transient one", () => {
      const grant = new RefreshError({ profileId: "anthropic:me", kind: "http", status: 400, oauthError: "invalid_grant" });
      expect(classifyFailureDetail(grant)).toEqual({ reason: "auth", kind: "auth_permanent" });
      const client = new RefreshError({ profileId: "anthropic:me", kind: "http", status: 400, oauthError: "invalid_client" });
      expect(classifyFailureDetail(client)).toEqual({ reason: "auth", kind: null });
    });
  });

  describe("by message, in OpenClaw's order", () => {
    it.each<[string, FailureReason]>([
      ["messages.0.content.1.image.source.base64: image exceeds 5 MB maximum: 7023492 bytes > 5242880 bytes", "format"],
      ["image dimensions exceed max allowed size: 8000 pixels", "format"],
      ["Rate limit reached for requests", "rate_limit"],
      ["429 Too Many Requests", "rate_limit"],
      ["Quota exceeded for this project", "rate_limit"],
      ["Resource has been exhausted (e.g. check quota).", "rate_limit"],
      ["RESOURCE_EXHAUSTED", "rate_limit"],
      ["You have hit your usage limit; try again later", "rate_limit"],
      ["Overloaded", "overloaded"],
      ["tools.0.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'", "format"],
      ["messages.1.content.0.tool_use.id: unexpected tool_use_id", "format"],
      ["Invalid request format", "format"],
      ["Your credit balance is too low to access the Anthropic API.", "billing"],
      ["402 Payment Required", "billing"],
      ["Insufficient credits on this account", "billing"],
      ["Billing problem: please upgrade your plan", "billing"],
      ["Request timed out", "timeout"],
      ["upstream timeout", "timeout"],
      ["context deadline exceeded", "timeout"],
      ["invalid x-api-key", "auth"],
      ["Invalid API key provided", "auth"],
      ["Incorrect API key provided: sk-ant-…", "auth"],
      ["invalid token", "auth"],
      ["Authentication failed", "auth"],
      ["Unauthorized", "auth"],
      ["Forbidden", "auth"],
      ["OAuth token has expired. Please obtain a new token or refresh your existing token.", "auth"],
      ["OAuth token has been revoked. Please obtain a new token.", "auth"],
      ["Request failed with status 401", "auth"],
      ["HTTP 403", "auth"],
    ])("classifies %j", (message, expected) => {
      expect(classifyFailure(new Error(message))).toBe(expected);
    });

    it("lets the first pattern in OpenClaw's order win", () => {
      expect(classifyFailure(new Error("rate limit hit while authentication was checked"))).toBe("rate_limit");
      expect(classifyFailure(new Error("credit balance check timed out"))).toBe("billing");
      expect(classifyFailure(new Error("image exceeds 5 MB: too many requests"))).toBe("format");
    });

    it("reads string errors and API body messages", () => {
      expect(classifyFailure("too many requests")).toBe("rate_limit");
      expect(classifyFailure({ error: { message: "Overloaded" } })).toBe("overloaded");
    });

    it("does not read digits inside identifiers as a status", () => {
      expect(classifyFailure(new Error("request req_011CZ4012abc failed"))).toBeNull();
    });
  });

  it("returns null for anything that says nothing about the credential", () => {
    expect(classifyFailure(new Error("boom"))).toBeNull();
    expect(classifyFailure(undefined)).toBeNull();
    expect(classifyFailure(null)).toBeNull();
    expect(classifyFailure(42)).toBeNull();
    expect(classifyFailure({})).toBeNull();
  });

  it("never throws on hostile objects", () => {
    const hostile = {
      get status(): number {
        throw new Error("getter");
      },
      message: "Too Many Requests",
    };
    expect(classifyFailure(hostile)).toBe("rate_limit");
  });
});

describe(isFailoverReason.name, () => {
  it.each<[FailureReason | null, boolean]>([
    ["auth", true],
    ["billing", true],
    ["rate_limit", true],
    ["overloaded", true],
    ["timeout", false],
    ["format", false],
    ["unknown", false],
    [null, false],
  ])("%s → %s", (reason, expected) => {
    expect(isFailoverReason(reason)).toBe(expected);
  });
});
