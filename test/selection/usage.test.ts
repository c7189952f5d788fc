import { describe, expect, it } from "vitest";
import { DEFAULT_COOLDOWN_POLICY } from "../../src/selection/policy.js";
import {
  withClearedCooldown,
  withFailure,
  withForceRefresh,
  withLastUsed,
  withoutForceRefresh,
  withSuccess,
} from "../../src/selection/usage.js";
import type { StoreData } from "../../src/model/store.js";

const T0 = 1_767_000_000_000;
const HOUR = 3_600_000;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function store(): StoreData {
  return deepFreeze({
    version: 1,
    profiles: {
      "anthropic:default": { type: "api_key", provider: "anthropic", key: "sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxx", extra: 1 },
    },
    usageStats: { "anthropic:other": { lastUsed: T0 - HOUR, custom: "kept" } },
    lastGood: { openai: "openai:default" },
    futureField: { nested: true },
  } as StoreData);
}

describe(withFailure.name, () => {
  it("records the failure and reports until when the profile is unusable", () => {
    const data = store();
    const { data: next, outcome } = withFailure(data, "anthropic:default", "rate_limit", T0, DEFAULT_COOLDOWN_POLICY, {
      retryAfterMs: 120_000,
    });
    expect(outcome).toEqual({ reason: "rate_limit", unusableUntil: T0 + 120_000 });
    expect(next.usageStats?.["anthropic:default"]).toMatchObject({ cooldownUntil: T0 + 120_000, errorCount: 1 });
    expect(next.usageStats?.["anthropic:other"]).toEqual({ lastUsed: T0 - HOUR, custom: "kept" });
    expect(next.futureField).toEqual({ nested: true });
    expect(next.profiles).toBe(data.profiles);
  });

  it("records a failure for a profile that is not stored (a live Claude Code login)", () => {
    const { data, outcome } = withFailure(store(), "anthropic:claude-cli", "auth", T0);
    expect(outcome.unusableUntil).toBe(T0 + 60_000);
    expect(data.usageStats?.["anthropic:claude-cli"]?.cooldownReason).toBe("auth");
  });

  it("reports no cooldown for a format failure", () => {
    const { data, outcome } = withFailure(store(), "anthropic:default", "format", T0);
    expect(outcome).toEqual({ reason: "format", unusableUntil: null });
    expect(data.usageStats?.["anthropic:default"]?.failureCounts).toEqual({ format: 1 });
  });

  it("returns the same document for a null reason", () => {
    const data = store();
    expect(withFailure(data, "anthropic:default", null, T0)).toEqual({ data, outcome: { reason: null, unusableUntil: null } });
    expect(withFailure(data, "anthropic:default", null, T0).data).toBe(data);
  });

  it("creates usageStats in a document without any", () => {
    const { data } = withFailure({ version: 1, profiles: {} }, "p", "billing", T0);
    expect(data.usageStats?.p).toMatchObject({ disabledUntil: T0 + 5 * HOUR, disabledReason: "billing" });
  });
});

describe(withSuccess.name, () => {
  it("clears the profile's state, marks it used and sets lastGood for the provider", () => {
    const failed = withFailure(store(), "anthropic:default", "billing", T0).data;
    const next = withSuccess(deepFreeze(failed), "anthropic:default", "anthropic", T0 + 1);
    expect(next.usageStats?.["anthropic:default"]).toEqual({ lastUsed: T0 + 1 });
    expect(next.lastGood).toEqual({ openai: "openai:default", anthropic: "anthropic:default" });
    expect(next.futureField).toEqual({ nested: true });
  });
});

describe(withClearedCooldown.name, () => {
  it("clears both lanes of one profile", () => {
    let data = withFailure(store(), "anthropic:default", "billing", T0).data;
    data = withFailure(deepFreeze(data), "anthropic:default", "rate_limit", T0).data;
    const cleared = withClearedCooldown(deepFreeze(data), "anthropic:default");
    expect(cleared.usageStats?.["anthropic:default"]).toEqual({ lastFailureAt: T0 });
  });

  it("returns the same document when the profile has no stats", () => {
    const data = store();
    expect(withClearedCooldown(data, "anthropic:default")).toBe(data);
  });
});

describe(withForceRefresh.name, () => {
  it("marks the profile for a refresh and keeps its other stats", () => {
    const next = withForceRefresh(store(), "anthropic:other");
    expect(next.usageStats?.["anthropic:other"]).toEqual({ lastUsed: T0 - HOUR, custom: "kept", forceRefresh: true });
  });
});

describe(withoutForceRefresh.name, () => {
  it("removes the mark", () => {
    const marked = deepFreeze(withForceRefresh(store(), "anthropic:other"));
    expect(withoutForceRefresh(marked, "anthropic:other").usageStats?.["anthropic:other"]).toEqual({
      lastUsed: T0 - HOUR,
      custom: "kept",
    });
  });

  it("returns the same document when nothing is marked", () => {
    const data = store();
    expect(withoutForceRefresh(data, "anthropic:other")).toBe(data);
    expect(withoutForceRefresh(data, "missing")).toBe(data);
  });
});

describe(withLastUsed.name, () => {
  it("moves lastUsed forward, never back, keeps other fields and returns the same document when nothing moves", () => {
    const data = { version: 1 as const, profiles: {}, usageStats: { a: { lastUsed: 100, errorCount: 2, extra: "kept" }, b: { lastUsed: 500 } } };
    const next = withLastUsed(data, [["a", 200], ["b", 300], ["c", 50]]);
    expect(next.usageStats).toEqual({ a: { lastUsed: 200, errorCount: 2, extra: "kept" }, b: { lastUsed: 500 }, c: { lastUsed: 50 } });
    expect(data.usageStats.a.lastUsed).toBe(100);
    expect(withLastUsed(data, [["b", 400]])).toBe(data);
  });
});
