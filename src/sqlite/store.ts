import { open as openFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensurePrivateDir, PRIVATE_FILE_MODE } from "../io/atomic-write.js";
import { assertSafeFile } from "../io/file-safety.js";
import { requireObject, requireString } from "../model/arguments.js";
import { systemClock, type Clock } from "../model/clock.js";
import { AuthProfilesError } from "../model/errors.js";
import type { ProfileStore, StoreData, StoreMutator, StoreUpdateResult, WatchOptions } from "../model/store.js";
import { validateStore } from "../store/validate.js";
import { mergeDocuments, sameJson, splitDocument } from "./documents.js";
import { openSqlite, type SqliteDatabase, type SqliteDriverName } from "./driver.js";
import { AGENT_LAYOUT, SHARED_LAYOUT, type SqliteLayout } from "./layout.js";
import { openClawRefreshLock } from "./refresh-lock.js";

/**
 * The file name of an agent's SQLite store (OpenClaw 2026.6+), beside where `auth-profiles.json` was.
 *
 * @category Store
 */
export const AGENT_SQLITE_FILE = "openclaw-agent.sqlite";

/**
 * Options of {@link createSqliteProfileStore}.
 *
 * @category Store
 */
export interface SqliteProfileStoreOptions {
  /** The database: `<state>/agents/<id>/agent/openclaw-agent.sqlite`, or `<state>/state/openclaw.sqlite` for the shared store. */
  readonly path: string;
  /**
   * `agent` (tables `auth_profile_store` / `auth_profile_state`) or `shared` (`config_machine_state`,
   * used when OpenClaw's `auth.sharedStore` is on).
   *
   * @defaultValue `shared` for a file named `openclaw.sqlite`, else `agent`
   */
  readonly layout?: "agent" | "shared" | undefined;
  /** @defaultValue `auto`: `better-sqlite3` when installed, else the built-in `node:sqlite` (Node 22.5+) */
  readonly driver?: SqliteDriverName | undefined;
  /**
   * How long an update waits for another process's write transaction before `STORE_LOCKED`; it
   * waits between short tries, never blocking the event loop for long.
   *
   * @defaultValue `60_000`
   */
  readonly busyWaitMs?: number | undefined;
  /** How often other processes' commits are looked for (`PRAGMA data_version`). @defaultValue `500` */
  readonly watchIntervalMs?: number | undefined;
  /**
   * The directory of OpenClaw's cross-agent OAuth refresh locks.
   *
   * @defaultValue `<state>/locks/oauth-refresh`, with `<state>` derived from `path`
   */
  readonly refreshLockDir?: string | undefined;
  /** Skip the group/other permission check on the database file. @defaultValue `false` */
  readonly allowUnsafePermissions?: boolean | undefined;
  /** Clock for `updated_at` stamps and lock times. @defaultValue `Date.now` */
  readonly now?: Clock | undefined;
}

/**
 * A {@link ProfileStore} over OpenClaw's SQLite database.
 *
 * @category Store
 */
export interface SqliteProfileStore extends ProfileStore {
  /** The database file. */
  readonly path: string;
  /** Closes the connection and stops watching; idempotent. */
  close(): Promise<void>;
}

const BUSY_RETRY_MS = 25;

