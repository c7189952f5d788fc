import { describe, expect, it } from "vitest";
import { clearCooldownStats as clearCooldown, describeUnusable, LAPSED_RESET_GRACE_MS, recordFailure, recordSuccess, unusableUntil } from "../../src/selection/cooldown.js";
import { DEFAULT_COOLDOWN_POLICY } from "../../src/selection/policy.js";
import type { UsageStats } from "../../src/model/store.js";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const HOUR = 3_600_000;
const OPUS = { family: "opus", model: "claude-opus-4-7" } as const;

describe(`${recordFailure.name} scoped by model family`, () => {
  it("cools a rate limit of one family only: the profile stays usable for another family", () => {
    const stats = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    expect(unusableUntil(stats, NOW, "opus")).toBe(NOW + 30_000);
    expect(unusableUntil(stats, NOW, "sonnet")).toBeNull();
    expect(describeUnusable("anthropic:a", "anthropic", stats, NOW, "opus")).toMatchObject({ kind: "cooldown", reason: "rate_limit", family: "opus" });
  });

  it("writes the family cooldown in OpenClaw's meaning: cooldownUntil + cooldownReason + cooldownModel", () => {
    const stats = recordFailure(undefined, "overloaded", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    expect(stats).toMatchObject({ cooldownUntil: NOW + 30_000, cooldownReason: "overloaded", cooldownModel: "claude-opus-4-7" });
    expect(stats.familyCooldowns?.["opus"]).toMatchObject({ until: NOW + 30_000, reason: "overloaded", count: 1 });
  });

  it("reads a cooldown OpenClaw scoped with cooldownModel as one of that model's family", () => {
    const openclaw: UsageStats = { cooldownUntil: NOW + 60_000, cooldownReason: "rate_limit", cooldownModel: "claude-opus-4-6" };
    expect(unusableUntil(openclaw, NOW, "opus")).toBe(NOW + 60_000);
    expect(unusableUntil(openclaw, NOW, "sonnet")).toBeNull();
    expect(unusableUntil(openclaw, NOW)).toBeNull();
  });

  it("applies auth and billing to the whole profile and drops a stale cooldownModel with them", () => {
    const scoped = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    const auth = recordFailure(scoped, "auth", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    expect(auth.cooldownModel).toBeUndefined();
    expect(auth).toMatchObject({ cooldownUntil: NOW + 60_000, cooldownReason: "auth" });
    expect(unusableUntil(auth, NOW, "sonnet")).toBe(NOW + 60_000);
    const billing = recordFailure(undefined, "billing", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    expect(unusableUntil(billing, NOW, "sonnet")).toBe(NOW + 5 * HOUR);
  });

  it("climbs each family's ladder on its own", () => {
    let stats = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    stats = recordFailure(stats, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    stats = recordFailure(stats, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { family: "sonnet", model: "claude-sonnet-4-6" });
    expect(unusableUntil(stats, NOW, "opus")).toBe(NOW + 60_000);
    expect(unusableUntil(stats, NOW, "sonnet")).toBe(NOW + 30_000);
  });
});

describe(`${recordFailure.name} until the real reset`, () => {
  it("rests a 429 with an exhausted window until that reset, not the ladder, capped by quotaCapMs", () => {
    expect(unusableUntil(recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, quotaResetAt: NOW + 7_000 }), NOW, "opus")).toBe(NOW + 7_000);
    expect(unusableUntil(recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, quotaResetAt: NOW + 3 * HOUR }), NOW, "opus")).toBe(NOW + 3 * HOUR);
    const capped = recordFailure(undefined, "rate_limit", NOW, { ...DEFAULT_COOLDOWN_POLICY, quotaCapMs: HOUR }, { ...OPUS, quotaResetAt: NOW + 3 * HOUR });
    expect(unusableUntil(capped, NOW, "opus")).toBe(NOW + HOUR);
  });

  it("uses the ladder for a 429 without a quota signal, and never lets a retry-after pass its cap", () => {
    expect(unusableUntil(recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, retryAfterMs: 0 }), NOW, "opus")).toBe(NOW + 30_000);
    expect(unusableUntil(recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, retryAfterMs: 7_999_000 }), NOW, "opus")).toBe(NOW + HOUR);
    expect(unusableUntil(recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, quotaResetAt: NOW - LAPSED_RESET_GRACE_MS - 1 }), NOW, "opus")).toBe(NOW + 30_000);
  });

  it("sets no cooldown for a 429 whose window reset just passed (refilled meanwhile), the ladder for a repeat", () => {
    const first = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, quotaResetAt: NOW - 1 });
    expect(unusableUntil(first, NOW, "opus")).toBeNull();
    expect(first.errorCount).toBe(1);
    const again = recordFailure(first, "rate_limit", NOW + 5, DEFAULT_COOLDOWN_POLICY, { ...OPUS, quotaResetAt: NOW });
    expect(unusableUntil(again, NOW + 5, "opus")).toBe(NOW + 5 + 60_000);
    const wide = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { quotaResetAt: NOW });
    expect(unusableUntil(wide, NOW)).toBeNull();
  });

  it("rests a subscription out of extra usage profile-wide until the unified reset, 1 h when unknown", () => {
    const known = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, kind: "extra_usage", quotaResetAt: NOW + 2 * HOUR });
    expect(unusableUntil(known, NOW, "sonnet")).toBe(NOW + 2 * HOUR);
    const unknown = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, { ...OPUS, kind: "extra_usage" });
    expect(unusableUntil(unknown, NOW)).toBe(NOW + HOUR);
  });

  it("disables a permanent auth failure profile-wide for 24 h with OpenClaw's auth_permanent reason", () => {
    const stats = recordFailure(undefined, "auth", NOW, DEFAULT_COOLDOWN_POLICY, { kind: "auth_permanent" });
    expect(stats).toMatchObject({ disabledUntil: NOW + 24 * HOUR, disabledReason: "auth_permanent" });
    expect(describeUnusable("anthropic:a", "anthropic", stats, NOW, "opus")).toMatchObject({ kind: "disabled", reason: "auth" });
    expect(clearCooldown(stats).disabledUntil).toBeUndefined();
  });
});

describe(`${recordSuccess.name} with families`, () => {
  it("clears the succeeding family and OpenClaw's cooldownModel/cooldownReason, keeping another family's cooldown", () => {
    let stats = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    stats = recordSuccess(stats, NOW + 1, "opus");
    expect(stats.cooldownModel).toBeUndefined();
    expect(stats.cooldownReason).toBeUndefined();
    expect(stats.cooldownUntil).toBeUndefined();
    expect(unusableUntil(stats, NOW, "opus")).toBeNull();

    let both = recordFailure(undefined, "rate_limit", NOW, DEFAULT_COOLDOWN_POLICY, OPUS);
    both = recordSuccess(both, NOW + 1, "sonnet");
    expect(unusableUntil(both, NOW + 1, "opus")).toBe(NOW + 30_000);
    expect(both).toMatchObject({ cooldownModel: "claude-opus-4-7", cooldownUntil: NOW + 30_000 });
  });

  it("clears an OpenClaw-written profile-wide cooldown and its reason on success", () => {
    const stats = recordSuccess({ cooldownUntil: NOW + 60_000, cooldownReason: "rate_limit", cooldownModel: "claude-opus-4-7", errorCount: 2 }, NOW, "opus");
    expect(stats).toEqual({ lastUsed: NOW });
  });
});
