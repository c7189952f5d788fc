import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { AuthProfilesError } from "../model/errors.js";
import { agentDirName, DEFAULT_AGENT_ID, validateAgentId } from "./agent-id.js";
import { findAgentEntry } from "./agents.js";
import type { EnvVars } from "./config-env.js";
import type { AuthProfilesConfig } from "./types.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * File name of a profile store inside an agent dir.
 *
 * @category Config
 */
export const AUTH_PROFILES_FILENAME = "auth-profiles.json";

/** Env variables, in priority order, per location. */
const STATE_DIR_VARS = ["OPENCLAW_STATE_DIR", "CLAWDBOT_STATE_DIR"] as const;
const CONFIG_PATH_VARS = ["OPENCLAW_CONFIG_PATH", "CLAWDBOT_CONFIG_PATH"] as const;
const AGENT_DIR_VARS = ["OPENCLAW_AGENT_DIR", "CLAWDBOT_AGENT_DIR"] as const;

/**
 * Inputs of {@link resolveStateDir}.
 *
 * @category Config
 */
export interface ResolveStateDirOptions {
  /** The environment to read `*_STATE_DIR` from. Default `{}`. */
  readonly env?: EnvVars | undefined;
  /** The user's home directory (`~`). */
  readonly homeDir: string;
  /** Tells whether a path exists. Default: `fs.existsSync`. */
  readonly exists?: ((path: string) => boolean) | undefined;
}

/**
 * Inputs of {@link resolveConfigPath}.
 *
 * @category Config
 */
export interface ResolveConfigPathOptions extends ResolveStateDirOptions {
  /** The state dir, when already known; default {@link resolveStateDir}. */
  readonly stateDir?: string | undefined;
}

/**
 * Inputs of {@link resolveAgentDir}.
 *
 * @category Config
 */
export interface ResolveAgentDirOptions {
  /** The state dir (see {@link resolveStateDir}). */
  readonly stateDir: string;
  /** The agent id. Default {@link DEFAULT_AGENT_ID}. */
  readonly agentId?: string | undefined;
  /** The environment to read `*_AGENT_DIR` from. Default `{}`. */
  readonly env?: EnvVars | undefined;
  /** A parsed config, for `agents.list[].agentDir`. */
  readonly config?: AuthProfilesConfig | undefined;
  /** An explicit agent dir; wins over everything else. */
  readonly agentDir?: string | undefined;
  /** The home directory, to expand `~` in configured paths. */
  readonly homeDir?: string | undefined;
}

/**
 * The OpenClaw state directory.
 *
 * Lookup order: `$OPENCLAW_STATE_DIR`, `$CLAWDBOT_STATE_DIR`, `~/.openclaw`, and `~/.clawdbot` when
 * only that one exists. Empty variables count as unset; `~` is expanded.
 *
 * @param options - env, home dir and an `exists` check
 * @returns an absolute path (it may not exist yet)
 *
 * @category Config
 */
export function resolveStateDir(options: ResolveStateDirOptions): string {
  checkConfigArgument("resolveStateDir", "options", "resolveStateDir", options);
  const fromEnv = pathFromEnv(options.env, STATE_DIR_VARS, options.homeDir);
  if (fromEnv !== undefined) return fromEnv;
  const exists = options.exists ?? existsSync;
  const current = join(options.homeDir, ".openclaw");
  const legacy = join(options.homeDir, ".clawdbot");
  return !exists(current) && exists(legacy) ? legacy : current;
}

/**
 * The bot config file.
 *
 * Lookup order: `$OPENCLAW_CONFIG_PATH`, `$CLAWDBOT_CONFIG_PATH`, `<stateDir>/openclaw.json`, and
 * `<stateDir>/clawdbot.json` when only that one exists.
 *
 * @param options - env, home dir, optional state dir and an `exists` check
 * @returns an absolute path (the file may not exist)
 *
 * @category Config
 */
export function resolveConfigPath(options: ResolveConfigPathOptions): string {
  checkConfigArgument("resolveConfigPath", "options", "resolveConfigPath", options);
  const fromEnv = pathFromEnv(options.env, CONFIG_PATH_VARS, options.homeDir);
  if (fromEnv !== undefined) return fromEnv;
  const exists = options.exists ?? existsSync;
  const stateDir = options.stateDir ?? resolveStateDir(options);
  const current = join(stateDir, "openclaw.json");
  const legacy = join(stateDir, "clawdbot.json");
  return !exists(current) && exists(legacy) ? legacy : current;
}

/**
 * An agent's directory (where its `auth-profiles.json` lives).
 *
 * Lookup order: the `agentDir` option; the agent's `agents.list[].agentDir` in the config;
 * `$OPENCLAW_AGENT_DIR` / `$CLAWDBOT_AGENT_DIR` for the default agent `main` only (other agents
 * never share its dir); else `<stateDir>/agents/<agentId>/agent`, with the id lower-cased as
 * OpenClaw does (`"Work"` → `agents/work`).
 *
 * @param options - state dir, agent id, env, config and overrides
 * @returns an absolute path (it may not exist yet)
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an unsafe agent id, or a `~` path without `homeDir`
 *
 * @category Config
 */
export function resolveAgentDir(options: ResolveAgentDirOptions): string {
  checkConfigArgument("resolveAgentDir", "options", "resolveAgentDir", options);
  const agentId = validateAgentId(options.agentId ?? DEFAULT_AGENT_ID);
  if (options.agentDir !== undefined && options.agentDir.trim() !== "") return userPath(options.agentDir, options.homeDir);
  const configured = options.config === undefined ? undefined : findAgentEntry(options.config, agentId)?.agentDir;
  if (configured !== undefined && configured.trim() !== "") return userPath(configured, options.homeDir);
  if (agentId === DEFAULT_AGENT_ID) {
    const fromEnv = pathFromEnv(options.env, AGENT_DIR_VARS, options.homeDir);
    if (fromEnv !== undefined) return fromEnv;
  }
  return join(resolve(options.stateDir), "agents", agentDirName(agentId), "agent");
}

/**
 * The profile store of an agent: `<agentDir>/auth-profiles.json`.
 *
 * @param agentDir - the agent dir (see {@link resolveAgentDir})
 * @returns the store path
 *
 * @category Config
 */
export function resolveStorePath(agentDir: string): string {
  checkConfigArgument("resolveStorePath", "agentDir", "agentDir", agentDir);
  return join(agentDir, AUTH_PROFILES_FILENAME);
}

function pathFromEnv(env: EnvVars | undefined, names: readonly string[], homeDir: string | undefined): string | undefined {
  for (const name of names) {
    const value = env?.[name]?.trim();
    if (value !== undefined && value !== "") return userPath(value, homeDir);
  }
  return undefined;
}

/** Expands a leading `~` and makes the path absolute (relative to the working dir, as OpenClaw does). */
function userPath(path: string, homeDir: string | undefined): string {
  const trimmed = path.trim();
  if (trimmed === "~" || trimmed.startsWith("~/") || trimmed.startsWith("~\\")) {
    if (homeDir === undefined) {
      throw new AuthProfilesError("INVALID_ARGUMENT", `Cannot expand "~" in ${trimmed}: no home directory given.`, {
        hint: "Pass homeDir, or use an absolute path.",
        details: { path: trimmed },
      });
    }
    return join(homeDir, trimmed.slice(1));
  }
  return isAbsolute(trimmed) ? trimmed : resolve(trimmed);
}
