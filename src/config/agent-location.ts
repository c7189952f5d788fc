import { resolveAgentDir, resolveStateDir, resolveStorePath } from "./paths.js";
import type { EnvVars } from "./config-env.js";
import type { AuthProfilesConfig } from "./types.js";
import { checkConfigArgument } from "./arguments.js";
import { normalizeAgentId } from "./agent-id.js";
import { AuthProfilesError } from "../model/errors.js";

/**
 * Inputs of {@link agentStoreLocation}.
 *
 * @category Config
 */
export interface AgentStoreLocationOptions {
  /** The agent id as given; normalised as OpenClaw does ({@link normalizeAgentId}). */
  readonly agentId: string;
  /** The state dir. Default: {@link resolveStateDir} from `env` and `homeDir` (then `homeDir` is required). */
  readonly stateDir?: string | undefined;
  /** An explicit agent dir; wins over the config. */
  readonly agentDir?: string | undefined;
  /**
   * The environment: `OPENCLAW_STATE_DIR` / `CLAWDBOT_STATE_DIR`, `OPENCLAW_HOME`, and for
   * OpenClaw's default agent (`default: true` in `agents.list[]`, else its first entry, else `main`)
   * `OPENCLAW_AGENT_DIR` / `CLAWDBOT_AGENT_DIR` / `PI_CODING_AGENT_DIR`. Never `process.env`
   * implicitly. Default `{}`.
   */
  readonly env?: EnvVars | undefined;
  /** The home dir (`$HOME`), to expand `~` and find the default state dir. */
  readonly homeDir?: string | undefined;
  /** The loaded config, for `agents.list[].agentDir`. */
  readonly config: AuthProfilesConfig;
  /** Tells whether a path exists (state dir lookup). Default: `fs.existsSync`. */
  readonly exists?: ((path: string) => boolean) | undefined;
}

/**
 * Where an agent's profile store lives.
 *
 * @category Config
 */
export interface AgentStoreLocation {
  /** The agent id as OpenClaw computes it (`"Work"` → `"work"`). */
  readonly agentId: string;
  /** The state dir used. */
  readonly stateDir: string;
  /** The agent dir. */
  readonly agentDir: string;
  /** `<agentDir>/auth-profiles.json`. */
  readonly storePath: string;
}

/**
 * The one place that decides where an agent's profile store lives: the resolver, every writer and
 * the example CLI call it, so onboarding writes the file the resolver reads, and both open the
 * file OpenClaw opens for that agent.
 *
 * @remarks Lookup order (see {@link resolveAgentDir} and {@link resolveStateDir}): the `agentDir`
 * option, the agent's `agents.list[].agentDir` in the config, `$OPENCLAW_AGENT_DIR` /
 * `$CLAWDBOT_AGENT_DIR` / `$PI_CODING_AGENT_DIR` for OpenClaw's default agent, else
 * `<stateDir>/agents/<normalised id>/agent`, the state dir being `$OPENCLAW_STATE_DIR`,
 * `$CLAWDBOT_STATE_DIR`, else `.openclaw` (or the first existing legacy `.clawdbot`, `.moldbot`,
 * `.moltbot`) under `$OPENCLAW_HOME` or `homeDir`. Pure but for the `exists` check; the env is
 * the one passed.
 *
 * @param options - agent, state dir, overrides and the loaded config
 * @returns the normalised agent id, the state dir, the agent dir and the store path
 * @throws AuthProfilesError `INVALID_ARGUMENT` without `stateDir` and `homeDir`, or for a `~` path
 *   without `homeDir`
 *
 * @category Config
 */
export function agentStoreLocation(options: AgentStoreLocationOptions): AgentStoreLocation {
  checkConfigArgument("agentStoreLocation", "options", "agentStoreLocation", options);
  const agentId = normalizeAgentId(options.agentId);
  let stateDir = options.stateDir;
  if (stateDir === undefined) {
    if (options.homeDir === undefined) {
      throw new AuthProfilesError("INVALID_ARGUMENT", "agentStoreLocation needs stateDir or homeDir.", {
        hint: "Pass stateDir, or homeDir (and env) to find the state dir as OpenClaw does.",
      });
    }
    stateDir = resolveStateDir({ env: options.env, homeDir: options.homeDir, exists: options.exists });
  }
  const agentDir = resolveAgentDir({
    stateDir,
    agentId,
    env: options.env,
    config: options.config,
    homeDir: options.homeDir,
    agentDir: options.agentDir,
  });
  return { agentId, stateDir, agentDir, storePath: resolveStorePath(agentDir) };
}
