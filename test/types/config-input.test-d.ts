import { describe, expectTypeOf, it } from "vitest";
import { createAnthropicClient } from "../../src/anthropic/client.js";
import type { AuthProfilesConfigInput } from "../../src/config/input-types.js";
import type { AuthProfilesConfig } from "../../src/config/types.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolverOptions } from "../../src/resolver/types.js";
import { LEGACY_FIXTURE, VALID_FIXTURE } from "./config-fixtures.js";

// The `config` option is the config shape without index signatures where keys are setting names:
// a misspelled key in an object literal is a compile error at every level. Each @ts-expect-error
// below fails the typecheck if the line compiles (vitest typecheck / `npm run typecheck`).
declare const loaded: AuthProfilesConfig;

describe("the config option is typed as the config shape (deep-partial, closed)", () => {
  it("refuses a misspelled key at every level", () => {
    // @ts-expect-error top level: `auht`
    createAuthResolver({ config: { auht: { profiles: {} } } });
    // @ts-expect-error auth level: `profile`
    createAuthResolver({ config: { auth: { profile: {} } } });
    // @ts-expect-error profile entry level: `emial`
    createAuthResolver({ config: { auth: { profiles: { "anthropic:a": { provider: "anthropic", mode: "api_key", emial: "x" } } } } });
    // @ts-expect-error cooldowns level: `billingBackoffHour`
    createAuthResolver({ config: { auth: { cooldowns: { billingBackoffHour: 5 } } } });
    // @ts-expect-error agents level: `defualts`
    createAuthResolver({ config: { agents: { defualts: {} } } });
    // @ts-expect-error agent settings level: `modles`
    createAuthResolver({ config: { agents: { defaults: { modles: {} } } } });
    // @ts-expect-error agents.list[] entry level: `agentdir`
    createAuthResolver({ config: { agents: { list: [{ id: "work", agentdir: "/x" }] } } });
    // @ts-expect-error per-model level: `param`
    createAuthResolver({ config: { agents: { defaults: { models: { "anthropic/claude-opus-4-7": { param: {} } } } } } });
    // @ts-expect-error per-model params level: `cacheControlTTL`
    createAuthResolver({ config: { agents: { defaults: { models: { "anthropic/claude-opus-4-7": { params: { cacheControlTTL: "1h" } } } } } } });
    // @ts-expect-error per-model params level, in an agents.list[] entry
    createAuthResolver({ config: { agents: { list: [{ id: "work", models: { "anthropic/claude-opus-4-7": { params: { cacheControlTTL: "1h" } } } }] } } });
    // @ts-expect-error the SDK client takes the same option
    createAnthropicClient({ config: { agents: { defaults: { models: { "anthropic/claude-opus-4-7": { params: { cacheControlTTL: "1h" } } } } } } });
  });

  it("accepts a config built in a variable, whose literals widen to string (refused at run time if wrong)", () => {
    const config = {
      auth: { profiles: { "anthropic:a": { provider: "anthropic", mode: "api_key" } } },
      agents: { defaults: { models: { "anthropic/claude-opus-4-7": { params: { cacheControlTtl: "1h", cacheRetention: "long" } } } } },
    };
    expectTypeOf(config.auth.profiles["anthropic:a"].mode).toEqualTypeOf<string>();
    createAuthResolver({ config });
    createAnthropicClient({ config });
  });

  it("accepts every valid config: the OpenClaw fixtures, pass-through keys, open records", () => {
    createAuthResolver({ config: VALID_FIXTURE });
    createAuthResolver({ config: LEGACY_FIXTURE });
    createAnthropicClient({ config: VALID_FIXTURE });
    // Inline, so the excess-property check runs over the whole literal.
    createAuthResolver({
      config: {
        meta: { lastTouchedVersion: "2026.4.12" },
        gateway: { port: 18789, bind: "loopback" },
        channels: { telegram: { botToken: "x" } },
        models: { providers: {} },
        tools: {},
        auth: {
          profiles: { "anthropic:a": { provider: "anthropic", mode: "api_key", displayName: "A" } },
          order: { anthropic: ["anthropic:a"] },
          cooldowns: { billingBackoffHours: 5, authPermanentBackoffMinutes: 10, rateLimitedProfileRotations: 1 },
        },
        env: { ANTHROPIC_API_KEY: "${WORK_KEY}", vars: { REGION: "eu" }, shellEnv: { enabled: true, timeoutMs: 15_000 } },
        agents: {
          defaults: {
            model: "anthropic/claude-opus-4-7",
            workspace: "~/.openclaw/workspace",
            heartbeat: { every: "30m" },
            params: { anyStreamParam: 1 },
            models: { "anthropic/claude-opus-4-7": { alias: "opus", streaming: true, params: { cacheControlTtl: "1h", cacheRetention: "long", temperature: 0.2, maxTokens: 1024, context1m: true } } },
          },
          list: [{ id: "work", default: true, name: "Work", identity: { name: "W" }, agentDir: "~/agents/work", model: { primary: "anthropic/claude-sonnet-4-6", fallbacks: [] }, params: { cacheRetention: "short" } }],
        },
      },
    });
  });

  it("accepts what loadConfig returns (the open read type) and undefined", () => {
    createAuthResolver({ config: loaded });
    expectTypeOf<AuthProfilesConfig>().toExtend<AuthProfilesConfigInput>();
    expectTypeOf<{ config: undefined }>().toExtend<AuthResolverOptions>();
    expectTypeOf<AuthResolverOptions["config"]>().toEqualTypeOf<AuthProfilesConfigInput | undefined>();
  });
});
