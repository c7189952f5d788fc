// The headroom book's arithmetic: readings, requests in flight, unified steps, and which changes
// move the order's version (a recompute) and which only the cheap soft version.
import { describe, expect, it } from "vitest";
import { FLIGHT_TTL_MS, LimitBook } from "../../src/resolver/limit-book.js";
import { emptyStore } from "../../src/store/format.js";
import { exhaustionOf, requestRoomOf, roomAt, unifiedSteps } from "../../src/selection/headroom.js";
import { parseRateLimitHeaders } from "../../src/selection/rate-limit-headers.js";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const RESET = NOW + 30_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const requests = (remaining: number, at = NOW) => parseRateLimitHeaders({ "anthropic-ratelimit-requests-limit": "5", "anthropic-ratelimit-requests-remaining": String(remaining), "anthropic-ratelimit-requests-reset": iso(RESET) }, at)!;
const unified = (u: number, at = NOW) => parseRateLimitHeaders({ "anthropic-ratelimit-unified-5h-utilization": String(u), "anthropic-ratelimit-unified-5h-reset": String(Math.floor(RESET / 1_000)) }, at)!;
const data = emptyStore();

describe("LimitBook", () => {
  it("predicts a pair full when its requests in flight use the room the last reading left, until a report frees one", () => {
    const book = new LimitBook();
    book.note("a", "sonnet", requests(2), NOW);
    expect(book.exhausted("sonnet", data, NOW).size).toBe(0);
    book.reserve("a", "sonnet", NOW);
    book.reserve("a", "sonnet", NOW);
    expect(book.exhausted("sonnet", data, NOW).get("a")).toBe(RESET);
    expect(book.standing("sonnet", data, NOW).windows.get("a")).toBe("in_flight");
    book.release("a", "sonnet", NOW + 1);
    expect(book.exhausted("sonnet", data, NOW + 1).size).toBe(0);
    // Another family of the same profile is untouched.
    expect(book.exhausted("opus", data, NOW).size).toBe(0);
  });

  it("refills to -limit at the reset, minus what is still in flight", () => {
    const book = new LimitBook();
    book.note("a", "sonnet", requests(0), NOW);
    expect(book.exhausted("sonnet", data, NOW).get("a")).toBe(RESET);
    for (let i = 0; i < 5; i += 1) book.reserve("a", "sonnet", RESET);
    expect(book.exhausted("sonnet", data, RESET).has("a")).toBe(true);
    book.release("a", "sonnet", RESET + 1);
    expect(book.exhausted("sonnet", data, RESET + 1).has("a")).toBe(false);
  });

  it("forgets a request never reported after FLIGHT_TTL_MS", () => {
    const book = new LimitBook();
    book.note("a", "sonnet", requests(1), NOW);
    book.reserve("a", "sonnet", NOW);
    expect(book.exhausted("sonnet", data, NOW + 1).has("a")).toBe(true);
    expect(book.exhausted("sonnet", data, NOW + FLIGHT_TTL_MS).has("a")).toBe(false);
  });

  it("keeps the tightest reading of one window when answers arrive out of order", () => {
    const book = new LimitBook();
    book.note("a", "sonnet", requests(1), NOW);
    book.note("a", "sonnet", requests(3), NOW + 1);
    book.reserve("a", "sonnet", NOW + 2);
    expect(book.exhausted("sonnet", data, NOW + 2).has("a")).toBe(true);
  });

  it("moves only the soft version for a busy pair (room unknown, requests in flight), ordering the fewest in flight first", () => {
    const book = new LimitBook();
    const version = book.version;
    const soft = book.softVersion;
    book.reserve("a", "sonnet", NOW);
    book.reserve("a", "sonnet", NOW);
    book.reserve("b", "sonnet", NOW);
    expect(book.version).toBe(version);
    expect(book.softVersion).toBeGreaterThan(soft);
    const standing = book.standing("sonnet", data, NOW);
    expect([...standing.soft].sort()).toEqual(["a", "b"]);
    expect(standing.softRank?.get("b")).toBeLessThan(standing.softRank?.get("a") ?? 0);
    expect(standing.exhausted.size).toBe(0);
  });

  it("turns unified utilization into requests with the step one request takes", () => {
    const book = new LimitBook();
    book.note("t", "opus", unified(0.25), NOW);
    book.note("t", "opus", unified(0.5), NOW + 1);
    book.reserve("t", "opus", NOW + 2);
    expect(book.exhausted("opus", data, NOW + 2).has("t")).toBe(false);
    book.reserve("t", "opus", NOW + 2);
    expect(book.exhausted("opus", data, NOW + 2).get("t")).toBe(Math.floor(RESET / 1_000) * 1_000);
  });
});

describe("headroom arithmetic", () => {
  it("reads the request room of the requests window and of unified windows with a known step", () => {
    expect(requestRoomOf(requests(3), "sonnet", new Map())).toEqual({ room: 3, resetAt: RESET, refill: 5 });
    expect(requestRoomOf(unified(0.5), "sonnet", new Map()).room).toBe(Number.POSITIVE_INFINITY);
    expect(requestRoomOf(unified(0.5), "sonnet", new Map([["5h", 0.25]])).room).toBe(2);
    expect(roomAt(requestRoomOf(requests(0), "sonnet", new Map()), RESET)).toBe(5);
  });

  it("learns the smallest utilization change of one window, across the same reset only", () => {
    const steps = unifiedSteps(unified(0.25), unified(0.75), new Map());
    expect(steps.get("5h")).toBe(0.5);
    expect(unifiedSteps(unified(0.75), unified(0.5), steps).get("5h")).toBe(0.25);
    const otherWindow = parseRateLimitHeaders({ "anthropic-ratelimit-unified-5h-utilization": "0.9", "anthropic-ratelimit-unified-5h-reset": String(Math.floor(RESET / 1_000) + 3_600) }, NOW)!;
    expect(unifiedSteps(unified(0.25), otherWindow, new Map()).size).toBe(0);
  });

  it("reports a lapsed exhaustion only when asked", () => {
    const lapsed = parseRateLimitHeaders({ "anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": iso(NOW - 1_000) }, NOW)!;
    expect(exhaustionOf(lapsed, NOW)).toBeNull();
    expect(exhaustionOf(lapsed, NOW, { lapsed: true })).toEqual({ until: NOW - 1_000, window: "requests" });
  });
});
