import { describe, expect, it } from "vitest";
import { buildAuthStatus } from "../../src/status/build.js";
import { checkAuthStatus } from "../../src/status/check.js";
import { DAY, HOUR, MINUTE, NOW, SECRETS, statusInput, storeData } from "./fixtures.js";

const token = (expires?: number) => ({ type: "token", provider: "anthropic", token: SECRETS.token, ...(expires === undefined ? {} : { expires }) }) as const;
const apiKey = { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } as const;

describe(checkAuthStatus.name, () => {
  it("passes with a usable API key, a static token or a token valid for more than a day", () => {
    for (const profile of [apiKey, token(), token(NOW + 2 * DAY)]) {
      const status = buildAuthStatus(statusInput({ data: storeData({ "anthropic:x": profile }) }));
      expect(checkAuthStatus(status)).toEqual({ exitCode: 0, problems: [] });
    }
  });

  it("passes with an env credential", () => {
    expect(checkAuthStatus(buildAuthStatus(statusInput({ env: { ANTHROPIC_API_KEY: SECRETS.envKey } }))).exitCode).toBe(0);
  });

  it("fails with 1 when no credential is found", () => {
    const check = checkAuthStatus(buildAuthStatus(statusInput()));
    expect(check.exitCode).toBe(1);
    expect(check.problems[0]).toMatch(/^anthropic: no credential/);
  });

  it("fails with 1 when a token expired, even next to a working key", () => {
    const status = buildAuthStatus(statusInput({ data: storeData({ "anthropic:manual": token(NOW - HOUR), "anthropic:default": apiKey }) }));
    expect(headsOf(checkAuthStatus(status))).toEqual({ exitCode: 1, problems: ["anthropic:manual: expired"] });
    expect(checkAuthStatus(status).problems[0]).toMatch(/ → paste a new setup-token: `npm run cli -- models auth paste-token --provider anthropic`$/);
  });

  it("fails with 1 when a configured token is missing", () => {
    const config = { auth: { profiles: { "anthropic:manual": { provider: "anthropic", mode: "token" as const } } } };
    const status = buildAuthStatus(statusInput({ config, env: { ANTHROPIC_API_KEY: SECRETS.envKey } }));
    expect(headsOf(checkAuthStatus(status))).toEqual({ exitCode: 1, problems: ["anthropic:manual: missing"] });
  });

  it("warns with 2 when a token expires within 24 h", () => {
    const status = buildAuthStatus(statusInput({ data: storeData({ "anthropic:manual": token(NOW + 5 * HOUR) }) }));
    expect(headsOf(checkAuthStatus(status))).toEqual({ exitCode: 2, problems: ["anthropic:manual: expires in 5h"] });
  });

  it("lists failures before warnings", () => {
    const status = buildAuthStatus(statusInput({ data: storeData({ "anthropic:a": token(NOW + HOUR), "anthropic:b": token(NOW - HOUR) }) }));
    expect(headsOf(checkAuthStatus(status))).toEqual({ exitCode: 1, problems: ["anthropic:b: expired", "anthropic:a: expires in 1h"] });
  });

  it("ignores cooldowns: they end by themselves", () => {
    const data = storeData({ "anthropic:default": apiKey }, { usageStats: { "anthropic:default": { cooldownUntil: NOW + MINUTE, disabledUntil: NOW + HOUR, disabledReason: "billing" } } });
    expect(checkAuthStatus(buildAuthStatus(statusInput({ data }))).exitCode).toBe(0);
  });
});

/** The problems without their fix (`→ …`), which the fix test checks separately. */
function headsOf(check: { exitCode: number; problems: readonly string[] }): { exitCode: number; problems: string[] } {
  return { exitCode: check.exitCode, problems: check.problems.map((line) => line.split(" → ")[0] ?? line) };
}
