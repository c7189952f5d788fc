import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { AuthProfilesError } from "../model/errors.js";
import { DEFAULT_AGENT_ID, normalizeAgentId } from "./agent-id.js";
import { findAgentEntry, openclawDefaultAgentId } from "./agents.js";
import type { EnvVars } from "./config-env.js";
import type { AuthProfilesConfig } from "./types.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * File name of a profile store inside an agent dir.
 *
 * @category Config
 */
export const AUTH_PROFILES_FILENAME = "auth-profiles.json";

/** Env variables, in priority order, per location (OpenClaw's, then Clawdbot's). */
const STATE_DIR_VARS = ["OPENCLAW_STATE_DIR", "CLAWDBOT_STATE_DIR"] as const;
const CONFIG_PATH_VARS = ["OPENCLAW_CONFIG_PATH", "CLAWDBOT_CONFIG_PATH"] as const;
/** OpenClaw reads `OPENCLAW_AGENT_DIR || PI_CODING_AGENT_DIR`, Clawdbot `CLAWDBOT_AGENT_DIR || PI_CODING_AGENT_DIR`. */
const AGENT_DIR_VARS = ["OPENCLAW_AGENT_DIR", "CLAWDBOT_AGENT_DIR", "PI_CODING_AGENT_DIR"] as const;
/** OpenClaw's home override: wins over `$HOME` for every OpenClaw path (`infra/home-dir.ts`). */
const HOME_VAR = "OPENCLAW_HOME";
/** The state dir, and the legacy ones in the order OpenClaw tries them when it is missing. */
const STATE_DIRNAME = ".openclaw";
const LEGACY_STATE_DIRNAMES = [".clawdbot", ".moldbot", ".moltbot"] as const;
/** Config file names in a state dir, in the order OpenClaw takes the first that exists. */
const CONFIG_FILENAMES = ["openclaw.json", "clawdbot.json", "moldbot.json", "moltbot.json"] as const;

/**
 * Inputs of {@link resolveStateDir}.
 *
 * @category Config
 */
export interface ResolveStateDirOptions {
  /** The environment to read `*_STATE_DIR` and `OPENCLAW_HOME` from. Default `{}`. */
  readonly env?: EnvVars | undefined;
  /** The user's home directory (`$HOME`); `$OPENCLAW_HOME` wins over it for OpenClaw's paths. */
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
  /** The environment to read `*_AGENT_DIR`, `PI_CODING_AGENT_DIR` and `OPENCLAW_HOME` from. Default `{}`. */
  readonly env?: EnvVars | undefined;
  /** A parsed config, for `agents.list[].agentDir`. */
  readonly config?: AuthProfilesConfig | undefined;
  /** An explicit agent dir; wins over everything else. */
  readonly agentDir?: string | undefined;
  /** The home directory, to expand `~` in configured paths. */
  readonly homeDir?: string | undefined;
}

/**
 * The home OpenClaw computes its paths from: `$OPENCLAW_HOME` (a leading `~` expanded against
 * `homeDir`, then made absolute), else `homeDir`. Pure: reads only the env it is given.
 *
 * @param env - the environment
 * @param homeDir - the user's home (`$HOME`)
 * @returns the home for OpenClaw's paths, or `undefined` when neither is known
 * @internal
 */
export function openclawHomeDir(env: EnvVars | undefined, homeDir: string | undefined): string | undefined {
  const explicit = env?.[HOME_VAR]?.trim();
  if (explicit === undefined || explicit === "") return homeDir;
  if (isTildePath(explicit)) return homeDir === undefined ? undefined : resolve(join(homeDir, explicit.slice(1)));
  return resolve(explicit);
}

/**
 * The OpenClaw state directory, as OpenClaw computes it.
 *
 * Lookup order: `$OPENCLAW_STATE_DIR`, `$CLAWDBOT_STATE_DIR`; else, under the home
 * (`$OPENCLAW_HOME`, else `homeDir`), `~/.openclaw` when it exists, else the first of the legacy
 * `~/.clawdbot`, `~/.moldbot`, `~/.moltbot` that exists, else `~/.openclaw`. Empty variables count as
 * unset; `~` is expanded against the same home.
 *
 * @param options - env, home dir and an `exists` check
 * @returns an absolute path (it may not exist yet)
 *
 * @category Config
 */
