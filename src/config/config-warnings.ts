import { formatJsonPath, type JsonPathSegment } from "./issue-path.js";
import { isPlainRecord } from "./parse-text.js";
import type { AuthProfilesConfig } from "./types.js";

/**
 * A config value OpenClaw accepts but this library cannot apply: it is left out of the validated
 * config (the file is not changed) and reported instead of failing the whole config.
 *
 * @category Config
 */
export interface ConfigWarning {
  /** The config file, or `null` for a config object. */
  readonly file: string | null;
  /** Where the value is, e.g. `agents.defaults.models["anthropic/claude-opus-4-7"].params.cacheControlTtl`. */
  readonly path: string;
  /** A secret-free sentence: what is ignored and what would work (never the value itself). */
  readonly message: string;
}

/** What {@link settleModelParams} returns. @internal */
export interface SettledConfig {
  /** The config without the values it warns about. */
  readonly config: AuthProfilesConfig;
  /** One warning per value left out, in document order. */
  readonly warnings: readonly ConfigWarning[];
}

const PARAM_RULES: Readonly<Record<string, { readonly allowed: readonly string[]; readonly fix: string }>> = {
  cacheRetention: { allowed: ["none", "short", "long"], fix: 'use "short" (5 minutes), "long" (1 hour) or "none"' },
  cacheControlTtl: { allowed: ["5m", "1h"], fix: 'use "5m" or "1h" (or cacheRetention "short" / "long")' },
};

/**
 * Leaves out every `models[…].params.cacheControlTtl` / `cacheRetention` (under
 * `agents.defaults` and `agents.list[]`) whose value this library cannot apply, and reports each.
 * OpenClaw's schema takes `params` as a free record, so such a value never makes its config invalid,
 * and it must not make ours invalid either. Pure: the input is not modified; changed branches are
 * copied.
 *
 * @param config - a validated config
 * @param file - the config file, for the warnings
 * @returns the config to use and the warnings
 * @internal
 */
export function settleModelParams(config: AuthProfilesConfig, file: string | undefined): SettledConfig {
  const warnings: ConfigWarning[] = [];
  const agents = config.agents;
  if (!isPlainRecord(agents)) return { config, warnings };
  const defaults = isPlainRecord(agents["defaults"]) ? settleSettings(agents["defaults"], ["agents", "defaults"], file ?? null, warnings) : undefined;
  const list = Array.isArray(agents["list"]) ? agents["list"].map((entry: unknown, i) => (isPlainRecord(entry) ? settleSettings(entry, ["agents", "list", i], file ?? null, warnings) : entry)) : undefined;
  if (warnings.length === 0) return { config, warnings };
  const nextAgents = { ...agents, ...(defaults === undefined ? {} : { defaults }), ...(list === undefined ? {} : { list }) };
  return { config: { ...config, agents: nextAgents } as AuthProfilesConfig, warnings };
}

function settleSettings(settings: Record<string, unknown>, at: JsonPathSegment[], file: string | null, warnings: ConfigWarning[]): Record<string, unknown> {
  const models = settings["models"];
  if (!isPlainRecord(models)) return settings;
  const before = warnings.length;
  const next: Record<string, unknown> = {};
  for (const [model, entry] of Object.entries(models)) {
    const value = isPlainRecord(entry) && isPlainRecord(entry["params"]) ? { ...entry, params: settleParams(entry["params"], [...at, "models", model, "params"], file, warnings) } : entry;
    Object.defineProperty(next, model, { value, enumerable: true, writable: true, configurable: true });
  }
  return warnings.length === before ? settings : { ...settings, models: next };
}

function settleParams(params: Record<string, unknown>, at: JsonPathSegment[], file: string | null, warnings: ConfigWarning[]): Record<string, unknown> {
  let out = params;
  for (const [key, rule] of Object.entries(PARAM_RULES)) {
    if (!Object.hasOwn(params, key) || params[key] === undefined) continue;
    const value = params[key];
    if (typeof value === "string" && rule.allowed.includes(value)) continue;
    const path = formatJsonPath([...at, key]);
    const where = file === null ? "the config" : file;
    warnings.push({ file, path, message: `Ignored ${path} in ${where}: not a value this library can apply (${rule.fix}); OpenClaw accepts it, so the rest of the config is used.` });
    const { [key]: _dropped, ...rest } = out;
    out = rest;
  }
  return out;
}
