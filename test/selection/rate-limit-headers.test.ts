import { describe, expect, it } from "vitest";
import { parseRateLimitHeaders, rateLimitsFromError } from "../../src/selection/rate-limit-headers.js";
import { exhaustionOf } from "../../src/selection/headroom.js";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const epochSec = (ms: number): string => String(Math.floor(ms / 1_000));

describe(parseRateLimitHeaders.name, () => {
  it("reads the standard windows with their RFC 3339 resets", () => {
    const snap = parseRateLimitHeaders(
      new Headers({
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": iso(NOW + 12_000),
        "anthropic-ratelimit-tokens-limit": "80000",
        "anthropic-ratelimit-tokens-remaining": "79000",
        "anthropic-ratelimit-tokens-reset": "2026-12-01T13:00:00+01:00",
        "anthropic-ratelimit-input-tokens-remaining": "40000",
        "anthropic-ratelimit-output-tokens-remaining": "16000",
        "retry-after": "12",
      }),
      NOW,
    );
    expect(snap?.windows["requests"]).toEqual({ limit: 50, remaining: 0, resetAt: NOW + 12_000 });
    expect(snap?.windows["tokens"]).toEqual({ limit: 80_000, remaining: 79_000, resetAt: NOW });
    expect(snap?.windows["input-tokens"]?.remaining).toBe(40_000);
    expect(snap?.windows["output-tokens"]?.remaining).toBe(16_000);
    expect(snap?.retryAfterMs).toBe(12_000);
  });

  it("reads the unified family: epoch-second resets, 0–1 utilization, statuses, the representative claim", () => {
    const snap = parseRateLimitHeaders(
      {
        "Anthropic-Ratelimit-Unified-Status": "rejected",
        "anthropic-ratelimit-unified-reset": epochSec(NOW + 3_600_000),
        "anthropic-ratelimit-unified-representative-claim": "five_hour",
        "anthropic-ratelimit-unified-5h-utilization": "1.0",
        "anthropic-ratelimit-unified-5h-status": "rejected",
        "anthropic-ratelimit-unified-5h-reset": epochSec(NOW + 3_600_000),
        "anthropic-ratelimit-unified-7d-utilization": "0.42",
        "anthropic-ratelimit-unified-7d-status": "allowed",
        "anthropic-ratelimit-unified-overage-status": "rejected",
      },
      NOW,
    );
    expect(snap).toMatchObject({ unifiedStatus: "rejected", unifiedResetAt: NOW + 3_600_000, representativeClaim: "five_hour" });
    expect(snap?.unified["5h"]).toEqual({ utilization: 1, status: "rejected", resetAt: NOW + 3_600_000 });
    expect(snap?.unified["7d"]).toEqual({ utilization: 0.42, status: "allowed", resetAt: null });
    expect(snap?.unified["overage"]?.status).toBe("rejected");
  });

  it("ignores malformed, absurd and far-away values instead of guessing", () => {
    const snap = parseRateLimitHeaders(
      {
        "anthropic-ratelimit-requests-remaining": "-1",
        "anthropic-ratelimit-requests-reset": "soon",
        "anthropic-ratelimit-tokens-reset": "1767000000",
        "anthropic-ratelimit-unified-reset": epochSec(NOW + 400 * 86_400_000),
        "anthropic-ratelimit-unified-5h-utilization": "42",
        "anthropic-ratelimit-unified-status": "maybe",
        "retry-after": "0x10",
      },
      NOW,
    );
    expect(snap?.windows["requests"]).toEqual({ limit: null, remaining: null, resetAt: null });
    expect(snap?.windows["tokens"]?.resetAt).toBeNull();
    expect(snap?.unifiedResetAt).toBeNull();
    expect(snap?.unified["5h"]?.utilization).toBeNull();
    expect(snap?.unifiedStatus).toBeNull();
    expect(snap?.retryAfterMs).toBeNull();
  });

  it("returns null without any rate-limit header, and reads an SDK error's headers", () => {
    expect(parseRateLimitHeaders(new Headers({ "content-type": "application/json" }), NOW)).toBeNull();
    const error = { status: 429, headers: new Headers({ "retry-after-ms": "1500", "retry-after": "9" }) };
    expect(rateLimitsFromError(error, NOW)?.retryAfterMs).toBe(1_500);
    expect(rateLimitsFromError({ status: 429 }, NOW)).toBeNull();
  });
});

describe(exhaustionOf.name, () => {
  const snap = (headers: Record<string, string>) => parseRateLimitHeaders(headers, NOW)!;

  it("says a window with remaining 0 is exhausted until its reset, the latest of several", () => {
    const s = snap({
      "anthropic-ratelimit-requests-remaining": "0",
      "anthropic-ratelimit-requests-reset": iso(NOW + 5_000),
      "anthropic-ratelimit-tokens-remaining": "0",
      "anthropic-ratelimit-tokens-reset": iso(NOW + 20_000),
    });
    expect(exhaustionOf(s, NOW)).toEqual({ until: NOW + 20_000, window: "tokens" });
  });

  it("sees headroom when remaining is above 0 or the reset is past", () => {
    expect(exhaustionOf(snap({ "anthropic-ratelimit-requests-remaining": "3", "anthropic-ratelimit-requests-reset": iso(NOW + 5_000) }), NOW)).toBeNull();
    expect(exhaustionOf(snap({ "anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": iso(NOW - 5_000) }), NOW)).toBeNull();
    expect(exhaustionOf(snap({ "anthropic-ratelimit-requests-remaining": "0" }), NOW)).toBeNull();
  });

  it("counts unified utilization at the threshold (0.98 by default) and a rejected status", () => {
    const reset = epochSec(NOW + 7_200_000);
    const at = (u: string) => snap({ "anthropic-ratelimit-unified-5h-utilization": u, "anthropic-ratelimit-unified-5h-reset": reset });
    expect(exhaustionOf(at("0.97"), NOW)).toBeNull();
    expect(exhaustionOf(at("0.98"), NOW)).toEqual({ until: NOW + 7_200_000, window: "5h", soft: true });
    expect(exhaustionOf(at("1.0"), NOW)).toEqual({ until: NOW + 7_200_000, window: "5h" });
    expect(exhaustionOf(at("0.9"), NOW, { threshold: 0.9 })).not.toBeNull();
    expect(exhaustionOf(snap({ "anthropic-ratelimit-unified-status": "rejected", "anthropic-ratelimit-unified-reset": reset }), NOW)).toEqual({ until: NOW + 7_200_000, window: "unified" });
  });

  it("applies a unified window named for a family only to that family", () => {
    const s = snap({ "anthropic-ratelimit-unified-7d_opus-status": "rejected", "anthropic-ratelimit-unified-7d_opus-reset": epochSec(NOW + 86_400_000) });
    expect(exhaustionOf(s, NOW, { family: "opus" })).not.toBeNull();
    expect(exhaustionOf(s, NOW, { family: "sonnet" })).toBeNull();
  });
});
