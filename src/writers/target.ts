import { homedir } from "node:os";
import { DEFAULT_AGENT_ID, normalizeAgentId } from "../config/agent-id.js";
import { agentStoreLocation } from "../config/agent-location.js";
import { loadConfig } from "../config/load.js";
import { resolveConfigPath, resolveStateDir } from "../config/paths.js";
import { recordProfileMeta, type ProfileMetaInput } from "./profile-meta.js";
import { openAgentStore } from "../sqlite/agent-store.js";
import { openclawVersionOf } from "../config/openclaw-version.js";
import type { ProfileStore } from "../model/store.js";
import { withCommandHints } from "../model/errors.js";
import type { HintCommands } from "../model/hints.js";
import type { AuthProfilesConfig } from "../config/types.js";

/**
 * Where a writer saves: an agent's store and the bot config. All optional.
 *
 * @category Writing credentials
 */
export interface WriterLocation {
  /** The agent, normalised as OpenClaw does (see `normalizeAgentId`). Default `main`. */
  readonly agentId?: string | undefined;
  /** Overrides the state dir. */
  readonly stateDir?: string | undefined;
  /** Overrides the agent dir. */
  readonly agentDir?: string | undefined;
  /** The config file whose `auth.profiles` records the profile; `false` to leave config alone. */
  readonly configPath?: string | false | undefined;
  /** Env used to locate files. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Home dir used to locate files. Default `os.homedir()`. */
  readonly homeDir?: string | undefined;
  /** Any profile store instead of the agent's file. */
  readonly store?: ProfileStore | undefined;
  /** Accept store files readable by group/other. Default `false`. */
  readonly allowUnsafePermissions?: boolean | undefined;
  /** The embedding bot's command names, used in error hints instead of the library calls. */
  readonly commands?: HintCommands | undefined;
}

/**
 * What a writer reports back.
 *
 * @category Writing credentials
 */
export interface WriteResult {
  /** The profile id written. */
  readonly profileId: string;
  /** The store it was written to. */
  readonly storePath: string;
  /** The config file that records it, or `null`. */
  readonly configPath: string | null;
}

/** A resolved writer target. @internal */
export interface WriterTarget {
  /** The agent id. */
  readonly agentId: string;
  /** The store. */
  readonly store: ProfileStore;
  /** The config path, or `null`. */
  readonly configPath: string | null;
  /** The config as loaded (`{}` without a config file). */
  readonly config: AuthProfilesConfig;
  /** Records metadata in the config (no-op without a config path). */
  readonly recordMeta: (profileId: string, meta: ProfileMetaInput) => Promise<void>;
  /** Closes the store when the target created it. */
  readonly close: () => Promise<void>;
}

/**
 * Resolves where a writer writes, with the resolver's own lookup ({@link agentStoreLocation}): the
 * config is read first, so an agent's `agents.list[].agentDir` is honoured.
 *
 * @param location - the caller's location options
 * @returns store, config path and a metadata recorder
 * @throws AuthProfilesError `CONFIG_*` for a bad config
 * @internal
 */
export async function writerTarget(location: WriterLocation): Promise<WriterTarget> {
  const env = location.env ?? process.env;
  const homeDir = location.homeDir ?? homedir();
  const agentId = normalizeAgentId(location.agentId ?? DEFAULT_AGENT_ID);
  const stateDir = location.stateDir ?? resolveStateDir({ env, homeDir });
  const configPath = location.configPath === false ? null : (location.configPath ?? resolveConfigPath({ env, homeDir, stateDir }));
  const owned = location.store === undefined;
  const config = configPath === null ? {} : (await loadConfig({ path: configPath, env, allowUnsafePermissions: location.allowUnsafePermissions })).config;
  let store = location.store;
  if (store === undefined) {
    const { storePath } = agentStoreLocation({ agentId, stateDir, agentDir: location.agentDir, env, homeDir, config });
    store = openAgentStore({
      storePath,
      ...(location.allowUnsafePermissions === undefined ? {} : { allowUnsafePermissions: location.allowUnsafePermissions }),
      ...(openclawVersionOf(config) === undefined ? {} : { openclawVersion: openclawVersionOf(config) as string }),
    });
  }
  const opened = store;
  return {
    agentId,
    store: opened,
    configPath,
    config,
    recordMeta: async (profileId, meta) => {
      if (configPath !== null) await recordProfileMeta({ configPath, profileId, meta });
    },
    close: async () => {
      if (owned) await opened.close?.();
    },
  };
}

/**
 * Runs a writer, writing its table hints with the caller's command names and agent.
 *
 * @param location - the caller's location options (`commands`, `agentId`)
 * @param work - the writer's body
 * @returns what `work` returns
 * @internal
 */
export async function withWriterHints<T>(location: WriterLocation, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw withCommandHints(error, location.commands, { agentId: location.agentId ?? DEFAULT_AGENT_ID });
  }
}
