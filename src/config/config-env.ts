import type { AuthProfilesConfig } from "./types.js";
import { isPlainRecord } from "./parse-text.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * An environment: `process.env` or any object shaped like it.
 *
 * @category Config
 */
export type EnvVars = Readonly<Record<string, string | undefined>>;

/** Keys of the `env` block that are not variables. */
const RESERVED_ENV_KEYS = new Set(["vars", "shellEnv"]);

/**
 * Collects the variables a config's `env` block defines: `env.vars.*` first, then the block's
 * other top-level string keys (which win, as in OpenClaw). Empty values define nothing.
 *
 * @param config - a parsed config (or its raw JSON5 value)
 * @returns variable name → value
 * @internal
 */
export function configEnvBlock(config: AuthProfilesConfig): Record<string, string> {
  const block = config.env;
  const out: Record<string, string> = {};
  if (!isPlainRecord(block)) return out;
  const vars = block["vars"];
  const entries = [...(isPlainRecord(vars) ? Object.entries(vars) : []), ...Object.entries(block).filter(([key]) => !RESERVED_ENV_KEYS.has(key))];
  for (const [key, value] of entries) {
    if (typeof value === "string" && value.trim() !== "") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The effective environment of a resolver: the passed env, plus each variable of the config's
 * `env` block where the passed env has it missing or empty. Pure: `process.env` and the inputs
 * are never modified.
 *
 * @param config - a parsed config
 * @param env - the base environment (usually `process.env`)
 * @returns a new object with the merged variables
 *
 * @example
 * ```ts
 * configEnv({ env: { ANTHROPIC_API_KEY: "sk-ant-…" } }, {}); // { ANTHROPIC_API_KEY: "sk-ant-…" }
 * configEnv({ env: { A: "from-config" } }, { A: "set" });     // { A: "set" }
 * ```
 *
 * @category Config
 */
export function configEnv(config: AuthProfilesConfig, env: EnvVars): Record<string, string | undefined> {
  checkConfigArgument("configEnv", "config", "config", config);
  checkConfigArgument("configEnv", "env", "env", env);
  const out: Record<string, string | undefined> = { ...env };
  for (const [key, value] of Object.entries(configEnvBlock(config))) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    if ((current ?? "").trim() === "") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
