import { APIError, RateLimitError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { retryAfterMsFromError } from "../../src/selection/retry-after.js";

const NOW = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");

function rateLimited(headers: Record<string, string>): APIError {
  const body = { type: "error", error: { type: "rate_limit_error", message: "slow down" } };
  return APIError.generate(429, body, undefined, new Headers(headers));
}

describe(retryAfterMsFromError.name, () => {
  it("reads retry-after seconds from a real SDK error's Headers", () => {
    const error = rateLimited({ "retry-after": "30" });
    expect(error).toBeInstanceOf(RateLimitError);
    expect(retryAfterMsFromError(error, NOW)).toBe(30_000);
  });

  it("prefers retry-after-ms over retry-after", () => {
    expect(retryAfterMsFromError(rateLimited({ "retry-after-ms": "1500", "retry-after": "30" }), NOW)).toBe(1_500);
  });

  it("falls back to retry-after when retry-after-ms is not a number", () => {
    expect(retryAfterMsFromError(rateLimited({ "retry-after-ms": "soon", "retry-after": "2" }), NOW)).toBe(2_000);
  });

  it("reads fractional seconds and long subscription waits", () => {
    expect(retryAfterMsFromError(rateLimited({ "retry-after": "1.5" }), NOW)).toBe(1_500);
    expect(retryAfterMsFromError(rateLimited({ "retry-after": "7999" }), NOW)).toBe(7_999_000);
  });

  it("reads an HTTP date relative to the injected now", () => {
    expect(retryAfterMsFromError(rateLimited({ "retry-after": "Wed, 21 Oct 2026 07:29:30 GMT" }), NOW)).toBe(90_000);
  });

  it("returns 0 for an HTTP date in the past", () => {
    expect(retryAfterMsFromError(rateLimited({ "retry-after": "Wed, 21 Oct 2026 07:00:00 GMT" }), NOW)).toBe(0);
  });

  it("reads a plain header record in any letter case", () => {
    expect(retryAfterMsFromError({ headers: { "Retry-After": "12" } }, NOW)).toBe(12_000);
    expect(retryAfterMsFromError({ headers: { "RETRY-AFTER-MS": "250" } }, NOW)).toBe(250);
  });

  it("reads numbers and arrays in a plain record (Node's IncomingHttpHeaders)", () => {
    expect(retryAfterMsFromError({ headers: { "retry-after": 7 } }, NOW)).toBe(7_000);
    expect(retryAfterMsFromError({ headers: { "retry-after": ["5", "9"] } }, NOW)).toBe(5_000);
  });

  it("reads error.response.headers", () => {
    expect(retryAfterMsFromError({ response: { status: 429, headers: new Headers({ "retry-after": "3" }) } }, NOW)).toBe(3_000);
  });

  it("returns null without a usable header", () => {
    expect(retryAfterMsFromError(rateLimited({}), NOW)).toBeNull();
    expect(retryAfterMsFromError(new Error("no headers"), NOW)).toBeNull();
    expect(retryAfterMsFromError({ headers: { "retry-after": "soon-ish 12" } }, NOW)).toBeNull();
    expect(retryAfterMsFromError({ headers: { "retry-after": "-5" } }, NOW)).toBeNull();
    expect(retryAfterMsFromError({ headers: { "retry-after": "" } }, NOW)).toBeNull();
    expect(retryAfterMsFromError(undefined, NOW)).toBeNull();
  });
});

describe(`${retryAfterMsFromError.name} (HTTP-date forms)`, () => {
  it("accepts the obsolete RFC 850 and asctime forms", () => {
    expect(retryAfterMsFromError({ headers: { "retry-after": "Wednesday, 21-Oct-26 07:28:10 GMT" } }, NOW)).toBe(10_000);
    expect(retryAfterMsFromError({ headers: { "retry-after": "Wed Oct 21 07:28:20 2026" } }, NOW)).toBe(20_000);
  });
});
