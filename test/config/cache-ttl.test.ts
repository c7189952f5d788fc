import { describe, expect, it } from "vitest";
import { agentModel, effectiveCacheControlTtl } from "../../src/config.js";
import type { AuthProfilesConfig } from "../../src/config/types.js";

const config: AuthProfilesConfig = {
  agents: {
    defaults: {
      model: { primary: "anthropic/claude-opus-4-5", fallbacks: ["anthropic/claude-sonnet-4-5"] },
      models: {
        "anthropic/claude-opus-4-5": { alias: "opus", params: { cacheControlTtl: "1h" } },
        "anthropic/claude-sonnet-4-5": { params: { cacheControlTtl: "5m" } },
        "claude-haiku-4-5": { params: { cacheControlTtl: "1h" } },
        "anthropic/claude-no-ttl": { alias: "plain" },
      },
    },
    list: [
      {
        id: "work",
        model: "anthropic/claude-sonnet-4-5",
        models: { "anthropic/claude-sonnet-4-5": { params: { cacheControlTtl: "1h" } }, "anthropic/claude-opus-4-5": { alias: "o" } },
      },
      { id: "bare", model: { fallbacks: ["anthropic/x"] } },
      { id: "short", model: { primary: "claude-haiku-4-5" } },
    ],
  },
};

describe(agentModel.name, () => {
  it("returns the defaults' primary model for an agent without its own", () => {
    expect(agentModel(config, "main")).toBe("anthropic/claude-opus-4-5");
    expect(agentModel(config, "bare")).toBe("anthropic/claude-opus-4-5");
  });

  it("returns the agent's model, as a string or as primary", () => {
    expect(agentModel(config, "work")).toBe("anthropic/claude-sonnet-4-5");
    expect(agentModel(config, "short")).toBe("claude-haiku-4-5");
  });

  it("accepts the string form in defaults and returns null when nothing is set", () => {
    expect(agentModel({ agents: { defaults: { model: "anthropic/x" } } }, "main")).toBe("anthropic/x");
    expect(agentModel({}, "main")).toBeNull();
    expect(agentModel({ agents: { defaults: { model: { primary: " " } } } }, "main")).toBeNull();
  });
});

describe(effectiveCacheControlTtl.name, () => {
  it("reads the defaults' model entry", () => {
    expect(effectiveCacheControlTtl(config, "main", "anthropic/claude-opus-4-5")).toBe("1h");
    expect(effectiveCacheControlTtl(config, "main", "anthropic/claude-sonnet-4-5")).toBe("5m");
  });

  it("lets the agent's models override the defaults", () => {
    expect(effectiveCacheControlTtl(config, "work", "anthropic/claude-sonnet-4-5")).toBe("1h");
  });

  it("falls back to the defaults when the agent's entry has no TTL", () => {
    expect(effectiveCacheControlTtl(config, "work", "anthropic/claude-opus-4-5")).toBe("1h");
  });

  it("matches model ids with or without the anthropic/ prefix on either side", () => {
    expect(effectiveCacheControlTtl(config, "main", "claude-opus-4-5")).toBe("1h");
    expect(effectiveCacheControlTtl(config, "main", "anthropic/claude-haiku-4-5")).toBe("1h");
    expect(effectiveCacheControlTtl(config, "work", "claude-sonnet-4-5")).toBe("1h");
  });

  it("does not confuse another provider's model with an Anthropic one", () => {
    expect(effectiveCacheControlTtl(config, "main", "openrouter/claude-opus-4-5")).toBeNull();
  });

  it("uses the agent's primary model when no model is given", () => {
    expect(effectiveCacheControlTtl(config, "main")).toBe("1h");
    expect(effectiveCacheControlTtl(config, "work")).toBe("1h");
    expect(effectiveCacheControlTtl(config, "short")).toBe("1h");
  });

  it("returns null when nothing is configured", () => {
    expect(effectiveCacheControlTtl(config, "main", "anthropic/claude-no-ttl")).toBeNull();
    expect(effectiveCacheControlTtl(config, "main", "anthropic/unknown")).toBeNull();
    expect(effectiveCacheControlTtl({}, "main")).toBeNull();
    expect(effectiveCacheControlTtl({}, "main", "anthropic/claude-opus-4-5")).toBeNull();
  });
});
