import type { AuthProfilesConfigInput } from "../../src/config/input-types.js";

// The OpenClaw-shaped configs of test/fixtures/config, written as object literals: each must
// compile as the `config` option (`satisfies` applies the excess-property check), and
// test/config/input-types.test.ts checks that each equals its parsed fixture file, so they cannot
// drift apart. include.json5 is left out: `$include` is file syntax, resolved by loadConfig.

/** test/fixtures/config/valid.json5 with WORK_KEY=sk-ant-api03-work. */
export const VALID_FIXTURE = {
  gateway: { port: 18789, bind: "loopback" },
  auth: {
    profiles: {
      "anthropic:me@example.com": { provider: "anthropic", mode: "oauth", email: "me@example.com" },
      "anthropic:work": { provider: "anthropic", mode: "api_key", label: "work key" },
    },
    order: { anthropic: ["anthropic:me@example.com", "anthropic:work"] },
    cooldowns: { billingBackoffHours: 5, billingBackoffHoursByProvider: { anthropic: 5 }, billingMaxHours: 24, failureWindowHours: 24 },
  },
  env: { ANTHROPIC_API_KEY: "sk-ant-api03-work", vars: { REGION: "eu" }, shellEnv: { enabled: false } },
  agents: {
    defaults: {
      model: { primary: "anthropic/claude-opus-4-5", fallbacks: ["anthropic/claude-sonnet-4-5"] },
      models: { "anthropic/claude-opus-4-5": { alias: "opus", params: { cacheControlTtl: "1h" } } },
    },
    list: [{ id: "work", model: "anthropic/claude-sonnet-4-5", agentDir: "~/agents/work" }],
  },
} satisfies AuthProfilesConfigInput;

/** test/fixtures/config/legacy-claude-cli.json5 with TELEGRAM_TOKEN=tg-token (before migration). */
export const LEGACY_FIXTURE = {
  auth: {
    profiles: {
      "anthropic:claude-cli": { provider: "anthropic", mode: "token" },
      "anthropic:default": { provider: "anthropic", mode: "api_key" },
    },
  },
  channels: { telegram: { botToken: "tg-token" } },
} satisfies AuthProfilesConfigInput;
