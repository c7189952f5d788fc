import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ProfileStore } from "../model/store.js";
import { createFileProfileStore } from "../store/file-store.js";
import { AGENT_SQLITE_FILE, createSqliteProfileStore } from "./store.js";

/** Options of {@link openAgentStore}. @internal */
export interface AgentStoreOptions {
  /** The agent's `auth-profiles.json` path. */
  readonly storePath: string;
  /** Skip the group/other permission check. */
  readonly allowUnsafePermissions?: boolean | undefined;
  /** OpenClaw's version from its config, for the JSON store's lock kind (see `FileProfileStoreOptions.openclawVersion`). */
  readonly openclawVersion?: string | undefined;
}

/**
 * Opens an agent's store where OpenClaw keeps it: `auth-profiles.json` when it exists (or when
 * nothing exists yet), else the agent's `openclaw-agent.sqlite` (OpenClaw 2026.6+) when that
 * database is there. One check at open time, on the cold path.
 *
 * @param options - the JSON store path and the permission opt-out
 * @returns the file store or the SQLite store
 * @internal
 */
export function openAgentStore(options: AgentStoreOptions): ProfileStore {
  const unsafe = options.allowUnsafePermissions === undefined ? {} : { allowUnsafePermissions: options.allowUnsafePermissions };
  const sqlitePath = join(dirname(options.storePath), AGENT_SQLITE_FILE);
  if (!existsSync(options.storePath) && existsSync(sqlitePath)) return createSqliteProfileStore({ path: sqlitePath, ...unsafe });
  return createFileProfileStore({ path: options.storePath, ...unsafe, ...(options.openclawVersion === undefined ? {} : { openclawVersion: options.openclawVersion }) });
}
