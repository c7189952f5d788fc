import { agentModel, findAgentEntry } from "./agents.js";
import type { AuthProfilesConfig, CacheControlTtl, ModelEntry, ModelParams } from "./types.js";
import { checkConfigArgument } from "./arguments.js";
import { isObjectArgument } from "../model/arguments.js";

const ANTHROPIC_PREFIX = "anthropic/";

/**
 * The prompt-cache TTL configured for a model of an agent, from its `params`: `cacheRetention`
 * (`"long"` → `"1h"`, `"short"` → `"5m"`, `"none"` → no TTL) wins over `cacheControlTtl` in the
 * same `params`, as in OpenClaw. The agent's `agents.list[].models[model].params` (an extension
 * OpenClaw's strict schema rejects) is looked at before `agents.defaults.models[model].params`; the
 * first of them that sets either key decides, `"none"` included. Model ids match with or without
 * the `anthropic/` prefix, on either side.
 *
 * @remarks This is the configured value only; whether it is applied depends on the credential
 * (subscription auth ignores it unless `cacheTtlForSubscription`), which the request decorator
 * decides. Values this library cannot apply were left out when the config was validated (see
 * `LoadedConfig.warnings`).
 *
 * @param config - a parsed config
 * @param agentId - the agent id
 * @param model - the model; `undefined` means the agent's primary model (see {@link agentModel})
 * @returns `"5m"`, `"1h"`, or `null` when none is configured (or `cacheRetention: "none"`)
 *
 * @example
 * ```ts
 * const config = { agents: { defaults: { models: { "anthropic/claude-opus-4-7": { params: { cacheControlTtl: "1h" } } } } } } as const;
 * effectiveCacheControlTtl(config, "main", "claude-opus-4-7"); // "1h"
 * ```
 *
 * @category Config
 */
export function effectiveCacheControlTtl(config: AuthProfilesConfig, agentId: string, model?: string): CacheControlTtl | null {
  if (!isObjectArgument(config) || typeof agentId !== "string" || (model !== undefined && typeof model !== "string")) {
    checkConfigArgument("effectiveCacheControlTtl", "config", "config", config);
    checkConfigArgument("effectiveCacheControlTtl", "agentId", "agentId", agentId);
    checkConfigArgument("effectiveCacheControlTtl", "model", "model", model);
  }
  const target = model ?? agentModel(config, agentId);
  if (target === null) return null;
  const decided = ttlIn(findAgentEntry(config, agentId)?.models, target) ?? ttlIn(config.agents?.defaults?.models, target);
  return decided === undefined || decided === NO_TTL ? null : decided;
}

/** `cacheRetention: "none"`: decided, and no TTL. */
const NO_TTL = "none";

/** What one `params` decides: a TTL, `"none"`, or `undefined` when it sets neither key. */
function ttlOfParams(params: ModelParams | undefined): CacheControlTtl | typeof NO_TTL | undefined {
  switch (params?.cacheRetention) {
    case "long":
      return "1h";
    case "short":
      return "5m";
    case "none":
      return NO_TTL;
    default:
      return params?.cacheControlTtl;
  }
}

function ttlIn(models: Readonly<Record<string, ModelEntry>> | undefined, model: string): CacheControlTtl | typeof NO_TTL | undefined {
  if (models === undefined) return undefined;
  const exact = Object.hasOwn(models, model) ? ttlOfParams(models[model]?.params) : undefined;
  if (exact !== undefined) return exact;
  const wanted = stripAnthropic(model);
  for (const [key, entry] of Object.entries(models)) {
    const ttl = ttlOfParams(entry.params);
    if (ttl !== undefined && stripAnthropic(key) === wanted) return ttl;
  }
  return undefined;
}

function stripAnthropic(model: string): string {
  const trimmed = model.trim();
  return trimmed.startsWith(ANTHROPIC_PREFIX) ? trimmed.slice(ANTHROPIC_PREFIX.length) : trimmed;
}
