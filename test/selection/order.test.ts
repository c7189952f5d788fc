import { describe, expect, it } from "vitest";
import type { AuthProfilesConfig } from "../../src/config/types.js";
import { orderProfiles } from "../../src/selection/order.js";
import { withFailure, withSuccess } from "../../src/selection/usage.js";
import type { StoreData, UsageStats } from "../../src/model/store.js";

const NOW = 1_767_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const provider = "anthropic";

const apiKey = (key = "sk-ant-api03-aaaaaaaaaaaaaaaaaaaaaaaaaaaa") => ({ type: "api_key", provider, key }) as const;
const token = (expires?: number) =>
  ({ type: "token", provider, token: "sk-ant-oat01-bbbbbbbbbbbbbbbbbbbbbbbbbbbb", ...(expires === undefined ? {} : { expires }) }) as const;
const oauth = (fields: Record<string, unknown> = {}) =>
  ({ type: "oauth", provider, access: "sk-ant-oat01-cccccccccccc", refresh: "sk-ant-ort01-dddddddddddd", expires: NOW - HOUR, ...fields }) as const;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function storeOf(profiles: Record<string, unknown>, rest: Partial<Omit<StoreData, "version" | "profiles">> = {}): StoreData {
  return deepFreeze({ version: 1, profiles, ...rest } as StoreData);
}

function configOf(auth: Record<string, unknown>): AuthProfilesConfig {
  return deepFreeze({ auth } as AuthProfilesConfig);
}

function order(store: StoreData, config?: AuthProfilesConfig, preferred?: string, now = NOW): readonly string[] {
  return orderProfiles({ store, config, provider, now, preferred }).order;
}