export function resolveStateDir(options: ResolveStateDirOptions): string {
  checkConfigArgument("resolveStateDir", "options", "resolveStateDir", options);
  const home = openclawHomeDir(options.env, options.homeDir) as string;
  const fromEnv = pathFromEnv(options.env, STATE_DIR_VARS, home);
  if (fromEnv !== undefined) return fromEnv;
  const exists = options.exists ?? existsSync;
  const current = join(home, STATE_DIRNAME);
  if (exists(current)) return current;
  return LEGACY_STATE_DIRNAMES.map((name) => join(home, name)).find((dir) => exists(dir)) ?? current;
}

/**
 * The bot config file, as OpenClaw computes it.
 *
 * Lookup order: `$OPENCLAW_CONFIG_PATH`, `$CLAWDBOT_CONFIG_PATH`; else the first of
 * `<stateDir>/openclaw.json`, `clawdbot.json`, `moldbot.json`, `moltbot.json` that exists, else
 * `<stateDir>/openclaw.json`.
 *
 * @param options - env, home dir, optional state dir and an `exists` check
 * @returns an absolute path (the file may not exist)
 *
 * @category Config
 */
export function resolveConfigPath(options: ResolveConfigPathOptions): string {
  checkConfigArgument("resolveConfigPath", "options", "resolveConfigPath", options);
  const fromEnv = pathFromEnv(options.env, CONFIG_PATH_VARS, openclawHomeDir(options.env, options.homeDir));
  if (fromEnv !== undefined) return fromEnv;
  const exists = options.exists ?? existsSync;
  const stateDir = options.stateDir ?? resolveStateDir(options);
  const candidates = CONFIG_FILENAMES.map((name) => join(stateDir, name));
  return candidates.find((path) => exists(path)) ?? (candidates[0] as string);
}

/**
 * An agent's directory (where its `auth-profiles.json` lives), as OpenClaw computes it.
 *
 * Lookup order: the `agentDir` option; the agent's `agents.list[].agentDir` in the config (entries
 * matched by normalised id); for OpenClaw's default agent only (the `agents.list[]` entry with
 * `default: true`, else the first entry, else `main`; other agents never share its dir)
 * `$OPENCLAW_AGENT_DIR`, `$CLAWDBOT_AGENT_DIR`, `$PI_CODING_AGENT_DIR`; else
 * `<stateDir>/agents/<id>/agent` with the id normalised as OpenClaw does ({@link normalizeAgentId}:
 * `"Work"` → `agents/work`, `"my agent"` → `agents/my-agent`). A `~` in a configured or env path
 * is expanded against OpenClaw's home (`$OPENCLAW_HOME`, else `homeDir`).
 *
 * @param options - state dir, agent id, env, config and overrides
 * @returns an absolute path (it may not exist yet)
 * @throws AuthProfilesError `INVALID_ARGUMENT` for a `~` path without `homeDir`
 *
 * @category Config
 */
export function resolveAgentDir(options: ResolveAgentDirOptions): string {
  checkConfigArgument("resolveAgentDir", "options", "resolveAgentDir", options);
  const agentId = normalizeAgentId(options.agentId ?? DEFAULT_AGENT_ID);
  if (options.agentDir !== undefined && options.agentDir.trim() !== "") return userPath(options.agentDir, options.homeDir);
  const home = openclawHomeDir(options.env, options.homeDir);
  const configured = options.config === undefined ? undefined : findAgentEntry(options.config, agentId)?.agentDir;
  if (typeof configured === "string" && configured.trim() !== "") return userPath(configured, home);
  if (agentId === openclawDefaultAgentId(options.config)) {
    const fromEnv = pathFromEnv(options.env, AGENT_DIR_VARS, home);
    if (fromEnv !== undefined) return fromEnv;
  }
  return join(resolve(options.stateDir), "agents", agentId, "agent");
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
  if (isTildePath(trimmed)) {
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

function isTildePath(path: string): boolean {
  return path === "~" || path.startsWith("~/") || path.startsWith("~\\");
}
