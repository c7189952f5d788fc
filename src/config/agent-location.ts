import { resolveAgentDir, resolveStorePath } from "./paths.js";
import type { EnvVars } from "./config-env.js";
import type { AuthProfilesConfig } from "./types.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * Inputs of {@link agentStoreLocation}.
 *
 * @category Config
 */
export interface AgentStoreLocationOptions {
  /** The validated agent id. */
  readonly agentId: string;
  /** The state dir. */
  readonly stateDir: string;
  /** An explicit agent dir; wins over the config. */
  readonly agentDir?: string | undefined;
  /** The environment (for `$OPENCLAW_AGENT_DIR` of the main agent). */
  readonly env?: EnvVars | undefined;
  /** The home dir, to expand `~`. */
  readonly homeDir?: string | undefined;
  /** The loaded config, for `agents.list[].agentDir`. */
  readonly config: AuthProfilesConfig;
}

/**
 * Where an agent's profile store lives.
 *
 * @category Config
 */
export interface AgentStoreLocation {
  /** The agent dir. */
  readonly agentDir: string;
  /** `<agentDir>/auth-profiles.json`. */
  readonly storePath: string;
}

/**
 * The one place that decides where an agent's profile store lives: the resolver, every writer and
 * the example CLI call it, so onboarding writes the file the resolver reads.
 *
 * @remarks Lookup order (see {@link resolveAgentDir}): the `agentDir` option, the agent's
 * `agents.list[].agentDir` in the config, `$OPENCLAW_AGENT_DIR` for `main`, else
 * `<stateDir>/agents/<agentId>/agent`.
 *
 * @param options - agent, state dir, overrides and the loaded config
 * @returns the agent dir and the store path
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an unsafe agent id
 *
 * @category Config
 */
export function agentStoreLocation(options: AgentStoreLocationOptions): AgentStoreLocation {
  checkConfigArgument("agentStoreLocation", "options", "agentStoreLocation", options);
  const agentDir = resolveAgentDir({
    stateDir: options.stateDir,
    agentId: options.agentId,
    env: options.env,
    config: options.config,
    homeDir: options.homeDir,
    agentDir: options.agentDir,
  });
  return { agentDir, storePath: resolveStorePath(agentDir) };
}
