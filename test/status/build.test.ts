import { describe, expect, it } from "vitest";
import { buildAuthStatus } from "../../src/status/build.js";
import type { AuthStatus, ProfileStatus } from "../../src/status/types.js";
import { deepFreeze, snapshot } from "../request/deep-freeze.js";
import {
  cliCredential,
  CONFIG_PATH,
  DAY,
  HOUR,
  leakedSlices,
  MINUTE,
  NOW,
  SECRETS,
  STORE_PATH,
  statusInput,
  storeData,
} from "./fixtures.js";

function anthropic(status: AuthStatus) {
  const provider = status.auth.providers.find((p) => p.provider === "anthropic");
  if (provider === undefined) throw new Error("no anthropic block");
  return provider;
}

function row(status: AuthStatus, profileId: string): ProfileStatus {
  const found = anthropic(status).entries.find((entry) => entry.profileId === profileId);
  if (found === undefined) throw new Error(`no row ${profileId}`);
  return found;
}

function oauthStatus(status: AuthStatus, profileId: string): string | undefined {
  return status.auth.oauth.profiles.find((p) => p.profileId === profileId)?.status;
}

const apiKey = (key: string = SECRETS.apiKey) => ({ type: "api_key", provider: "anthropic", key }) as const;
const token = (value: string, expires?: number) => ({ type: "token", provider: "anthropic", token: value, ...(expires === undefined ? {} : { expires }) }) as const;

