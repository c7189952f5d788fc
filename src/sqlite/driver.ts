import { AuthProfilesError } from "../model/errors.js";

/** One row as the driver returns it. @internal */
export type SqliteRow = Readonly<Record<string, unknown>>;

/**
 * The few calls the SQLite store makes, over `better-sqlite3` (Node 20+) or `node:sqlite`
 * (`DatabaseSync`, Node 22.5+). Both are synchronous: each call finishes before the next line.
 *
 * @internal
 */
export interface SqliteDatabase {
  /** Runs statements without results (`BEGIN IMMEDIATE`, `CREATE TABLE`, `PRAGMA …`). */
  exec(sql: string): void;
  /** The first row of a query, or `undefined`. */
  get(sql: string, ...params: readonly (string | number | null)[]): SqliteRow | undefined;
  /** Every row of a query. */
  all(sql: string, ...params: readonly (string | number | null)[]): readonly SqliteRow[];
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, ...params: readonly (string | number | null)[]): number;
  /** Closes the connection. */
  close(): void;
}

/**
 * Which SQLite driver to use; `auto` takes `better-sqlite3` when installed, else `node:sqlite`.
 *
 * @category Store
 */
export type SqliteDriverName = "auto" | "better-sqlite3" | "node:sqlite";

interface Statement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint };
}
interface RawDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): Statement;
  close(): unknown;
}

/**
 * Opens a database file with the chosen driver, creating it when missing.
 *
 * @param path - the database file
 * @param driver - which driver
 * @returns the connection
 * @throws AuthProfilesError `STORE_UNAVAILABLE` when no driver can be loaded (the hint names the
 *   package to install), `STORE_IO` when the file cannot be opened
 * @internal
 */
export async function openSqlite(path: string, driver: SqliteDriverName): Promise<SqliteDatabase> {
  const open = await loadDriver(driver);
  let raw: RawDatabase;
  try {
    raw = open(path);
  } catch (cause) {
    throw new AuthProfilesError("STORE_IO", `Cannot open the SQLite profile store ${path}.`, {
      hint: "Check that the file is a SQLite database and that this user may read and write it and its directory.",
      cause,
      details: { file: path },
    });
  }
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = raw.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    exec: (sql) => void raw.exec(sql),
    get: (sql, ...params) => prepared(sql).get(...params) as SqliteRow | undefined,
    all: (sql, ...params) => prepared(sql).all(...params) as SqliteRow[],
    run: (sql, ...params) => Number(prepared(sql).run(...params).changes),
    close: () => void raw.close(),
  };
}

type Opener = (path: string) => RawDatabase;

async function loadDriver(driver: SqliteDriverName): Promise<Opener> {
  if (driver !== "node:sqlite") {
    try {
      const module = (await import("better-sqlite3")) as unknown as { default: new (path: string) => RawDatabase };
      const Database = module.default;
      return (path) => new Database(path);
    } catch (cause) {
      if (driver === "better-sqlite3") throw unavailable(cause);
    }
  }
  const builtin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:sqlite") as
    | { DatabaseSync: new (path: string) => RawDatabase }
    | undefined;
  if (builtin === undefined) throw unavailable(undefined);
  return (path) => new builtin.DatabaseSync(path);
}

function unavailable(cause: unknown): AuthProfilesError {
  return new AuthProfilesError("STORE_UNAVAILABLE", "No SQLite driver is available to read OpenClaw's SQLite profile store.", {
    hint: "Install better-sqlite3 version 12 in the bot (npm install better-sqlite3@12; version 13 needs Node 22), or run on Node 22.5+ where node:sqlite is built in.",
    cause,
    details: { reason: "no_sqlite_driver" },
  });
}
