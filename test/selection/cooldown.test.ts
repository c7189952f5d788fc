import { describe, expect, it } from "vitest";
import {
  clearCooldownStats,
  describeUnusable,
  recordFailure,
  recordSuccess,
  unusableUntil,
} from "../../src/selection/cooldown.js";
import { DEFAULT_COOLDOWN_POLICY } from "../../src/selection/policy.js";
import type { FailureReason } from "../../src/model/failure.js";
import type { UsageStats } from "../../src/model/store.js";

const T0 = 1_767_000_000_000;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const policy = DEFAULT_COOLDOWN_POLICY;

/** Records `reason` `times` times, `stepMs` apart, starting at `now`. */
function failTimes(reason: FailureReason, times: number, now = T0, stepMs = 0): { stats: UsageStats; at: number } {
  let stats: UsageStats | undefined;
  let at = now;
  for (let i = 0; i < times; i += 1) {
    at = now + i * stepMs;
    stats = recordFailure(stats, reason, at, policy);
  }
  return { stats: stats ?? {}, at };
}

describe(recordFailure.name, () => {
  it.each([
    [1, 30 * SECOND],
    [2, MINUTE],
    [3, 5 * MINUTE],
    [4, 5 * MINUTE],
    [9, 5 * MINUTE],
  ])("cools a rate-limited profile down on the transient ladder (failure %i → %i ms)", (n, expectedMs) => {
    const { stats, at } = failTimes("rate_limit", n, T0, SECOND);
    expect(stats.cooldownUntil).toBe(at + expectedMs);
    expect(stats.cooldownReason).toBe("rate_limit");
    expect(stats.errorCount).toBe(n);
    expect(stats.failureCounts?.rate_limit).toBe(n);
    expect(stats.lastFailureAt).toBe(at);
  });

  it("shares one transient ladder between rate_limit, overloaded, timeout and unknown", () => {
    let stats = recordFailure(undefined, "rate_limit", T0, policy);
    stats = recordFailure(stats, "overloaded", T0 + MINUTE, policy);
    expect(stats.cooldownUntil).toBe(T0 + 2 * MINUTE);
    stats = recordFailure(stats, "timeout", T0 + 3 * MINUTE, policy);
    expect(stats.cooldownUntil).toBe(T0 + 8 * MINUTE);
    stats = recordFailure(stats, "unknown", T0 + 9 * MINUTE, policy);
    expect(stats.cooldownUntil).toBe(T0 + 14 * MINUTE);
    expect(stats.cooldownReason).toBe("unknown");
    expect(stats.failureCounts).toEqual({ rate_limit: 1, overloaded: 1, timeout: 1, unknown: 1 });
  });

  it("lets a retry-after longer than the step win", () => {
    const stats = recordFailure(undefined, "rate_limit", T0, policy, { retryAfterMs: 90 * SECOND });
    expect(stats.cooldownUntil).toBe(T0 + 90 * SECOND);
  });

  it("keeps the step when retry-after is shorter", () => {
    const stats = recordFailure(undefined, "overloaded", T0, policy, { retryAfterMs: 5 * SECOND });
    expect(stats.cooldownUntil).toBe(T0 + 30 * SECOND);
  });

  it("caps retry-after at one hour", () => {
    const stats = recordFailure(undefined, "rate_limit", T0, policy, { retryAfterMs: 7999 * SECOND });
    expect(stats.cooldownUntil).toBe(T0 + HOUR);
  });

  it("ignores retry-after for auth failures", () => {
    const stats = recordFailure(undefined, "auth", T0, policy, { retryAfterMs: 30 * MINUTE });
    expect(stats.cooldownUntil).toBe(T0 + MINUTE);
  });

  it.each([
    [1, MINUTE],
    [2, 5 * MINUTE],
    [3, 25 * MINUTE],
    [4, HOUR],
    [6, HOUR],
  ])("cools an auth failure down on the auth ladder (failure %i → %i ms)", (n, expectedMs) => {
    const { stats, at } = failTimes("auth", n, T0, 2 * HOUR);
    expect(stats.cooldownUntil).toBe(at + expectedMs);
    expect(stats.cooldownReason).toBe("auth");
    expect(stats.disabledUntil).toBeUndefined();
  });

  it("indexes the auth ladder by auth failures only", () => {
    let stats = recordFailure(undefined, "rate_limit", T0, policy);
    stats = recordFailure(stats, "rate_limit", T0 + MINUTE, policy);
    stats = recordFailure(stats, "auth", T0 + 10 * MINUTE, policy);
    expect(stats.cooldownUntil).toBe(T0 + 11 * MINUTE);
    expect(stats.errorCount).toBe(3);
  });

  it.each([
    [1, 5 * HOUR],
    [2, 10 * HOUR],
    [3, 20 * HOUR],
    [4, 24 * HOUR],
    [8, 24 * HOUR],
  ])("disables a billing failure for 5 h doubling to 24 h (failure %i → %i ms)", (n, expectedMs) => {
    const { stats, at } = failTimes("billing", n, T0, MINUTE);
    expect(stats.disabledUntil).toBe(at + expectedMs);
    expect(stats.disabledReason).toBe("billing");
    expect(stats.cooldownUntil).toBeUndefined();
    expect(stats.failureCounts?.billing).toBe(n);
  });

  it("never overflows the billing doubling, even with a zero base", () => {
    const zeroBase = { ...policy, billingBaseMs: 0 };
    let stats: UsageStats = { failureCounts: { billing: 5000 }, lastFailureAt: T0 };
    stats = recordFailure(stats, "billing", T0, zeroBase);
    expect(stats.disabledUntil).toBe(T0);
    stats = recordFailure({ failureCounts: { billing: 5000 }, lastFailureAt: T0 }, "billing", T0, policy);
    expect(stats.disabledUntil).toBe(T0 + 24 * HOUR);
  });

  it("counts a format failure but never cools the profile down", () => {
    const stats = recordFailure({ lastUsed: T0 - HOUR }, "format", T0, policy);
    expect(stats).toEqual({ lastUsed: T0 - HOUR, errorCount: 1, failureCounts: { format: 1 }, lastFailureAt: T0 });
  });

  it("keeps an existing cooldown when a format failure arrives", () => {
    const cooled = recordFailure(undefined, "auth", T0, policy);
    const stats = recordFailure(cooled, "format", T0 + SECOND, policy);
    expect(stats.cooldownUntil).toBe(T0 + MINUTE);
    expect(stats.cooldownReason).toBe("auth");
  });

  it("resets the counters once the last failure is older than the 24 h window", () => {
    const { stats } = failTimes("rate_limit", 3, T0, SECOND);
    const later = T0 + 2 * SECOND + 24 * HOUR + 1;
    const next = recordFailure(stats, "rate_limit", later, policy);
    expect(next.errorCount).toBe(1);
    expect(next.failureCounts).toEqual({ rate_limit: 1 });
    expect(next.cooldownUntil).toBe(later + 30 * SECOND);
  });

  it("keeps the counters at exactly the window's edge", () => {
    const first = recordFailure(undefined, "rate_limit", T0, policy);
    const next = recordFailure(first, "rate_limit", T0 + 24 * HOUR, policy);
    expect(next.errorCount).toBe(2);
    expect(next.cooldownUntil).toBe(T0 + 24 * HOUR + MINUTE);
  });

  it("resets the billing doubling after the window too", () => {
    const { stats, at } = failTimes("billing", 3, T0, MINUTE);
    const later = at + 25 * HOUR;
    expect(recordFailure(stats, "billing", later, policy).disabledUntil).toBe(later + 5 * HOUR);
  });

  it("honours a custom failure window", () => {
    const short = { ...policy, failureWindowMs: HOUR };
    const first = recordFailure(undefined, "auth", T0, short);
    expect(recordFailure(first, "auth", T0 + 2 * HOUR, short).cooldownUntil).toBe(T0 + 2 * HOUR + MINUTE);
  });

  it("never shortens a later cooldown", () => {
    const long = recordFailure(undefined, "rate_limit", T0, policy, { retryAfterMs: 40 * MINUTE });
    const next = recordFailure(long, "timeout", T0 + SECOND, policy);
    expect(next.cooldownUntil).toBe(T0 + 40 * MINUTE);
    expect(next.cooldownReason).toBe("rate_limit");
    expect(next.errorCount).toBe(2);
  });

  it("never shortens a later billing disable", () => {
    const stats: UsageStats = { disabledUntil: T0 + 48 * HOUR, disabledReason: "billing" };
    expect(recordFailure(stats, "billing", T0, policy).disabledUntil).toBe(T0 + 48 * HOUR);
  });

  it("keeps unknown fields and never mutates its input", () => {
    const input: UsageStats = Object.freeze({ lastUsed: T0 - 1, custom: { a: 1 }, failureCounts: Object.freeze({ auth: 1 }) });
    const copy = structuredClone(input);
    const next = recordFailure(input, "auth", T0, policy);
    expect(input).toEqual(copy);
    expect(next.custom).toEqual({ a: 1 });
    expect(next.failureCounts).toEqual({ auth: 2 });
  });

  it("treats garbage counters in a hand-edited file as zero", () => {
    const stats = { errorCount: "x", failureCounts: { rate_limit: -3 } } as unknown as UsageStats;
    const next = recordFailure(stats, "rate_limit", T0, policy);
    expect(next.errorCount).toBe(1);
    expect(next.cooldownUntil).toBe(T0 + 30 * SECOND);
  });
});

