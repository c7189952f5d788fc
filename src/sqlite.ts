/**
 * `auth-profiles/sqlite`: a `ProfileStore` over OpenClaw's SQLite auth store (OpenClaw 2026.6+),
 * per agent (`openclaw-agent.sqlite`) or shared (`state/openclaw.sqlite`). Needs a SQLite driver:
 * the optional peer dependency `better-sqlite3` 12, or Node's built-in `node:sqlite`.
 *
 * @module auth-profiles/sqlite
 */

export { AGENT_SQLITE_FILE, createSqliteProfileStore } from "./sqlite/store.js";
export type { SqliteProfileStore, SqliteProfileStoreOptions } from "./sqlite/store.js";
export type { SqliteDriverName } from "./sqlite/driver.js";
