import { describe, expect, it } from "vitest";
import { configEnv } from "../../src/config.js";

describe(configEnv.name, () => {
  it("adds env block variables that the passed env lacks or has empty", () => {
    const config = { env: { A: "cfg-a", B: "cfg-b", C: "cfg-c", vars: { D: "cfg-d" } } };
    expect(configEnv(config, { A: "set", B: "", C: "   " })).toEqual({ A: "set", B: "cfg-b", C: "cfg-c", D: "cfg-d" });
  });

  it("lets top-level keys win over env.vars and skips shellEnv, vars and empty values", () => {
    const config = { env: { A: "top", vars: { A: "vars", E: "" }, shellEnv: { enabled: true }, F: "" } };
    expect(configEnv(config, {})).toEqual({ A: "top" });
  });

  it("returns a copy of the env when the config has no env block", () => {
    const env = { A: "1" };
    const out = configEnv({}, env);
    expect(out).toEqual(env);
    expect(out).not.toBe(env);
  });

  it("never modifies its inputs or process.env", () => {
    const name = "AUTH_PROFILES_CONFIG_ENV_TEST";
    const config = Object.freeze({ env: Object.freeze({ [name]: "x" }) });
    const env = Object.freeze({});
    expect(configEnv(config, env)).toEqual({ [name]: "x" });
    expect(env).toEqual({});
    expect(process.env[name]).toBeUndefined();
  });

  it("treats a __proto__ variable as data", () => {
    const config = JSON.parse('{ "env": { "__proto__": "x" } }') as { env: Record<string, unknown> };
    const out = configEnv(config, {});
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe("x");
  });
});