describe(recordSuccess.name, () => {
  it("clears counters, both lanes and forceRefresh, and marks the profile used", () => {
    const failed: UsageStats = {
      ...recordFailure(recordFailure(undefined, "billing", T0, policy), "auth", T0, policy),
      forceRefresh: true,
      note: "kept",
    };
    expect(recordSuccess(failed, T0 + SECOND)).toEqual({ lastUsed: T0 + SECOND, note: "kept" });
  });

  it("starts stats for a profile that has none", () => {
    expect(recordSuccess(undefined, T0)).toEqual({ lastUsed: T0 });
  });
});

describe(clearCooldownStats.name, () => {
  it("clears both the cooldown and the billing disable, with the counters", () => {
    const failed = recordFailure(recordFailure({ lastUsed: T0 - HOUR }, "billing", T0, policy), "rate_limit", T0, policy);
    const cleared = clearCooldownStats({ ...failed, forceRefresh: true });
    expect(cleared).toEqual({ lastUsed: T0 - HOUR, lastFailureAt: T0, forceRefresh: true });
    expect(unusableUntil(cleared, T0)).toBeNull();
  });

  it("restarts the ladders from the first step afterwards", () => {
    const { stats, at } = failTimes("rate_limit", 3, T0, SECOND);
    expect(recordFailure(clearCooldownStats(stats), "rate_limit", at, policy).cooldownUntil).toBe(at + 30 * SECOND);
  });
});