/**
 * Opens OpenClaw's SQLite auth store (2026.6+) as a {@link ProfileStore}, so a bot and a running
 * OpenClaw share one live store.
 *
 * @remarks
 * - Reads merge the credentials row and the state row as OpenClaw does (the state wins for
 *   `order`, `lastGood` and `usageStats`); an entry this version cannot use is set aside and
 *   written back unchanged.
 * - Each `update` is one `BEGIN IMMEDIATE` transaction: re-read, apply, write the rows that
 *   changed, commit. While another process writes, it waits in short tries up to `busyWaitMs`
 *   without blocking the event loop, then fails with `STORE_LOCKED`.
 * - OAuth refreshes take OpenClaw's cross-agent refresh lock (see {@link SqliteProfileStoreOptions.refreshLockDir}),
 *   so the token request never runs inside a transaction and two programs never spend one refresh token.
 * - Needs a SQLite driver: `better-sqlite3` 12 (an optional peer; 13 needs Node 22) or Node's
 *   built-in `node:sqlite`.
 *
 * @param options - the database path and settings
 * @returns the store; call `close()` when done
 * @throws AuthProfilesError `INVALID_ARGUMENT` for bad options. Operations throw `STORE_UNAVAILABLE`
 *   (no driver), `STORE_INVALID`, `STORE_LOCKED`, `STORE_IO`, `FILE_UNSAFE`.
 *
 * @example
 * ```ts
 * import { createSqliteProfileStore } from "auth-profiles/sqlite";
 * import { createAuthResolver } from "auth-profiles";
 *
 * const store = createSqliteProfileStore({ path: "/home/me/.openclaw/agents/main/agent/openclaw-agent.sqlite" });
 * const resolver = createAuthResolver({ agentId: "main", store });
 * ```
 *
 * @category Store
 */
export function createSqliteProfileStore(options: SqliteProfileStoreOptions): SqliteProfileStore {
  requireObject("createSqliteProfileStore", "options", options);
  requireString("createSqliteProfileStore", "options.path", options.path);
  const { path } = options;
  const layout: SqliteLayout = (options.layout ?? (basename(path) === "openclaw.sqlite" ? "shared" : "agent")) === "shared" ? SHARED_LAYOUT : AGENT_LAYOUT;
  const now = options.now ?? systemClock;
  const busyWaitMs = options.busyWaitMs ?? 60_000;
  const watchIntervalMs = options.watchIntervalMs ?? 500;
  const refreshLock = openClawRefreshLock(options.refreshLockDir ?? defaultRefreshLockDir(path, layout.kind));

  let db: Promise<SqliteDatabase> | null = null;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  const watchers = new Set<{ readonly onChange: () => void; readonly ignoreOwn: boolean }>();
  let poller: NodeJS.Timeout | null = null;
  let seenVersion: number | null = null;

  const connection = (): Promise<SqliteDatabase> => {
    if (closed) return Promise.reject(new AuthProfilesError("STORE_UNAVAILABLE", `The SQLite profile store ${path} was closed.`, { hint: "Open a new store.", details: { file: path } }));
    db ??= connect(path, options, layout).catch((error: unknown) => {
      db = null;
      throw error;
    });
    return db;
  };
  // One operation at a time on the connection: an update's transaction stays open across its mutator.
  const serial = <T>(work: (conn: SqliteDatabase) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => work(await connection()));
    queue = run.catch(() => undefined);
    return run;
  };
  const readDoc = (conn: SqliteDatabase): StoreData => mergeDocuments(layout.read(conn, "store"), layout.read(conn, "state"), path);

  const store: SqliteProfileStore = {
    path,
    read: () => serial(async (conn) => withBusyRetry(path, busyWaitMs, () => readDoc(conn))),
    update: <T>(mutator: StoreMutator<T>): Promise<StoreUpdateResult<T>> =>
      serial(async (conn) => {
        await withBusyRetry(path, busyWaitMs, () => conn.exec("BEGIN IMMEDIATE"));
        let committed = false;
        try {
          const current = readDoc(conn);
          const outcome = await mutator(current);
          if (outcome.data === undefined) {
            conn.exec("COMMIT");
            committed = true;
            return { result: outcome.result, data: current };
          }
          const data = validateStore(outcome.data, path, "write");
          const next = splitDocument(data, layout.read(conn, "state"));
          let wrote = false;
          if (!sameJson(layout.read(conn, "store"), next.store)) {
            layout.write(conn, "store", next.store, now());
            wrote = true;
          }
          if (!sameJson(layout.read(conn, "state"), next.state)) {
            layout.write(conn, "state", next.state, now());
            wrote = true;
          }
          conn.exec("COMMIT");
          committed = true;
          if (wrote) notify(true);
          return { result: outcome.result, data };
        } finally {
          if (!committed) {
            try {
              conn.exec("ROLLBACK");
            } catch {
              // No transaction left to roll back (SQLite rolled it back itself).
            }
          }
        }
      }),
    watch(onChange: () => void, watchOptions?: WatchOptions) {
      const watcher = { onChange, ignoreOwn: watchOptions?.ignoreOwnWrites === true };
      watchers.add(watcher);
      startPolling();
      return () => {
        watchers.delete(watcher);
        if (watchers.size === 0) stopPolling();
      };
    },
    withRefreshLock: (profileId, work) => refreshLock(profileId, work),
    async close() {
      if (closed) return;
      closed = true;
      stopPolling();
      watchers.clear();
      await queue;
      const conn = db === null ? null : await db.catch(() => null);
      conn?.close();
    },
  };

  function notify(own: boolean): void {
    for (const watcher of [...watchers]) if (!(own && watcher.ignoreOwn)) watcher.onChange();
  }

  // data_version changes only when another connection commits: exactly "someone else wrote".
  const dataVersion = (conn: SqliteDatabase): number => Number(conn.get("PRAGMA data_version")?.["data_version"]);

  function startPolling(): void {
    if (poller !== null) return;
    // The baseline is taken as soon as the connection is open, so a commit made right after
    // watch() returned is noticed.
    void connection()
      .then((conn) => {
        seenVersion ??= dataVersion(conn);
      })
      .catch(() => undefined);
    poller = setInterval(() => {
      void connection()
        .then((conn) => {
          const version = dataVersion(conn);
          if (seenVersion !== null && version !== seenVersion) notify(false);
          seenVersion = version;
        })
        .catch(() => undefined);
    }, watchIntervalMs);
    poller.unref();
  }

  function stopPolling(): void {
    if (poller !== null) clearInterval(poller);
    poller = null;
    seenVersion = null;
  }

  return store;
}

