import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { AuthProfilesConfig } from "../../src/config/types.js";
import { explainProfiles } from "../../src/selection/candidates.js";
import type { StoreData } from "../../src/model/store.js";

const NOW = 1_767_000_000_000;
const provider = "anthropic";
const KEY = "sk-ant-api03-SECRETSECRETSECRETSECRET1234";
const TOKEN = "sk-ant-oat01-SECRETSECRETSECRETSECRET5678";

describe(explainProfiles.name, () => {
  const store = {
    version: 1,
    profiles: {
      ok: { type: "api_key", provider, key: KEY },
      other: { type: "api_key", provider: "openai", key: "sk-x" },
      wrongMode: { type: "oauth", provider, access: TOKEN, refresh: "r", expires: 0 },
      weird: { type: "aws_sdk", provider },
      blank: { type: "api_key", provider, key: " " },
      old: { type: "token", provider, token: TOKEN, expires: NOW - 1 },
      cooling: { type: "token", provider, token: TOKEN },
    },
    order: { anthropic: ["ok", "missing", "other", "wrongMode", "weird", "blank", "old", "cooling", "ok"] },
    usageStats: { cooling: { cooldownUntil: NOW + 1_000, cooldownReason: "overloaded" } },
  } as StoreData;
  const config = { auth: { profiles: { wrongMode: { provider, mode: "token" } } } } as AuthProfilesConfig;

  it("says why each distinct candidate is or is not eligible", () => {
    const result = explainProfiles({ store, config, provider, now: NOW });
    expect(result.source).toBe("store_order");
    expect(result.candidates.map((c) => [c.profileId, c.type, c.excluded])).toEqual([
      ["ok", "api_key", null],
      ["missing", null, "missing"],
      ["other", "api_key", "provider_mismatch"],
      ["wrongMode", "oauth", "mode_mismatch"],
      ["weird", "aws_sdk", "unknown_type"],
      ["blank", "api_key", "empty"],
      ["old", "token", "expired"],
      ["cooling", "token", null],
    ]);
    expect(result.candidates.find((c) => c.profileId === "cooling")?.unusable).toMatchObject({ kind: "cooldown", reason: "overloaded" });
    expect(result.candidates.find((c) => c.profileId === "ok")).toMatchObject({ detail: null, unusable: null });
  });

  it("gives a readable detail that never contains a secret", () => {
    const result = explainProfiles({ store, config, provider, now: NOW });
    const details = result.candidates.map((c) => c.detail).filter((d) => d !== null);
    expect(details).toHaveLength(6);
    expect(details).toContain('The config mode "token" of "wrongMode" does not accept a stored "oauth" credential.');
    expect(details).toContain(`The token of "old" expired at ${new Date(NOW - 1).toISOString()}.`);
    const text = JSON.stringify(result) + inspect(result, { depth: 10 });
    expect(text).not.toContain("SECRET");
  });

  it("reports where the candidates came from", () => {
    const profiles = { a: { type: "api_key", provider, key: KEY } };
    const bare = { version: 1, profiles } as StoreData;
    expect(explainProfiles({ store: bare, provider, now: NOW }).source).toBe("store_profiles");
    const withProfiles = { auth: { profiles: { a: { provider, mode: "api_key" } } } } as AuthProfilesConfig;
    expect(explainProfiles({ store: bare, config: withProfiles, provider, now: NOW }).source).toBe("config_profiles");
    const withOrder = { auth: { order: { anthropic: ["a"] } } } as AuthProfilesConfig;
    expect(explainProfiles({ store: bare, config: withOrder, provider, now: NOW }).source).toBe("config_order");
  });

  it("falls back to the stored profiles when none of the configured ids is stored (OpenClaw 2026.4), e.g. another agent's", () => {
    const own = { version: 1, profiles: { "anthropic:work": { type: "api_key", provider, key: KEY } } } as StoreData;
    const othersOnly = { auth: { profiles: { "anthropic:default": { provider, mode: "api_key" } } } } as AuthProfilesConfig;
    const result = explainProfiles({ store: own, config: othersOnly, provider, now: NOW });
    expect(result.source).toBe("store_profiles");
    expect(result.candidates.map((c) => [c.profileId, c.excluded])).toEqual([["anthropic:work", null]]);
    // One configured id that is stored keeps the config's list, its missing entries included.
    const both = { auth: { profiles: { "anthropic:default": { provider, mode: "api_key" }, "anthropic:work": { provider, mode: "api_key" } } } } as AuthProfilesConfig;
    const kept = explainProfiles({ store: own, config: both, provider, now: NOW });
    expect(kept.source).toBe("config_profiles");
    expect(kept.candidates.map((c) => [c.profileId, c.excluded])).toEqual([["anthropic:default", "missing"], ["anthropic:work", null]]);
  });

  it("lists configured profiles that have no stored credentials as missing", () => {
    const config2 = { auth: { profiles: { "anthropic:work": { provider, mode: "api_key" } } } } as AuthProfilesConfig;
    const result = explainProfiles({ store: { version: 1, profiles: {} }, config: config2, provider, now: NOW });
    expect(result.candidates).toEqual([
      { profileId: "anthropic:work", type: null, excluded: "missing", detail: 'No credentials are stored for "anthropic:work".', unusable: null },
    ]);
  });
});
