import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRateLimitHeaders, type HeadersLike } from "../../src/selection/rate-limit-headers.js";
import { referenceParseRateLimitHeaders } from "./reference/rate-limit-headers-v1.js";

const NOW = Date.parse("2026-12-02T04:00:00Z");

const name = fc.constantFrom(
  "anthropic-ratelimit-requests-limit",
  "anthropic-ratelimit-requests-remaining",
  "anthropic-ratelimit-requests-reset",
  "anthropic-ratelimit-tokens-limit",
  "anthropic-ratelimit-input-tokens-remaining",
  "anthropic-ratelimit-output-tokens-reset",
  "Anthropic-RateLimit-Requests-Remaining",
  "anthropic-ratelimit-widgets-limit",
  "anthropic-ratelimit-unified-status",
  "anthropic-ratelimit-unified-reset",
  "anthropic-ratelimit-unified-representative-claim",
  "anthropic-ratelimit-unified-5h-utilization",
  "anthropic-ratelimit-unified-7d_opus-reset",
  "anthropic-ratelimit-unified-overage-status",
  "anthropic-ratelimit-unified-5h-surpassed-threshold",
  "ANTHROPIC-RATELIMIT-UNIFIED-7D-STATUS",
  "retry-after",
  "retry-after-ms",
  "Retry-After",
  "content-type",
  "request-id",
);
const value = fc.oneof(
  fc.constantFrom("0", "17", "1000000", "0.42", "1.2", "2", "allowed", "Rejected", "allowed_warning", "five_hour", "2026-12-02T04:01:00Z", "2026-12-02 04:01:00.5+00:00", "Wed, 02 Dec 2026 04:01:00 GMT", "", " 12 ", "-1", "1e3", "99999999999999999"),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: Math.floor(NOW / 1000) - 10, max: Math.floor(NOW / 1000) + 40 * 86_400 }).map(String),
);
const headerSet = fc.array(fc.tuple(name, value), { maxLength: 30 });

/** What a parse gives, with `undefined` and key order made comparable. */
function plain(snapshot: unknown): unknown {
  return JSON.parse(JSON.stringify(snapshot ?? null));
}

describe("parseRateLimitHeaders agrees with the reference parser", () => {
  it("on a Headers instance, for any set of names and values", () => {
    fc.assert(
      fc.property(headerSet, (pairs) => {
        const headers = new Headers();
        for (const [n, v] of pairs) {
          try {
            headers.append(n, v);
          } catch {
            // a value Headers refuses is not a header anyone can receive
          }
        }
        expect(plain(parseRateLimitHeaders(headers, NOW))).toEqual(plain(referenceParseRateLimitHeaders(headers, NOW)));
      }),
      { seed: 1602, numRuns: 500 },
    );
  });

  it("on a plain record (any letter case, arrays and numbers as values)", () => {
    const recordValue = fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 }), fc.integer({ min: -5, max: 100 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, recordValue), { maxLength: 30 }), (pairs) => {
        const record = Object.fromEntries(pairs) as HeadersLike;
        expect(plain(parseRateLimitHeaders(record, NOW))).toEqual(plain(referenceParseRateLimitHeaders(record, NOW)));
      }),
      { seed: 1603, numRuns: 500 },
    );
  });

  it("reads at most 200 usable headers of a look-alike, as before", () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 250; i += 1) many[`x-filler-${i}`] = "1";
    many["anthropic-ratelimit-requests-remaining"] = "3";
    expect(parseRateLimitHeaders(many, NOW)).toBeNull();
    expect(referenceParseRateLimitHeaders(many, NOW)).toBeNull();
    const first: Record<string, string> = { "anthropic-ratelimit-requests-remaining": "3", ...many };
    expect(plain(parseRateLimitHeaders(first, NOW))).toEqual(plain(referenceParseRateLimitHeaders(first, NOW)));
  });

  it("keeps what was read before an accessor threw", () => {
    const hostile = {
      "anthropic-ratelimit-requests-remaining": "4",
      get "anthropic-ratelimit-requests-limit"(): string {
        throw new Error("boom");
      },
    } as unknown as HeadersLike;
    expect(plain(parseRateLimitHeaders(hostile, NOW))).toEqual(plain(referenceParseRateLimitHeaders(hostile, NOW)));
    const headersThrowing = { get: () => null, forEach: () => { throw new Error("boom"); }, entries: () => { throw new Error("boom"); } } as unknown as HeadersLike;
    expect(parseRateLimitHeaders(headersThrowing, NOW)).toBeNull();
  });
});
