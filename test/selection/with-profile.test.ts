import { describe, expect, it } from "vitest";
import type { StoreData } from "../../src/model/store.js";
import { withProfile } from "../../src/selection/usage.js";

const data: StoreData = {
  version: 1,
  profiles: { "anthropic:a": { type: "oauth", provider: "anthropic", access: "old", refresh: "r-old", expires: 1, email: "a@example.com" } },
  usageStats: { "anthropic:a": { lastUsed: 5, cooldownUntil: 99, errorCount: 2, forceRefresh: true } },
};
const next = { type: "oauth", provider: "anthropic", access: "new", refresh: "r-new", expires: 2 } as const;

describe(withProfile.name, () => {
  it("a new credential keeps unknown fields of the same type and clears the failure state", () => {
    const out = withProfile(data, "anthropic:a", next);
    expect(out.profiles["anthropic:a"]).toEqual({ ...next, email: "a@example.com" });
    expect(out.usageStats?.["anthropic:a"]).toEqual({ lastUsed: 5 });
  });

  it("refreshed tokens clear only forceRefresh: a cooldown stays", () => {
    const out = withProfile(data, "anthropic:a", next, "forceRefresh");
    expect(out.usageStats?.["anthropic:a"]).toEqual({ lastUsed: 5, cooldownUntil: 99, errorCount: 2 });
    expect(data.usageStats?.["anthropic:a"]?.forceRefresh).toBe(true);
  });

  it("drops the fields of an entry of another type", () => {
    const out = withProfile(data, "anthropic:a", { type: "api_key", provider: "anthropic", key: "sk-ant-api03-x" });
    expect(out.profiles["anthropic:a"]).toEqual({ type: "api_key", provider: "anthropic", key: "sk-ant-api03-x" });
  });
});
