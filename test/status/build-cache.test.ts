import { describe, expect, it } from "vitest";
import { buildAuthStatus } from "../../src/status/build.js";
import { MINUTE, NOW, SECRETS, statusInput, storeData } from "./fixtures.js";

const apiKey = () => ({ type: "api_key", provider: "anthropic", key: SECRETS.apiKey }) as const;
const token = (value: string) => ({ type: "token", provider: "anthropic", token: value }) as const;

describe(buildAuthStatus.name, () => {
  describe("cache lines", () => {
    const models = {
      "anthropic/claude-opus-4-5": { params: { cacheControlTtl: "1h" as const } },
      "claude-haiku-4-5": {},
      "openai/gpt-5": { params: {} },
    };
    const config = {
      agents: {
        defaults: { model: { primary: "anthropic/claude-sonnet-4-5" }, models },
        list: [{ id: "main", models: { "anthropic/claude-sonnet-4-5": { params: { cacheControlTtl: "5m" as const } } } }],
      },
    };

    it("lists the primary model first, then the configured Anthropic models, deduplicated", () => {
      const status = buildAuthStatus(statusInput({ config, data: storeData({ "anthropic:default": apiKey() }) }));
      expect(status.auth.cache.map((line) => [line.model, line.cacheControlTtl])).toEqual([
        ["anthropic/claude-sonnet-4-5", "5m"],
        ["anthropic/claude-haiku-4-5", null],
        ["anthropic/claude-opus-4-5", "1h"],
      ]);
    });

    it("applies the TTL with an API key and says why not otherwise", () => {
      const withKey = buildAuthStatus(statusInput({ config, data: storeData({ "anthropic:default": apiKey() }) }));
      expect(withKey.auth.cache[0]).toEqual({ model: "anthropic/claude-sonnet-4-5", cacheControlTtl: "5m", applied: true, why: "applied to cache_control breakpoints (api_key)" });
      expect(withKey.auth.cache[1]).toMatchObject({ applied: false, why: expect.stringContaining("no TTL configured") });

      const withToken = buildAuthStatus(statusInput({ config, data: storeData({ "anthropic:manual": token(SECRETS.token) }) }));
      expect(withToken.auth.cache[0]).toMatchObject({ applied: false, why: "subscription auth (token/oauth) ignores cacheControlTtl" });

      const nothing = buildAuthStatus(statusInput({ config }));
      expect(nothing.auth.cache[0]).toMatchObject({ applied: false, why: expect.stringContaining("no usable credential") });
    });

    it("takes the effective kind from the first usable profile, skipping cooling ones", () => {
      const data = storeData(
        { "anthropic:manual": token(SECRETS.token), "anthropic:default": apiKey() },
        { usageStats: { "anthropic:manual": { cooldownUntil: NOW + MINUTE } } },
      );
      const status = buildAuthStatus(statusInput({ config, data }));
      expect(status.auth.cache[0]?.applied).toBe(true);
    });

    it("follows an env API key when there is no profile", () => {
      const status = buildAuthStatus(statusInput({ config, env: { ANTHROPIC_API_KEY: SECRETS.envKey } }));
      expect(status.auth.cache[0]?.applied).toBe(true);
    });
  });

});