describe(unusableUntil.name, () => {
  it("returns the later of cooldownUntil and disabledUntil while it is in the future", () => {
    const stats: UsageStats = { cooldownUntil: T0 + MINUTE, disabledUntil: T0 + HOUR };
    expect(unusableUntil(stats, T0)).toBe(T0 + HOUR);
    expect(unusableUntil({ cooldownUntil: T0 + MINUTE, disabledUntil: T0 - HOUR }, T0)).toBe(T0 + MINUTE);
  });

  it("returns null once both have passed, at the exact end, or without stats", () => {
    expect(unusableUntil({ cooldownUntil: T0 - 1 }, T0)).toBeNull();
    expect(unusableUntil({ cooldownUntil: T0 }, T0)).toBeNull();
    expect(unusableUntil(undefined, T0)).toBeNull();
  });
});

describe(describeUnusable.name, () => {
  it("reports a cooldown with its reason and remaining time", () => {
    const stats = recordFailure(undefined, "rate_limit", T0, policy);
    expect(describeUnusable("anthropic:a", "anthropic", stats, T0 + 10 * SECOND)).toEqual({
      profileId: "anthropic:a",
      provider: "anthropic",
      kind: "cooldown",
      reason: "rate_limit",
      until: T0 + 30 * SECOND,
      remainingMs: 20 * SECOND,
    });
  });

  it("reports disabled when the billing disable is the later time", () => {
    const stats = recordFailure(recordFailure(undefined, "billing", T0, policy), "auth", T0, policy);
    expect(describeUnusable("anthropic:a", "anthropic", stats, T0)).toMatchObject({
      kind: "disabled",
      reason: "billing",
      until: T0 + 5 * HOUR,
    });
  });

  it("reports a cooldown that outlasts an ending disable", () => {
    const stats: UsageStats = { cooldownUntil: T0 + HOUR, cooldownReason: "auth", disabledUntil: T0 + MINUTE, disabledReason: "billing" };
    expect(describeUnusable("p", "anthropic", stats, T0)).toMatchObject({ kind: "cooldown", reason: "auth" });
  });

  it("gives a null reason for a reason this version does not know", () => {
    const stats = { cooldownUntil: T0 + MINUTE, cooldownReason: "weird" } as unknown as UsageStats;
    expect(describeUnusable("p", "anthropic", stats, T0)?.reason).toBeNull();
  });

  it("returns null for a usable profile", () => {
    expect(describeUnusable("p", "anthropic", { lastUsed: T0 }, T0)).toBeNull();
  });
});