async function connect(path: string, options: SqliteProfileStoreOptions, layout: SqliteLayout): Promise<SqliteDatabase> {
  await ensurePrivateDir(dirname(path));
  // A new database is created empty and private (SQLite would create it 0644 under the usual umask).
  try {
    const handle = await openFile(path, "wx", PRIVATE_FILE_MODE);
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new AuthProfilesError("STORE_IO", `Cannot create the SQLite profile store ${path}.`, { hint: "Check that this user may write its directory.", cause: error, details: { file: path } });
    }
  }
  await assertSafeFile(path, { allowUnsafePermissions: options.allowUnsafePermissions === true });
  const conn = await openSqlite(path, options.driver ?? "auto");
  try {
    // Short synchronous waits only; longer waits happen between tries, off the event loop.
    conn.exec(`PRAGMA busy_timeout = ${BUSY_RETRY_MS}`);
    withBusyRetrySync(() => layout.ensure(conn));
    return conn;
  } catch (error) {
    conn.close();
    throw error;
  }
}

function isBusy(error: unknown): boolean {
  const e = error as { code?: unknown; errcode?: unknown; message?: unknown } | null;
  return e?.code === "SQLITE_BUSY" || e?.code === "SQLITE_LOCKED" || e?.errcode === 5 || e?.errcode === 6 || (typeof e?.message === "string" && /database (?:table )?is locked/.test(e.message));
}

async function withBusyRetry<T>(path: string, waitMs: number, work: () => T): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) {
        throw new AuthProfilesError("STORE_LOCKED", `The SQLite profile store ${path} stayed locked by another process for ${waitMs} ms.`, {
          hint: "Another program (OpenClaw?) is writing the database; retry, or raise busyWaitMs.",
          cause: error,
          details: { file: path },
        });
      }
      await sleep(Math.min(250, BUSY_RETRY_MS * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
    }
  }
}

function withBusyRetrySync(work: () => void): void {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      work();
      return;
    } catch (error) {
      if (!isBusy(error) || attempt === 199) throw error;
    }
  }
}

function defaultRefreshLockDir(path: string, kind: "agent" | "shared"): string {
  // agent: <state>/agents/<id>/agent/openclaw-agent.sqlite; shared: <state>/state/openclaw.sqlite
  const up = kind === "agent" ? 4 : 2;
  let dir = path;
  for (let i = 0; i < up; i += 1) dir = dirname(dir);
  return `${dir}/locks/oauth-refresh`;
}
