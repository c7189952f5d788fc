import { agentModel, findAgentEntry } from "./agents.js";
import type { AuthProfilesConfig, CacheControlTtl, ModelEntry } from "./types.js";
import { checkConfigArgument } from "./arguments.js";
import { isObjectArgument } from "../model/arguments.js";

const ANTHROPIC_PREFIX = "anthropic/";

/**
 * The prompt-cache TTL configured for a model of an agent: the agent's
 * `agents.list[].models[model].params.cacheControlTtl`, else the same key of `agents.defaults`.
 * Model ids match with or without the `anthropic/` prefix, on either side.
 *
 * @remarks This is the configured value only; whether it is applied depends on the credential
 * (subscription auth ignores it), which the request decorator decides.
 *
 * @param config - a parsed config
 * @param agentId - the agent id
 * @param model - the model; `undefined` means the agent's primary model (see {@link agentModel})
 * @returns `"5m"`, `"1h"`, or `null` when none is configured
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
  return (
    ttlIn(findAgentEntry(config, agentId)?.models, target) ?? ttlIn(config.agents?.defaults?.models, target) ?? null
  );
}

function ttlIn(models: Readonly<Record<string, ModelEntry>> | undefined, model: string): CacheControlTtl | undefined {
  if (models === undefined) return undefined;
  const exact = Object.hasOwn(models, model) ? models[model]?.params?.cacheControlTtl : undefined;
  if (exact !== undefined) return exact;
  const wanted = stripAnthropic(model);
  for (const [key, entry] of Object.entries(models)) {
    const ttl = entry.params?.cacheControlTtl;
    if (ttl !== undefined && stripAnthropic(key) === wanted) return ttl;
  }
  return undefined;
}

function stripAnthropic(model: string): string {
  const trimmed = model.trim();
  return trimmed.startsWith(ANTHROPIC_PREFIX) ? trimmed.slice(ANTHROPIC_PREFIX.length) : trimmed;
}
