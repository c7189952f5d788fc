import { agentModel } from "../config/agents.js";
import { effectiveCacheControlTtl } from "../config/cache-ttl.js";
import type { AuthProfilesConfig, ModelEntry } from "../config/types.js";
import type { CredentialMode } from "../model/credential.js";
import type { CacheStatus } from "./types.js";

const ANTHROPIC_PREFIX = "anthropic/";

/** Why a configured TTL is or is not applied. @internal */
export const CACHE_WHY = {
  applied: "applied to cache_control breakpoints (api_key)",
  subscription: "subscription auth (token/oauth) ignores cacheControlTtl",
  subscriptionOptIn: "applied to cache_control breakpoints (subscription, cacheTtlForSubscription)",
  none: "no TTL configured (Anthropic's default 5m applies)",
  noCredential: "no usable credential yet: applied once an API key is used",
} as const;

/**
 * The prompt-cache lines: one per Anthropic model the agent may call (its primary model, the keys
 * of `agents.defaults.models`, and those of its own `agents.list[]` entry), each with the configured
 * TTL and whether it is applied with the effective credential.
 *
 * @param config - the config
 * @param agentId - the agent id
 * @param mode - how the effective credential is sent, or `null` when there is none
 * @param forSubscription - the resolver option `cacheTtlForSubscription`
 * @returns the lines, primary model first, then by model id
 * @internal
 */
export function cacheStatus(config: AuthProfilesConfig, agentId: string, mode: CredentialMode | null, forSubscription = false): readonly CacheStatus[] {
  return configuredModels(config, agentId).map((model) => {
    const ttl = effectiveCacheControlTtl(config, agentId, model);
    if (ttl === null) return { model, cacheControlTtl: null, applied: false, why: CACHE_WHY.none };
    if (mode === null) return { model, cacheControlTtl: ttl, applied: false, why: CACHE_WHY.noCredential };
    if (mode === "api_key") return { model, cacheControlTtl: ttl, applied: true, why: CACHE_WHY.applied };
    return forSubscription ? { model, cacheControlTtl: ttl, applied: true, why: CACHE_WHY.subscriptionOptIn } : { model, cacheControlTtl: ttl, applied: false, why: CACHE_WHY.subscription };
  });
}

/** Anthropic models named by the config for the agent, deduplicated with or without the prefix. */
function configuredModels(config: AuthProfilesConfig, agentId: string): readonly string[] {
  const own = config.agents?.list?.find((entry) => entry.id === agentId)?.models;
  const keyed = [...keysOf(config.agents?.defaults?.models), ...keysOf(own)].flatMap(normalized).sort(compare);
  const primary = agentModel(config, agentId);
  return [...new Set([...(primary === null ? [] : normalized(primary)), ...keyed])];
}

function keysOf(models: Readonly<Record<string, ModelEntry>> | undefined): string[] {
  return models === undefined ? [] : Object.keys(models);
}

/** `claude-x` and `anthropic/claude-x` name the same model; other providers' models are skipped. */
function normalized(raw: string): string[] {
  const model = raw.trim();
  if (model === "") return [];
  if (model.startsWith(ANTHROPIC_PREFIX)) return [model];
  return model.includes("/") ? [] : [`${ANTHROPIC_PREFIX}${model}`];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
