import { describe, expect, it } from "vitest";
import { CLAUDE_CLI_PROFILE_ID, migrateConfig } from "../../src/config.js";
import type { AuthProfilesConfig } from "../../src/config/types.js";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe(migrateConfig.name, () => {
  it('turns the claude-cli profile\'s mode "token" into "oauth" and reports it', () => {
    const input: AuthProfilesConfig = deepFreeze({
      gateway: { port: 1 },
      auth: {
        profiles: {
          [CLAUDE_CLI_PROFILE_ID]: { provider: "anthropic", mode: "token", note: "kept" },
          "anthropic:manual": { provider: "anthropic", mode: "token" },
        },
        order: { anthropic: [CLAUDE_CLI_PROFILE_ID] },
      },
    });
    const { config, changes } = migrateConfig(input);
    expect(changes).toEqual(['Updated auth.profiles["anthropic:claude-cli"].mode → "oauth".']);
    expect(config).toEqual({
      gateway: { port: 1 },
      auth: {
        profiles: {
          [CLAUDE_CLI_PROFILE_ID]: { provider: "anthropic", mode: "oauth", note: "kept" },
          "anthropic:manual": { provider: "anthropic", mode: "token" },
        },
        order: { anthropic: [CLAUDE_CLI_PROFILE_ID] },
      },
    });
    expect(input.auth?.profiles?.[CLAUDE_CLI_PROFILE_ID]?.mode).toBe("token");
  });

  it.each<[string, AuthProfilesConfig]>([
    ["an empty config", {}],
    ["no profiles", { auth: {} }],
    ["an oauth claude-cli profile", { auth: { profiles: { [CLAUDE_CLI_PROFILE_ID]: { provider: "anthropic", mode: "oauth" } } } }],
    ["an api_key claude-cli profile", { auth: { profiles: { [CLAUDE_CLI_PROFILE_ID]: { provider: "anthropic", mode: "api_key" } } } }],
  ])("returns the same object and no changes for %s", (_name, input) => {
    const result = migrateConfig(input);
    expect(result.config).toBe(input);
    expect(result.changes).toEqual([]);
  });

  it("is idempotent", () => {
    const once = migrateConfig({ auth: { profiles: { [CLAUDE_CLI_PROFILE_ID]: { provider: "anthropic", mode: "token" } } } });
    const twice = migrateConfig(once.config);
    expect(twice.changes).toEqual([]);
    expect(twice.config).toBe(once.config);
  });
});
