import type { SqliteDatabase } from "./driver.js";

/**
 * Where OpenClaw keeps the two JSON documents of an agent's auth state in SQLite (2026.6+): the
 * credentials (`{ version, profiles }`, the shape of `auth-profiles.json` since 2026.4.7) and the
 * runtime state (`{ version, order, lastGood, usageStats }`, the shape of `auth-state.json`).
 *
 * - Per agent, `agents/<id>/agent/openclaw-agent.sqlite`: tables `auth_profile_store(store_key,
 *   store_json, updated_at)` and `auth_profile_state(state_key, state_json, updated_at)`, row
 *   `'primary'`.
 * - Shared (`auth.sharedStore`), `state/openclaw.sqlite`: table `config_machine_state`, rows
 *   `authProfiles.store` and `authProfiles.state` in its `value_json` column.
 *
 * @internal
 */
export interface SqliteLayout {
  /** Which layout, for messages. */
  readonly kind: "agent" | "shared";
  /** Creates the tables when the database is new (never alters an existing one). */
  ensure(db: SqliteDatabase): void;
  /** The raw JSON text of one document, or `undefined` when its row is absent. */
  read(db: SqliteDatabase, doc: "store" | "state"): string | undefined;
  /** Writes one document's JSON text (insert or update), stamping `updated_at` in its own format. */
  write(db: SqliteDatabase, doc: "store" | "state", json: string, now: number): void;
}

interface Slot {
  readonly table: string;
  readonly keyColumn: string;
  readonly key: string;
  readonly jsonColumn: string;
}

/** The per-agent database. @internal */
export const AGENT_LAYOUT: SqliteLayout = tableLayout("agent", {
  store: { table: "auth_profile_store", keyColumn: "store_key", key: "primary", jsonColumn: "store_json" },
  state: { table: "auth_profile_state", keyColumn: "state_key", key: "primary", jsonColumn: "state_json" },
});

/** The machine-wide shared database. @internal */
export const SHARED_LAYOUT: SqliteLayout = tableLayout("shared", {
  store: { table: "config_machine_state", keyColumn: "key", key: "authProfiles.store", jsonColumn: "value_json" },
  state: { table: "config_machine_state", keyColumn: "key", key: "authProfiles.state", jsonColumn: "value_json" },
});

function tableLayout(kind: SqliteLayout["kind"], slots: Readonly<Record<"store" | "state", Slot>>): SqliteLayout {
  // The key column of an existing shared table is read from its schema (its primary key), since
  // only the value column's name is documented; identifiers are never taken from the data.
  const keyColumns = new Map<string, string>();
  const keyColumnOf = (db: SqliteDatabase, slot: Slot): string => {
    const known = keyColumns.get(slot.table);
    if (known !== undefined) return known;
    const columns = db.all(`PRAGMA table_info(${quote(slot.table)})`);
    const primary = columns.find((column) => Number(column["pk"]) === 1 && column["name"] !== slot.jsonColumn)?.["name"];
    const found = typeof primary === "string" ? primary : slot.keyColumn;
    keyColumns.set(slot.table, found);
    return found;
  };
  const hasUpdatedAt = new Map<string, boolean>();
  const updatedAtOf = (db: SqliteDatabase, table: string): boolean => {
    let has = hasUpdatedAt.get(table);
    if (has === undefined) {
      has = db.all(`PRAGMA table_info(${quote(table)})`).some((column) => column["name"] === "updated_at");
      hasUpdatedAt.set(table, has);
    }
    return has;
  };
  return {
    kind,
    ensure(db) {
      for (const slot of new Set(Object.values(slots))) {
        db.exec(`CREATE TABLE IF NOT EXISTS ${quote(slot.table)} (${quote(slot.keyColumn)} TEXT PRIMARY KEY NOT NULL, ${quote(slot.jsonColumn)} TEXT NOT NULL, updated_at INTEGER NOT NULL)`);
      }
    },
    read(db, doc) {
      const slot = slots[doc];
      const row = db.get(`SELECT ${quote(slot.jsonColumn)} AS json FROM ${quote(slot.table)} WHERE ${quote(keyColumnOf(db, slot))} = ?`, slot.key);
      const json = row?.["json"];
      return typeof json === "string" ? json : undefined;
    },
    write(db, doc, json, now) {
      const slot = slots[doc];
      const key = quote(keyColumnOf(db, slot));
      const table = quote(slot.table);
      const column = quote(slot.jsonColumn);
      if (!updatedAtOf(db, slot.table)) {
        if (db.run(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`, json, slot.key) === 0) db.run(`INSERT INTO ${table} (${key}, ${column}) VALUES (?, ?)`, slot.key, json);
        return;
      }
      // Keep the stamp in the format the row already uses (epoch ms, or an ISO string).
      const previous = db.get(`SELECT updated_at AS at FROM ${table} WHERE ${key} = ?`, slot.key)?.["at"];
      const stamp = typeof previous === "string" ? new Date(now).toISOString() : now;
      if (db.run(`UPDATE ${table} SET ${column} = ?, updated_at = ? WHERE ${key} = ?`, json, stamp, slot.key) === 0) {
        db.run(`INSERT INTO ${table} (${key}, ${column}, updated_at) VALUES (?, ?, ?)`, slot.key, json, stamp);
      }
    },
  };
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