describe(buildAuthStatus.name, () => {
  it("reports the agent, paths, primary model and generation time", () => {
    const config = { agents: { defaults: { model: { primary: "anthropic/claude-opus-4-5" } } } };
    const status = buildAuthStatus(statusInput({ config }));
    expect(status).toMatchObject({
      agentId: "main",
      configPath: CONFIG_PATH,
      storePath: STORE_PATH,
      defaultModel: "anthropic/claude-opus-4-5",
      generatedAt: NOW,
      auth: { storePath: STORE_PATH, oauth: { warnAfterMs: 86_400_000 } },
    });
  });

  it("says what to run when there is no credential at all", () => {
    const status = buildAuthStatus(statusInput());
    const provider = anthropic(status);
    expect(provider.effective.kind).toBe("missing");
    expect(provider.effective.detail).toContain("claude setup-token");
    expect(provider.effective.detail).toContain("models auth paste-token --provider anthropic");
    expect(provider.effective.detail).toContain("--anthropic-api-key");
    expect(provider.profiles).toEqual({ count: 0, oauth: 0, token: 0, apiKey: 0, labels: [] });
    expect(provider.env).toBeNull();
  });

  it("uses the env API key when no profile is eligible, masked", () => {
    const status = buildAuthStatus(statusInput({ env: { ANTHROPIC_API_KEY: SECRETS.envKey } }));
    const provider = anthropic(status);
    expect(provider.effective).toEqual({ kind: "env", detail: "env: ANTHROPIC_API_KEY" });
    expect(provider.env).toEqual({ variable: "ANTHROPIC_API_KEY", mode: "api_key", masked: "sk-ant-api03-…envk", used: true });
  });

  it("prefers ANTHROPIC_OAUTH_TOKEN over ANTHROPIC_API_KEY, like the resolver", () => {
    const status = buildAuthStatus(statusInput({ env: { ANTHROPIC_API_KEY: SECRETS.envKey, ANTHROPIC_OAUTH_TOKEN: SECRETS.envToken } }));
    expect(anthropic(status).effective.detail).toBe("env: ANTHROPIC_OAUTH_TOKEN");
    expect(anthropic(status).env?.mode).toBe("token");
  });

  it("marks the env credential unused while a profile is eligible", () => {
    const status = buildAuthStatus(
      statusInput({ data: storeData({ "anthropic:default": apiKey() }), env: { ANTHROPIC_API_KEY: SECRETS.envKey } }),
    );
    expect(anthropic(status).effective).toEqual({ kind: "profiles", detail: `profiles:${STORE_PATH}` });
    expect(anthropic(status).env?.used).toBe(false);
  });

  it("counts profiles by type and masks their labels like OpenClaw", () => {
    const data = storeData({
      "anthropic:default": apiKey(),
      "anthropic:manual": token(SECRETS.token),
      "anthropic:me@x": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: NOW + HOUR, email: "me@x" },
    });
    const status = buildAuthStatus(statusInput({ data }));
    expect(anthropic(status).profiles).toEqual({
      count: 3,
      oauth: 1,
      token: 1,
      apiKey: 1,
      labels: ["anthropic:me@x=OAuth (me@x)", "anthropic:manual=token:sk-ant-oat01-…tttt", "anthropic:default=sk-ant-api03-…wxyz"],
    });
  });

  it("lists profiles in the resolver's order, unusable ones last", () => {
    const data = storeData(
      { "anthropic:a": apiKey(), "anthropic:b": apiKey(SECRETS.apiKey2), "anthropic:c": token(SECRETS.token) },
      { usageStats: { "anthropic:c": { cooldownUntil: NOW + MINUTE, cooldownReason: "rate_limit" }, "anthropic:a": { lastUsed: NOW - MINUTE } } },
    );
    const status = buildAuthStatus(statusInput({ data }));
    expect(anthropic(status).entries.map((e) => [e.profileId, e.state])).toEqual([
      ["anthropic:b", "ok"],
      ["anthropic:a", "ok"],
      ["anthropic:c", "cooldown"],
    ]);
  });

  it("keeps an explicit store order as written and shows the profiles it leaves out as ignored", () => {
    const data = storeData({ "anthropic:a": apiKey(), "anthropic:b": apiKey(SECRETS.apiKey2) }, { order: { anthropic: ["anthropic:b"] } });
    const status = buildAuthStatus(statusInput({ data }));
    const entries = anthropic(status).entries;
    expect(entries.map((e) => [e.profileId, e.state])).toEqual([
      ["anthropic:b", "ok"],
      ["anthropic:a", "ignored"],
    ]);
    expect(entries[1]?.detail).toContain("not in the store's order");
    expect(anthropic(status).profiles.count).toBe(1);
  });

  it("reports cooldown and billing disable with reason and time left, sorted by remainingMs", () => {
    const data = storeData(
      { "anthropic:a": apiKey(), "anthropic:b": apiKey(SECRETS.apiKey2), "anthropic:c": token(SECRETS.token) },
      {
        usageStats: {
          "anthropic:a": { disabledUntil: NOW + 3 * HOUR, disabledReason: "billing" },
          "anthropic:b": { cooldownUntil: NOW + 4 * MINUTE, cooldownReason: "rate_limit" },
          "anthropic:c": { cooldownUntil: NOW + 25 * MINUTE, cooldownReason: "auth" },
        },
      },
    );
    const status = buildAuthStatus(statusInput({ data }));
    expect(status.auth.unusableProfiles).toEqual([
      { profileId: "anthropic:b", provider: "anthropic", kind: "cooldown", reason: "rate_limit", until: NOW + 4 * MINUTE, remainingMs: 4 * MINUTE },
      { profileId: "anthropic:c", provider: "anthropic", kind: "cooldown", reason: "auth", until: NOW + 25 * MINUTE, remainingMs: 25 * MINUTE },
      { profileId: "anthropic:a", provider: "anthropic", kind: "disabled", reason: "billing", until: NOW + 3 * HOUR, remainingMs: 3 * HOUR },
    ]);
    expect(row(status, "anthropic:a").state).toBe("disabled");
    expect(row(status, "anthropic:b").state).toBe("cooldown");
    expect(anthropic(status).effective.kind).toBe("profiles");
  });

  it("ignores cooldowns that already ended", () => {
    const data = storeData({ "anthropic:a": apiKey() }, { usageStats: { "anthropic:a": { cooldownUntil: NOW - 1, cooldownReason: "rate_limit" } } });
    const status = buildAuthStatus(statusInput({ data }));
    expect(row(status, "anthropic:a").state).toBe("ok");
    expect(status.auth.unusableProfiles).toEqual([]);
  });

  it("classifies setup-token expiry: static, ok, expiring within 24 h, expired", () => {
    const data = storeData({
      "anthropic:static": token(SECRETS.token),
      "anthropic:zero": token(SECRETS.token, 0),
      "anthropic:later": token(SECRETS.token, NOW + 30 * DAY),
      "anthropic:soon": token(SECRETS.token2, NOW + 5 * HOUR),
      "anthropic:gone": token(SECRETS.token2, NOW - DAY),
    });
    const status = buildAuthStatus(statusInput({ data }));
    expect(oauthStatus(status, "anthropic:static")).toBe("static");
    // expires: 0 is refused as OpenClaw 2026.3+ refuses it (excluded, so no expiry entry).
    expect(row(status, "anthropic:zero")).toMatchObject({ state: "excluded" });
    expect(status.auth.oauth.profiles.some((p) => p.profileId === "anthropic:zero")).toBe(false);
    expect(oauthStatus(status, "anthropic:later")).toBe("ok");
    expect(oauthStatus(status, "anthropic:soon")).toBe("expiring");
    expect(oauthStatus(status, "anthropic:gone")).toBe("expired");
    expect(row(status, "anthropic:soon").state).toBe("expiring");
    expect(row(status, "anthropic:gone").state).toBe("expired");
    const soon = status.auth.oauth.profiles.find((p) => p.profileId === "anthropic:soon");
    expect(soon).toMatchObject({ type: "token", expiresAt: NOW + 5 * HOUR, remainingMs: 5 * HOUR, source: "store", label: "anthropic:soon=token:sk-ant-oat01-…oooo" });
  });

  it("reads a refreshable OAuth login as ok even when its access token expired", () => {
    const data = storeData({
      "anthropic:me@x": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: NOW - HOUR, email: "me@x" },
      "anthropic:norefresh": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: "", expires: NOW - HOUR },
    });
    const status = buildAuthStatus(statusInput({ data }));
    expect(status.auth.oauth.profiles.find((p) => p.profileId === "anthropic:me@x")).toMatchObject({ status: "ok", refreshable: true, remainingMs: -HOUR });
    expect(oauthStatus(status, "anthropic:norefresh")).toBe("expired");
  });

  it("reports a configured token profile with nothing stored as missing", () => {
    const config = { auth: { profiles: { "anthropic:manual": { provider: "anthropic", mode: "token" as const } } } };
    const status = buildAuthStatus(statusInput({ config }));
    expect(row(status, "anthropic:manual")).toMatchObject({ state: "missing", type: "token", masked: "missing" });
    expect(oauthStatus(status, "anthropic:manual")).toBe("missing");
    expect(anthropic(status).effective.kind).toBe("missing");
  });

  it("explains a stored profile the config mode does not accept", () => {
    const config = { auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "token" as const } } } };
    const status = buildAuthStatus(statusInput({ config, data: storeData({ "anthropic:default": apiKey() }) }));
    expect(row(status, "anthropic:default")).toMatchObject({ state: "excluded", type: "api_key" });
    expect(row(status, "anthropic:default").detail).toContain("does not accept");
  });

  it("lists other providers after anthropic", () => {
    const data = storeData({ "openai:default": { type: "api_key", provider: "openai", key: "sk-openai-xxxxxxxxxxxxxxxxxxxxxxxx" }, "anthropic:default": apiKey() });
    const status = buildAuthStatus(statusInput({ data }));
    expect(status.auth.providers.map((p) => p.provider)).toEqual(["anthropic", "openai"]);
    expect(status.auth.providers[1]?.profiles.count).toBe(1);
  });

  it("never lets a secret or a 12-character slice of one into the JSON", () => {
    const data = storeData(
      {
        "anthropic:default": apiKey(),
        "anthropic:b": apiKey(SECRETS.apiKey2),
        "anthropic:manual": token(SECRETS.token, NOW + HOUR),
        "anthropic:old": token(SECRETS.token2, NOW - HOUR),
        "anthropic:me@x": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: NOW + HOUR },
      },
      { usageStats: { "anthropic:b": { disabledUntil: NOW + HOUR, disabledReason: "billing" } } },
    );
    const config = { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" as const } } } };
    const status = buildAuthStatus(
      statusInput({ data, env: { ANTHROPIC_API_KEY: SECRETS.envKey, ANTHROPIC_OAUTH_TOKEN: SECRETS.envToken }, claudeCli: { credential: cliCredential(NOW + HOUR), error: null } }),
    );
    const json = JSON.stringify(status);
    expect(leakedSlices(json)).toEqual([]);
    const withCli = JSON.stringify(buildAuthStatus(statusInput({ data, config, claudeCli: { credential: cliCredential(NOW + HOUR), error: null } })));
    expect(leakedSlices(withCli)).toEqual([]);
  });

  it("does not mutate its input", () => {
    const input = deepFreeze(
      statusInput({
        data: storeData({ "anthropic:default": apiKey() }, { usageStats: { "anthropic:default": { cooldownUntil: NOW + MINUTE } } }),
        config: { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } },
        claudeCli: { credential: cliCredential(NOW + DAY), error: null },
      }),
    );
    const before = snapshot({ data: input.data, config: input.config });
    buildAuthStatus(input);
    expect({ data: input.data, config: input.config }).toEqual(before);
  });
});
