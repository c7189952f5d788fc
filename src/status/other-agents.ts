import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { agentStoreLocation } from "../config/agent-location.js";
import { DEFAULT_AGENT_ID, normalizeAgentId } from "../config/agent-id.js";
import type { EnvVars } from "../config/config-env.js";
import type { AuthProfilesConfig } from "../config/types.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import type { StoreData } from "../model/store.js";
import { openAgentStore } from "../sqlite/agent-store.js";
import { keptEntriesOf, keptProfile } from "../store/kept-entries.js";

/** A configured profile id this agent does not store, and the other agents that do. @internal */
export interface StoredElsewhere {
  /** The profile id. */
  readonly profileId: string;
  /** The agents whose stores hold it. */
  readonly agentIds: readonly string[];
}

/** Input of {@link findOtherAgentProfiles}. @internal */
export interface OtherAgentProfilesInput {
  /** This agent (the one the report is for). */
  readonly agentId: string;
  /** This agent's store path: a store found there is this agent's own, never another's. */
  readonly storePath: string;
  /** The state dir: `<stateDir>/agents/*` are the agents on this host. */
  readonly stateDir: string;
  /** The resolver's env (for `$OPENCLAW_AGENT_DIR` of `main`). */
  readonly env?: EnvVars | undefined;
  /** The home dir, to expand `~` in `agents.list[].agentDir`. */
  readonly homeDir?: string | undefined;
  /** The loaded config: `auth.profiles` / `auth.order` (shared by every agent) and `agents.list[]`. */
  readonly config: AuthProfilesConfig;
  /** This agent's store document. */
  readonly data: StoreData;
  /** Skip the group/other permission check of the other agents' stores (the resolver's option). */
  readonly allowUnsafePermissions?: boolean | undefined;
  /**
   * A store object's own lookup of another agent's ids in its backend (`profileIdsOfAgent`, e.g. the
   * Redis store's): used instead of the disk for the agents of `agents.list[]` and `main`.
   */
  readonly profileIdsOfAgent?: ((agentId: string) => Promise<readonly string[]>) | undefined;
}

/**
 * The I/O edge of the status report for a shared config: OpenClaw's `auth.profiles` (and
 * `auth.order`) is global, not per agent, so it names other agents' profiles too. For every
 * configured id this agent does not store, it looks in the stores of the other agents the resolver
 * would use (`agents.list[]` ids, `main`, and the directories under `<stateDir>/agents/`, each
 * located with `agentStoreLocation`, as a JSON file or OpenClaw's per-agent SQLite database) and
 * tells which of them store it. For a store object with `profileIdsOfAgent` (Redis), that lookup
 * is asked instead, for the agents of `agents.list[]` and `main`.
 *
 * @remarks Read only: no lock, no write, no file created. A store that cannot be read (unsafe
 * permissions, a broken file, Redis down) is skipped, so its ids stay "missing" for this agent.
 * Only profile ids are kept from what is read; secrets are dropped at once. Nothing is read when
 * every configured id is stored by this agent. A store object without `profileIdsOfAgent` (a
 * custom store) is not searched: the resolver passes nothing then.
 *
 * @param input - this agent, its store, the state dir, env, home dir and config
 * @returns one entry per configured id stored by another agent (by id), with those agents' ids
 * @internal
 */
export async function findOtherAgentProfiles(input: OtherAgentProfilesInput): Promise<readonly StoredElsewhere[]> {
  const wanted = configuredIds(input.config).filter((id) => !Object.hasOwn(input.data.profiles, id) && keptProfile(input.data, id) === undefined);
  if (wanted.length === 0) return [];
  const found = new Map<string, string[]>();
  // This agent's own store, however it is spelled (`Work` and `work` share `agents/work`).
  const seenStores = new Set([input.storePath, storePathOf(input, input.agentId)]);
  const lookup = input.profileIdsOfAgent;
  const agents = lookup === undefined ? await agentIds(input, true) : await agentIds(input, false);
  for (const agentId of agents) {
    let ids: ReadonlySet<string>;
    if (lookup !== undefined) {
      ids = new Set(await lookup(agentId).catch(() => []));
    } else {
      const storePath = storePathOf(input, agentId);
      if (storePath === null || seenStores.has(storePath)) continue;
      seenStores.add(storePath);
      ids = await storedIds(storePath, input.allowUnsafePermissions);
    }
    for (const id of wanted) if (ids.has(id)) found.set(id, [...(found.get(id) ?? []), agentId]);
  }
  return [...found].sort(([a], [b]) => compare(a, b)).map(([profileId, agents]) => ({ profileId, agentIds: agents }));
}

/** Every id of `auth.profiles` and `auth.order`, the live Claude Code login aside. */
function configuredIds(config: AuthProfilesConfig): string[] {
  const profiles = Object.keys(config.auth?.profiles ?? {});
  const ordered = Object.values(config.auth?.order ?? {}).flatMap((list) => (Array.isArray(list) ? list.filter((id): id is string => typeof id === "string").map((id) => id.trim()) : []));
  return [...new Set([...profiles, ...ordered])].filter((id) => id !== "" && id !== CLAUDE_CLI_PROFILE_ID);
}

/**
 * The other agents: `agents.list[]` ids, `main`, then (on disk) the agent dirs; this agent left out.
 * Ids are compared as OpenClaw normalises them (`"My Agent"` is `my-agent`); a directory whose
 * name is not a normalised id is not an agent's.
 */
async function agentIds(input: OtherAgentProfilesInput, disk: boolean): Promise<readonly string[]> {
  const listed = (input.config.agents?.list ?? []).flatMap((entry) => (typeof entry.id === "string" ? [normalizeAgentId(entry.id)] : []));
  const onDisk = disk ? (await subdirectories(join(input.stateDir, "agents"))).filter((name) => normalizeAgentId(name) === name) : [];
  const self = normalizeAgentId(input.agentId);
  return [...new Set([...listed, DEFAULT_AGENT_ID, ...onDisk.sort(compare)])].filter((id) => id !== self);
}

function storePathOf(input: OtherAgentProfilesInput, agentId: string): string | null {
  try {
    return agentStoreLocation({ agentId, stateDir: input.stateDir, env: input.env, homeDir: input.homeDir, config: input.config }).storePath;
  } catch {
    return null;
  }
}

/** The profile ids a store holds (readable or kept entries); empty when it cannot be read. */
async function storedIds(storePath: string, allowUnsafePermissions: boolean | undefined): Promise<ReadonlySet<string>> {
  let store: ReturnType<typeof openAgentStore> | null = null;
  try {
    store = openAgentStore({ storePath, ...(allowUnsafePermissions === undefined ? {} : { allowUnsafePermissions }) });
    const data = await store.read();
    const kept = keptEntriesOf(data).flatMap((entry) => (entry.section === "profiles" && entry.key !== null ? [entry.key] : []));
    return new Set([...Object.keys(data.profiles), ...kept]);
  } catch {
    return new Set();
  } finally {
    await store?.close?.().catch(() => undefined);
  }
}

async function subdirectories(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
