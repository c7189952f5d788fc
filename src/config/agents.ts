import type { AgentEntry, AuthProfilesConfig, ModelRef } from "./types.js";
import { checkConfigArgument } from "./arguments.js";
import { isObjectArgument } from "../model/arguments.js";
import { DEFAULT_AGENT_ID, normalizeAgentId } from "./agent-id.js";

/**
 * Finds an agent's `agents.list[]` entry, comparing ids as OpenClaw does (both normalised:
 * `{ id: "Work" }` is agent `work`'s entry).
 *
 * @param config - a parsed config
 * @param agentId - the agent id
 * @returns the first entry with that id, or `undefined`
 * @internal
 */
export function findAgentEntry(config: AuthProfilesConfig, agentId: string): AgentEntry | undefined {
  const list = config.agents?.list;
  if (list === undefined || list.length === 0) return undefined;
  const id = normalizeAgentId(agentId);
  return list.find((entry) => typeof entry?.id === "string" && normalizeAgentId(entry.id) === id);
}

/**
 * OpenClaw's default agent: the `agents.list[]` entry marked `default: true`, else the first entry,
 * else `main` (normalised). `OPENCLAW_AGENT_DIR` / `PI_CODING_AGENT_DIR` name that agent's dir.
 *
 * @param config - a parsed config
 * @returns the normalised id
 * @internal
 */
export function openclawDefaultAgentId(config: AuthProfilesConfig | undefined): string {
  const list = (config?.agents?.list ?? []).filter((entry) => typeof entry === "object" && entry !== null);
  const chosen = (list.find((entry) => (entry as { readonly default?: unknown }).default === true) ?? list[0])?.id;
  return normalizeAgentId(typeof chosen === "string" && chosen.trim() !== "" ? chosen : DEFAULT_AGENT_ID);
}

/**
 * The primary model of an agent: its `agents.list[]` entry's `model` (a string or
 * `model.primary`), else `agents.defaults.model`.
 *
 * @param config - a parsed config
 * @param agentId - the agent id
 * @returns the model as written in the config (e.g. `anthropic/claude-opus-4-7`), or `null`
 *
 * @example
 * ```ts
 * agentModel({ agents: { defaults: { model: { primary: "anthropic/claude-opus-4-7" } } } }, "main"); // "anthropic/claude-opus-4-7"
 * ```
 *
 * @category Config
 */
export function agentModel(config: AuthProfilesConfig, agentId: string): string | null {
  if (!isObjectArgument(config) || typeof agentId !== "string") {
    checkConfigArgument("agentModel", "config", "config", config);
    checkConfigArgument("agentModel", "agentId", "agentId", agentId);
  }
  return primaryOf(findAgentEntry(config, agentId)?.model) ?? primaryOf(config.agents?.defaults?.model) ?? null;
}

function primaryOf(model: ModelRef | undefined): string | undefined {
  const primary = typeof model === "string" ? model : model?.primary;
  return primary === undefined || primary.trim() === "" ? undefined : primary;
}