describe(orderProfiles.name, () => {
  describe("explicit order", () => {
    const profiles = { a: apiKey(), b: apiKey(), c: oauth() };

    it("uses the store's order over the config's", () => {
      const store = storeOf(profiles, { order: { anthropic: ["b", "a"] } });
      const config = configOf({ order: { anthropic: ["a", "c"] } });
      expect(orderProfiles({ store, config, provider, now: NOW })).toMatchObject({ order: ["b", "a"], source: "store_order" });
    });

    it("uses the config's order when the store has none, or only blank entries", () => {
      const config = configOf({ order: { anthropic: ["a", "c"] } });
      expect(order(storeOf(profiles), config)).toEqual(["a", "c"]);
      expect(order(storeOf(profiles, { order: { anthropic: [" ", ""] } }), config)).toEqual(["a", "c"]);
      expect(order(storeOf(profiles, { order: { anthropic: [] } }), config)).toEqual(["a", "c"]);
    });

    it("keeps the order as written instead of sorting by type or last use", () => {
      const store = storeOf(profiles, {
        order: { anthropic: ["b", "a", "c"] },
        usageStats: { b: { lastUsed: NOW - 1 }, a: { lastUsed: 1 } },
      });
      expect(order(store)).toEqual(["b", "a", "c"]);
    });

    it("trims ids and drops duplicates", () => {
      expect(order(storeOf(profiles, { order: { anthropic: [" a ", "b", "a", "b ", "c"] } }))).toEqual(["a", "b", "c"]);
    });

    it("drops ids that are missing, of another provider or otherwise ineligible", () => {
      const store = storeOf(
        { ...profiles, o: { type: "api_key", provider: "openai", key: "sk-x" }, e: apiKey("  ") },
        { order: { anthropic: ["ghost", "o", "e", "a"] } },
      );
      expect(order(store)).toEqual(["a"]);
    });

    it("matches the provider key case-insensitively", () => {
      expect(order(storeOf(profiles, { order: { Anthropic: ["c", "a"] } }))).toEqual(["c", "a"]);
    });

    it("still puts profiles in cooldown last, soonest available first", () => {
      const store = storeOf(profiles, {
        order: { anthropic: ["a", "b", "c"] },
        usageStats: { a: { cooldownUntil: NOW + 5 * MINUTE }, b: { disabledUntil: NOW + HOUR } },
      });
      expect(order(store)).toEqual(["c", "a", "b"]);
    });
  });

  describe("candidates without an explicit order", () => {
    it("uses the config's profiles for the provider and ignores store-only ones", () => {
      const store = storeOf({ a: apiKey(), b: apiKey(), storeOnly: oauth() });
      const config = configOf({
        profiles: { a: { provider, mode: "api_key" }, b: { provider, mode: "api_key" }, x: { provider: "openai", mode: "api_key" } },
      });
      expect(orderProfiles({ store, config, provider, now: NOW })).toMatchObject({ order: ["a", "b"], source: "config_profiles" });
    });

    it("uses every stored profile of the provider when the config lists none", () => {
      const store = storeOf({ a: apiKey(), b: token(), o: { type: "api_key", provider: "openai", key: "sk-x" } });
      const config = configOf({ profiles: { x: { provider: "openai", mode: "api_key" } } });
      expect(orderProfiles({ store, config, provider, now: NOW })).toMatchObject({ order: ["b", "a"], source: "store_profiles" });
      expect(order(store)).toEqual(["b", "a"]);
    });

    it("returns nothing for a provider without profiles", () => {
      expect(orderProfiles({ store: storeOf({}), provider, now: NOW })).toEqual({ order: [], unusable: [], source: "store_profiles", exhausted: [] });
    });
  });

  describe("round-robin", () => {
    it("puts oauth before token before api_key", () => {
      const store = storeOf({ k: apiKey(), t: token(), o: oauth() });
      expect(order(store)).toEqual(["o", "t", "k"]);
    });

    it("sorts each type by lastUsed, least recent first, a missing lastUsed counting as 0", () => {
      const store = storeOf(
        { k1: apiKey(), k2: apiKey(), k3: apiKey(), o: oauth() },
        { usageStats: { k1: { lastUsed: NOW - MINUTE }, k2: { lastUsed: NOW - HOUR }, o: { lastUsed: NOW } } },
      );
      expect(order(store)).toEqual(["o", "k3", "k2", "k1"]);
    });

    it("breaks ties in the store's insertion order, as OpenClaw does (not by id)", () => {
      const store = storeOf({ "anthropic:b": apiKey(), "anthropic:a": apiKey(), "anthropic:c": apiKey() });
      expect(order(store)).toEqual(["anthropic:b", "anthropic:a", "anthropic:c"]);
    });

    it("rotates through profiles of one type as each succeeds", () => {
      let store = storeOf({ a: apiKey(), b: apiKey(), c: apiKey() });
      const picks: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const first = order(store, undefined, undefined, NOW + i)[0] as string;
        picks.push(first);
        store = deepFreeze(withSuccess(store, first, provider, NOW + i));
      }
      expect(picks).toEqual(["a", "b", "c", "a", "b", "c"]);
    });

    it("does not use lastGood for ordering", () => {
      const store = storeOf({ a: apiKey(), b: apiKey() }, { lastGood: { anthropic: "b" }, usageStats: { b: { lastUsed: NOW } } });
      expect(order(store)).toEqual(["a", "b"]);
    });
  });

  describe("eligibility", () => {
    it("lets config mode oauth accept a stored token", () => {
      const store = storeOf({ "anthropic:claude-cli": token() });
      const config = configOf({ profiles: { "anthropic:claude-cli": { provider, mode: "oauth" } } });
      expect(order(store, config)).toEqual(["anthropic:claude-cli"]);
    });

    it("rejects a stored type the config mode does not accept", () => {
      const store = storeOf({ t: oauth(), k: token(), o: apiKey() });
      const config = configOf({
        profiles: { t: { provider, mode: "token" }, k: { provider, mode: "api_key" }, o: { provider, mode: "oauth" } },
      });
      expect(order(store, config)).toEqual([]);
    });

    it("excludes an expired token and one with expires 0 (as OpenClaw 2026.3+), keeps one without expiry or not yet expired", () => {
      const store = storeOf({ expired: token(NOW - 1), atEdge: token(NOW), never: token(), zero: token(0), later: token(NOW + HOUR) });
      expect(order(store)).toEqual(["never", "later"]);
    });

    it("keeps an expired oauth login, which can be refreshed", () => {
      expect(order(storeOf({ o: oauth({ expires: NOW - 10 * HOUR }) }))).toEqual(["o"]);
    });

    it("needs a key, a token, or an oauth access or refresh token", () => {
      const store = storeOf({
        k: apiKey(""),
        t: { type: "token", provider, token: "" },
        o: oauth({ access: "", refresh: "" }),
        accessOnly: oauth({ refresh: "" }),
        refreshOnly: oauth({ access: "" }),
      });
      expect(order(store)).toEqual(["accessOnly", "refreshOnly"]);
    });

    it("excludes an unknown credential type", () => {
      const store = storeOf({ x: { type: "aws_sdk", provider }, k: apiKey() });
      expect(order(store)).toEqual(["k"]);
    });

    it("excludes a profile the config declares for another provider", () => {
      const store = storeOf({ k: apiKey() }, { order: { anthropic: ["k"] } });
      expect(order(store, configOf({ profiles: { k: { provider: "openai", mode: "api_key" } } }))).toEqual([]);
    });

    it("is not fooled by ids that name Object.prototype members", () => {
      const store = storeOf({ k: apiKey() }, { order: { anthropic: ["constructor", "toString", "k"] } });
      expect(order(store)).toEqual(["k"]);
    });
  });

  describe("cooldown", () => {
    const profiles = { a: apiKey(), b: apiKey(), c: apiKey(), d: apiKey() };

    it("puts unusable profiles last, soonest available first, and lists them", () => {
      const usageStats: Record<string, UsageStats> = {
        a: { cooldownUntil: NOW + 5 * MINUTE, cooldownReason: "rate_limit" },
        b: { disabledUntil: NOW + 5 * HOUR, disabledReason: "billing", cooldownUntil: NOW + MINUTE },
        c: { cooldownUntil: NOW + MINUTE, cooldownReason: "auth" },
      };
      const result = orderProfiles({ store: storeOf(profiles, { usageStats }), provider, now: NOW });
      expect(result.order).toEqual(["d", "c", "a", "b"]);
      expect(result.unusable).toEqual([
        { profileId: "c", provider, kind: "cooldown", reason: "auth", until: NOW + MINUTE, remainingMs: MINUTE },
        { profileId: "a", provider, kind: "cooldown", reason: "rate_limit", until: NOW + 5 * MINUTE, remainingMs: 5 * MINUTE },
        { profileId: "b", provider, kind: "disabled", reason: "billing", until: NOW + 5 * HOUR, remainingMs: 5 * HOUR },
      ]);
    });

    it("treats a cooldown that has ended as usable", () => {
      const store = storeOf(profiles, { usageStats: { a: { cooldownUntil: NOW - 1, lastUsed: NOW - HOUR } } });
      const result = orderProfiles({ store, provider, now: NOW });
      expect(result.unusable).toEqual([]);
      expect(result.order).toEqual(["b", "c", "d", "a"]);
    });

    it("orders what recordFailure wrote", () => {
      let store = storeOf({ a: apiKey(), b: apiKey() });
      store = deepFreeze(withFailure(store, "a", "rate_limit", NOW).data);
      expect(order(store)).toEqual(["b", "a"]);
      expect(order(store, undefined, undefined, NOW + 30_000)).toEqual(["a", "b"]);
    });

    it("does not list excluded profiles as unusable", () => {
      const store = storeOf({ t: token(NOW - 1) }, { usageStats: { t: { cooldownUntil: NOW + HOUR } } });
      expect(orderProfiles({ store, provider, now: NOW }).unusable).toEqual([]);
    });
  });

  describe("preferred profile", () => {
    const store = storeOf({ o: oauth(), k: apiKey(), c: apiKey() }, { usageStats: { c: { cooldownUntil: NOW + MINUTE } } });

    it("goes first when it is usable", () => {
      expect(order(store, undefined, "k")).toEqual(["k", "o", "c"]);
    });

    it("goes first in an explicit order too", () => {
      expect(order(storeOf({ a: apiKey(), b: apiKey() }, { order: { anthropic: ["a", "b"] } }), undefined, "b")).toEqual(["b", "a"]);
    });

    it("stays in place while it cools down", () => {
      expect(order(store, undefined, "c")).toEqual(["o", "k", "c"]);
    });

    it("is ignored when it is not a candidate", () => {
      expect(order(store, undefined, "ghost")).toEqual(["o", "k", "c"]);
    });
  });

  it("never mutates its inputs", () => {
    const store = storeOf({ a: apiKey(), b: oauth() }, { order: { anthropic: ["a", "b"] }, usageStats: { a: { cooldownUntil: NOW + 1 } } });
    const config = configOf({ order: { anthropic: ["b"] } });
    const before = JSON.stringify({ store, config });
    orderProfiles({ store, config, provider, now: NOW, preferred: "b" });
    expect(JSON.stringify({ store, config })).toBe(before);
  });
});
