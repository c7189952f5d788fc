import { agentModel } from "../config/agents.js";
import { effectiveCacheControlTtl } from "../config/cache-ttl.js";
import type { AuthProfilesConfig, CacheControlTtl } from "../config/types.js";

/** What a model id means for one agent under one config. @internal */
export interface ModelInfo {
  /** The model as resolved (`anthropic/…`), the agent's primary model, or `null`. */
  readonly model: string | null;
  /** The model id as the Messages API takes it (as asked, without an `anthropic/` prefix), or `null`. */
  readonly asked: string | null;
  /** The configured prompt-cache TTL of that model, or `null`. */
  readonly cacheControlTtl: CacheControlTtl | null;
  /** Its rate-limit family (the scope of its cooldowns and headroom), or `null` without a model. */
  readonly family: string | null;
  /** Its fast-mode family (`speed: "fast"`), or `null`. */
  readonly fastFamily: string | null;
}

/** Distinct model ids remembered per config; a bot uses a handful. */
const MAX_MODELS = 256;

/**
 * Remembers, per config object, what each requested model id resolves to, so a warm resolve does
 * not normalize the id or search the config's model table on every call. The returned objects are
 * stable while the config stays the same, so they can key other caches without building strings.
 *
 * @internal
 */
export class ModelInfoCache {
  readonly #agentId: string;
  readonly #familyOf: (model: string | null, fast: boolean) => string | null;
  #config: AuthProfilesConfig | null = null;
  readonly #byModel = new Map<string | undefined, ModelInfo>();

  /**
   * @param agentId - the agent whose model settings apply
   * @param familyOf - the rate-limit family of a model id
   */
  constructor(agentId: string, familyOf: (model: string | null, fast: boolean) => string | null = () => null) {
    this.#agentId = agentId;
    this.#familyOf = familyOf;
  }

  /**
   * @param config - the current config
   * @param requested - the model id of the request, if any
   * @returns the model and its TTL (the same object for the same config and id)
   */
  get(config: AuthProfilesConfig, requested: string | undefined): ModelInfo {
    if (config !== this.#config) {
      this.#config = config;
      this.#byModel.clear();
    }
    let info = this.#byModel.get(requested);
    if (info === undefined) {
      const model = normalizeModel(requested) ?? agentModel(config, this.#agentId);
      info = {
        model,
        asked: apiModelId(model),
        cacheControlTtl: model === null ? null : effectiveCacheControlTtl(config, this.#agentId, model),
        family: this.#familyOf(model, false),
        fastFamily: this.#familyOf(model, true),
      };
      if (this.#byModel.size >= MAX_MODELS) this.#byModel.clear();
      this.#byModel.set(requested, info);
    }
    return info;
  }
}

/** `anthropic/claude-x` → `claude-x`; other providers' ids stay as written. */
function apiModelId(model: string | null): string | null {
  if (model === null) return null;
  const trimmed = model.trim();
  return trimmed.startsWith("anthropic/") ? trimmed.slice("anthropic/".length) : trimmed;
}

function normalizeModel(model: string | undefined): string | null {
  if (model === undefined || model.trim() === "") return null;
  return model.includes("/") ? model : `anthropic/${model}`;
}
