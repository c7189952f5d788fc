import { describe, expect, it } from "vitest";
import { hasLegacyState, mergeAuthState, splitAuthState } from "../../src/store/auth-state.js";

const credentials = {
  version: 1,
  profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: "k" } },
  note: "kept",
  order: { anthropic: ["anthropic:a"], openai: ["openai:x"] },
  usageStats: { "anthropic:a": { errorCount: 9 }, "anthropic:b": { errorCount: 2 } },
};

describe("mergeAuthState (OpenClaw's load of auth-profiles.json + auth-state.json)", () => {
  it("lets the state document win per provider and per profile, and uses legacy entries only where it has none", () => {
    const state = { version: 1, order: { anthropic: ["anthropic:b", "anthropic:a"] }, lastGood: { anthropic: "anthropic:b" }, usageStats: { "anthropic:a": { errorCount: 0 } } };
    const merged = mergeAuthState(credentials, state);
    expect(merged).toEqual({
      version: 1,
      profiles: credentials.profiles,
      note: "kept",
      order: { anthropic: ["anthropic:b", "anthropic:a"], openai: ["openai:x"] },
      usageStats: { "anthropic:a": { errorCount: 0 }, "anthropic:b": { errorCount: 2 } },
      lastGood: { anthropic: "anthropic:b" },
    });
    // The state's own entries come first, in its order.
    expect(Object.keys(merged["usageStats"] as object)).toEqual(["anthropic:a", "anthropic:b"]);
    expect(credentials.usageStats["anthropic:a"]).toEqual({ errorCount: 9 });
  });

  it("returns the credentials document as it is without a state document, and never takes the state's version or other fields", () => {
    expect(mergeAuthState(credentials, undefined)).toEqual(credentials);
    expect(mergeAuthState({ version: 1, profiles: {} }, { version: 7, future: true })).toEqual({ version: 1, profiles: {} });
  });

  it("keeps a __proto__ key from JSON as an own entry", () => {
    const state = JSON.parse('{"version": 1, "usageStats": {"__proto__": {"errorCount": 1}}}') as Record<string, unknown>;
    const merged = mergeAuthState({ version: 1, profiles: {}, usageStats: { x: {} } }, state);
    const usage = merged["usageStats"] as Record<string, unknown>;
    expect(Object.keys(usage)).toEqual(["__proto__", "x"]);
    expect(Object.getPrototypeOf(usage)).toBe(Object.prototype);
  });
});

describe("splitAuthState (the two documents OpenClaw ≥ 2026.4.7 writes)", () => {
  it("puts order, lastGood and usageStats in the state document and everything else with the credentials", () => {
    const { credentials: out, state } = splitAuthState({ ...credentials, lastGood: { anthropic: "anthropic:a" } }, undefined);
    expect(out).toEqual({ version: 1, profiles: credentials.profiles, note: "kept" });
    expect(state).toEqual({ version: 1, order: credentials.order, usageStats: credentials.usageStats, lastGood: { anthropic: "anthropic:a" } });
    expect(Object.keys(state)[0]).toBe("version");
  });

  it("keeps the previous state document's layout, version and fields of its own, and drops a section the document no longer has", () => {
    const previous = { future: 1, usageStats: {}, version: 1, order: {}, lastGood: {} };
    const { state } = splitAuthState({ version: 1, profiles: {}, usageStats: { a: { errorCount: 1 } }, order: { anthropic: ["a"] } }, previous);
    expect(Object.keys(state)).toEqual(["future", "usageStats", "version", "order"]);
    expect(state).toEqual({ future: 1, usageStats: { a: { errorCount: 1 } }, version: 1, order: { anthropic: ["a"] } });
  });

  it("round-trips through mergeAuthState", () => {
    const document = { ...credentials, lastGood: { anthropic: "anthropic:a" } };
    const { credentials: out, state } = splitAuthState(document, undefined);
    expect(mergeAuthState(out, state)).toEqual(document);
  });
});

describe("hasLegacyState", () => {
  it("tells a credentials document that still carries state", () => {
    expect(hasLegacyState(credentials)).toBe(true);
    expect(hasLegacyState({ version: 1, profiles: {} })).toBe(false);
    expect(hasLegacyState({ version: 1, profiles: {}, lastGood: {} })).toBe(true);
  });
});
