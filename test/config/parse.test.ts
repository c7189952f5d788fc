import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthProfilesError, isAuthProfilesError } from "../../src/model/errors.js";
import { parseConfig } from "../../src/config.js";

const FIXTURES = new URL("../fixtures/config/", import.meta.url);
const SECRET = "sk-ant-api03-SECRETSECRETsecretsecret0123456789abcdefWXYZ";

function catchError(run: () => unknown): AuthProfilesError {
  try {
    run();
  } catch (error) {
    if (isAuthProfilesError(error)) return error;
    throw error;
  }
  throw new Error("expected an AuthProfilesError");
}

/** Every place an error could leak its input. */
function everything(error: AuthProfilesError): string {
  return [error.message, error.hint, JSON.stringify(error), inspect(error), JSON.stringify(error.details)].join("\n");
}

describe(parseConfig.name, () => {
  describe("JSON5", () => {
    it("reads comments, trailing commas, unquoted keys and keeps unknown keys", async () => {
      const text = await readFile(new URL("valid.json5", FIXTURES), "utf8");
      const config = parseConfig(text, { env: { WORK_KEY: "k" } });
      expect(config.auth?.profiles?.["anthropic:work"]).toEqual({ provider: "anthropic", mode: "api_key", label: "work key" });
      expect(config.auth?.order).toEqual({ anthropic: ["anthropic:me@example.com", "anthropic:work"] });
      expect(config["gateway"]).toEqual({ port: 18789, bind: "loopback" });
      expect(config.env).toEqual({ ANTHROPIC_API_KEY: "k", vars: { REGION: "eu" }, shellEnv: { enabled: false } });
      expect(config.agents?.list?.[0]).toEqual({ id: "work", model: "anthropic/claude-sonnet-4-5", agentDir: "~/agents/work" });
    });

    it("reads unicode keys and values", () => {
      const config = parseConfig('{ "ключ": "значение ✓", auth: { profiles: { "anthropic:José@例え.jp": { provider: "anthropic", mode: "oauth", email: "José@例え.jp" } } } }');
      expect(config["ключ"]).toBe("значение ✓");
      expect(config.auth?.profiles?.["anthropic:José@例え.jp"]?.email).toBe("José@例え.jp");
    });

    it("ignores a byte order mark", () => {
      expect(parseConfig("\uFEFF{ a: 1 }")).toEqual({ a: 1 });
    });

    it("treats empty or blank text as an empty config", () => {
      expect(parseConfig("")).toEqual({});
      expect(parseConfig(" \n\t")).toEqual({});
    });

    it("parses a 1 MB config", () => {
      const big = { bulk: Array.from({ length: 20_000 }, (_, i) => ({ id: `entry-${i}`, note: "x".repeat(30) })) };
      const text = `// big\n${JSON.stringify(big)}`;
      expect(text.length).toBeGreaterThan(1_000_000);
      const config = parseConfig(text);
      expect((config["bulk"] as unknown[]).length).toBe(20_000);
    });

    it("fails with CONFIG_PARSE naming the file, line and column", async () => {
      const file = "/etc/bot/openclaw.json";
      const text = await readFile(new URL("broken.json5", FIXTURES), "utf8");
      const error = catchError(() => parseConfig(text, { path: file }));
      expect(error.code).toBe("CONFIG_PARSE");
      expect(error.message).toContain(file);
      expect(error.message).toContain("line 4, column 49");
      expect(error.details).toMatchObject({ file, line: 4, column: 49 });
      expect(error.hint).toBeDefined();
    });

    it("never shows the text around a syntax error", () => {
      const error = catchError(() => parseConfig(`{ env: { KEY: ${SECRET} } }`));
      expect(error.code).toBe("CONFIG_PARSE");
      expect(everything(error)).not.toContain(SECRET.slice(0, 20));
      expect(everything(error)).not.toContain("SECRET");
    });

    it("rejects a top level that is not an object with CONFIG_INVALID", () => {
      const error = catchError(() => parseConfig("[1, 2]", { path: "/c.json" }));
      expect(error.code).toBe("CONFIG_INVALID");
      expect(error.details).toMatchObject({ file: "/c.json", path: "(root)" });
    });
  });

  describe("$include", () => {
    it("is rejected with CONFIG_INVALID explaining it is not supported", async () => {
      const text = await readFile(new URL("include.json5", FIXTURES), "utf8");
      const error = catchError(() => parseConfig(text, { path: "/c.json5" }));
      expect(error.code).toBe("CONFIG_INVALID");
      expect(error.details).toMatchObject({ file: "/c.json5", path: "agents.$include" });
      expect(error.message).toContain("not supported");
      expect(error.hint).toContain("does not support $include");
    });

    it("is found inside arrays too", () => {
      const error = catchError(() => parseConfig('{ agents: { list: [{ id: "a" }, { $include: "x" }] } }'));
      expect(error.details).toMatchObject({ path: "agents.list[1].$include" });
    });
  });

  describe("validation", () => {
    const file = "/home/u/.openclaw/openclaw.json";
    const cases: readonly [string, string, string, string][] = [
      ["an unknown mode", `{ auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "${SECRET}" } } } }`, 'auth.profiles["anthropic:work"].mode', '"api_key", "token", "oauth"'],
      ["a missing provider", '{ auth: { profiles: { "anthropic:work": { mode: "api_key" } } } }', 'auth.profiles["anthropic:work"].provider', "is required"],
      ["a non-string provider", '{ auth: { profiles: { "anthropic:work": { provider: 42, mode: "api_key" } } } }', 'auth.profiles["anthropic:work"].provider', "must be a string"],
      ["a non-string email", `{ auth: { profiles: { a: { provider: "anthropic", mode: "oauth", email: ["${SECRET}"] } } } }`, "auth.profiles.a.email", "must be a string"],
      ["a profile that is not an object", `{ auth: { profiles: { a: "${SECRET}" } } }`, "auth.profiles.a", "must be an object"],
      ["an order that is not a list", '{ auth: { order: { anthropic: "anthropic:work" } } }', "auth.order.anthropic", "must be an array"],
      ["an order with a non-string id", '{ auth: { order: { anthropic: ["a", 7] } } }', "auth.order.anthropic[1]", "must be a string"],
      ["a negative cooldown", "{ auth: { cooldowns: { billingMaxHours: -1 } } }", "auth.cooldowns.billingMaxHours", "must be >= 0"],
      ["a cooldown that is not a number", '{ auth: { cooldowns: { failureWindowHours: "24" } } }', "auth.cooldowns.failureWindowHours", "must be a number"],
      ["a negative per-provider cooldown", "{ auth: { cooldowns: { billingBackoffHoursByProvider: { anthropic: -5 } } } }", "auth.cooldowns.billingBackoffHoursByProvider.anthropic", "must be >= 0"],
      ["a model of the wrong type", "{ agents: { defaults: { model: 5 } } }", "agents.defaults.model", "a string or an object"],
      ["a non-string primary model", "{ agents: { defaults: { model: { primary: 5 } } } }", "agents.defaults.model", "a string or an object"],
      ["fallbacks that are not a list", '{ agents: { list: [{ id: "w", model: { fallbacks: "x" } }] } }', "agents.list[0].model", "a string or an object"],
      ["an agent without an id", '{ agents: { list: [{ model: "anthropic/x" }] } }', "agents.list[0].id", "is required"],
      ["a non-string agentDir", '{ agents: { list: [{ id: "w", agentDir: 1 }] } }', "agents.list[0].agentDir", "must be a string"],
      ["agents.list that is not a list", '{ agents: { list: { id: "w" } } }', "agents.list", "must be an array"],
      ["a non-string env value", `{ env: { ANTHROPIC_API_KEY: { value: "${SECRET}" } } }`, "env.ANTHROPIC_API_KEY", "must be a string"],
      ["a non-string env.vars value", "{ env: { vars: { PORT: 8080 } } }", "env.vars.PORT", "must be a string"],
      ["an auth block that is not an object", "{ auth: true }", "auth", "must be an object"],
      ["an auth block that is a list", "{ auth: [] }", "auth", "must be an object"],
      ["profiles that are a list", '{ auth: { profiles: [{ provider: "anthropic", mode: "api_key" }] } }', "auth.profiles", "must be an object"],
      ["models that are a list", "{ agents: { defaults: { models: [] } } }", "agents.defaults.models", "must be an object"],
      ["a model that is a list", '{ agents: { defaults: { model: ["anthropic/x"] } } }', "agents.defaults.model", "must be a string or an object"],
      ["an env block that is a list", '{ env: ["A=1"] }', "env", "must be an object"],
    ];

    it.each(cases)("rejects %s with CONFIG_INVALID and its JSON path", (_name, text, path, expected) => {
      const error = catchError(() => parseConfig(text, { path: file }));
      expect(error.code).toBe("CONFIG_INVALID");
      expect(error.details).toMatchObject({ file, path });
      expect(error.message).toContain(file);
      expect(error.message).toContain(path);
      expect(error.message).toContain(expected);
      expect(everything(error)).not.toContain(SECRET.slice(0, 20));
      expect(everything(error)).not.toContain("SECRETSECRET");
    });

    it("reports every problem in details, the first in the message", () => {
      const error = catchError(() =>
        parseConfig('{ auth: { profiles: { a: { provider: "x", mode: "bad" } }, cooldowns: { billingMaxHours: -1 } } }'),
      );
      expect(error.message).toContain("(and 1 more problem)");
      expect(error.details["issues"]).toEqual([
        { path: "auth.profiles.a.mode", problem: 'must be one of "api_key", "token", "oauth"' },
        { path: "auth.cooldowns.billingMaxHours", problem: "must be >= 0" },
      ]);
    });

    it("does not check keys it does not read", () => {
      expect(parseConfig('{ channels: { telegram: 5 }, auth: { mystery: [1] }, agents: { defaults: { thinking: "high" } } }')).toEqual({
        channels: { telegram: 5 },
        auth: { mystery: [1] },
        agents: { defaults: { thinking: "high" } },
      });
    });

    it("accepts every mode and TTL", () => {
      for (const mode of ["api_key", "token", "oauth"]) {
        expect(parseConfig(`{ auth: { profiles: { a: { provider: "anthropic", mode: "${mode}" } } } }`).auth?.profiles?.["a"]?.mode).toBe(mode);
      }
      for (const ttl of ["5m", "1h"]) {
        const config = parseConfig(`{ agents: { defaults: { models: { m: { params: { cacheControlTtl: "${ttl}" } } } } } }`);
        expect(config.agents?.defaults?.models?.["m"]?.params?.cacheControlTtl).toBe(ttl);
      }
    });
  });

  describe("${VAR} substitution", () => {
    it("replaces variables in every string, nested and in arrays, several per string", () => {
      const config = parseConfig('{ a: "${HOST}:${PORT}", b: { c: ["x-${HOST}", 1, true, null] } }', {
        env: { HOST: "example.org", PORT: "443" },
      });
      expect(config).toEqual({ a: "example.org:443", b: { c: ["x-example.org", 1, true, null] } });
    });

    it("does not substitute keys", () => {
      expect(parseConfig('{ "${HOST}": "v" }', { env: { HOST: "h" } })).toEqual({ "${HOST}": "v" });
    });

    it("turns $${VAR} into a literal ${VAR} without looking the variable up", () => {
      expect(parseConfig('{ a: "$${HOME} and ${USER}" }', { env: { USER: "me" } })).toEqual({ a: "${HOME} and me" });
    });

    it("leaves lower-case and malformed references as written", () => {
      expect(parseConfig('{ a: "${lower} ${1X} $HOME ${ }" }')).toEqual({ a: "${lower} ${1X} $HOME ${ }" });
    });

    it("does not substitute again inside a substituted value", () => {
      expect(parseConfig('{ a: "${A}" }', { env: { A: "${B}", B: "no" } })).toEqual({ a: "${B}" });
    });

    it.each([
      ["missing", {}],
      ["empty", { TOKEN: "" }],
    ])("fails with CONFIG_ENV_MISSING when the variable is %s", (_name, env) => {
      const error = catchError(() =>
        parseConfig('{ channels: { telegram: { accounts: [{ token: "${TOKEN}" }] } } }', { path: "/c.json", env }),
      );
      expect(error.code).toBe("CONFIG_ENV_MISSING");
      expect(error.details).toEqual({ file: "/c.json", path: "channels.telegram.accounts[0].token", variable: "TOKEN" });
      expect(error.message).toContain('"TOKEN"');
      expect(error.message).toContain("/c.json");
      expect(error.message).toContain("channels.telegram.accounts[0].token");
    });

    it("defaults to an empty env (never process.env)", () => {
      const error = catchError(() => parseConfig('{ a: "${PATH}" }'));
      expect(error.code).toBe("CONFIG_ENV_MISSING");
    });

    it("does not show other variables' values in the error", () => {
      const error = catchError(() => parseConfig('{ a: "${KEY}-${MISSING}" }', { env: { KEY: SECRET } }));
      expect(error.code).toBe("CONFIG_ENV_MISSING");
      expect(everything(error)).not.toContain(SECRET.slice(0, 20));
    });
  });

  describe("env block", () => {
    it("fills variables that are missing or empty in the passed env", () => {
      const config = parseConfig('{ env: { A: "from-config", B: "from-config", vars: { C: "from-vars" } }, x: ["${A}", "${B}", "${C}"] }', {
        env: { A: "passed", B: "" },
      });
      expect(config["x"]).toEqual(["passed", "from-config", "from-vars"]);
    });

    it("lets a top-level env key win over env.vars", () => {
      expect(parseConfig('{ env: { A: "top", vars: { A: "vars" } }, x: "${A}" }')["x"]).toBe("top");
    });

    it("ignores empty values", () => {
      const error = catchError(() => parseConfig('{ env: { A: "", vars: { A: "" }, shellEnv: { enabled: true } }, x: "${A}" }'));
      expect(error.code).toBe("CONFIG_ENV_MISSING");
    });

    it("substitutes the env block from the passed env", () => {
      const config = parseConfig('{ env: { ANTHROPIC_API_KEY: "${WORK_KEY}" }, x: "${ANTHROPIC_API_KEY}" }', { env: { WORK_KEY: "k1" } });
      expect(config.env).toEqual({ ANTHROPIC_API_KEY: "k1" });
      expect(config["x"]).toBe("k1");
    });

    it("does not let the env block reference its own variables", () => {
      const error = catchError(() => parseConfig('{ env: { A: "a", B: "${A}" } }', { path: "/c.json" }));
      expect(error.code).toBe("CONFIG_ENV_MISSING");
      expect(error.details).toMatchObject({ path: "env.B", variable: "A" });
    });

    it("never writes to the passed env or process.env", () => {
      const name = "AUTH_PROFILES_TEST_ONLY_VARIABLE";
      const env = Object.freeze({ OTHER: "1" });
      const config = parseConfig(`{ env: { ${name}: "set" }, x: "\${${name}}" }`, { env });
      expect(config["x"]).toBe("set");
      expect(env).toEqual({ OTHER: "1" });
      expect(process.env[name]).toBeUndefined();
    });
  });

  it("handles a __proto__ key as plain data", () => {
    const config = parseConfig('{ "__proto__": { polluted: "${X}" } }', { env: { X: "yes" } });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect((config as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
