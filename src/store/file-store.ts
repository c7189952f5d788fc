import { dirname, join, resolve } from "node:path";
import { AuthProfilesError } from "../model/errors.js";
import { attachRedactedView, redactText } from "../model/redact.js";
import { FILE_WATCH_INTERVAL_MS, MISSING_FILE_WATCH_INTERVAL_MS, watchFileChanges } from "../io/file-watch.js";
import { commitStoreText, type CommitOutcome, type CommitResult } from "./commit.js";
import { isSameFile, type FileIdentity } from "../io/file-identity.js";
import { assertSafeDirectory } from "../io/file-safety.js";
import { lstat } from "node:fs/promises";
import { serializeStore } from "./format.js";
import { DEFAULT_LOCK_WAIT_MS, STORE_LOCK_STALE_MS, withFileLock, type HeldFileLock, type LockKind } from "../io/lock.js";
import { AUTH_STATE_FILENAME, chooseLockKind, usesAuthStateFile } from "./lock-kind.js";
import { readStoreFiles, type StoreSnapshot } from "./read-store-file.js";
import { commitSplitWrite, planSplitWrite } from "./commit-split.js";
import { removeStaleTempFiles } from "../io/stale-temp-files.js";
import type { ProfileStore, StoreData, StoreMutator, StoreUpdateResult, WatchOptions } from "../model/store.js";
import { OwnWrites } from "./own-writes.js";
import { REFRESH_JOURNAL_SUFFIX } from "./refresh-journal.js";
import { validateStore } from "./validate.js";
import { requireObject, requireString } from "../model/arguments.js";

/** How long a store that does not parse is retried by default (OpenClaw may be mid-write). @internal */
export const DEFAULT_PARSE_RETRY_MS = 100;

/**
 * How many times one `update` re-reads and re-applies its mutator after another process committed
 * first (see `commitStoreText`) before it gives up with `STORE_LOCKED`, having written nothing.
 * @internal
 */
export const MAX_COMMIT_ATTEMPTS = 5;

/**
 * Options of {@link createFileProfileStore}.
 *
 * @category Store
 */
export interface FileProfileStoreOptions {
  /** The `auth-profiles.json` file; relative paths are resolved against the working directory. */
  readonly path: string;
  /**
   * Accept a store file owned by another user or that other users can access, or a directory that
   * another user owns or that its group or others can write to. A symbolic link at the file itself
   * is refused regardless. Default `false`.
   */
  readonly allowUnsafePermissions?: boolean | undefined;
  /**
   * A lock not refreshed for this long is taken over (its holder is presumed dead). Minimum 2000.
   * In ms; 30 s, like OpenClaw.
   *
   * @remarks
   * A holder refreshes its lock every half of its own stale time, so every program sharing the
   * store must use the same value or a larger one. OpenClaw uses 30 s (refresh every 15 s): a
   * shorter value here could take over a lock that a live OpenClaw still holds.
   *
   * @defaultValue `30000`
   */
  readonly lockStaleMs?: number | undefined;
  /**
   * How long `update` waits for a busy lock before failing with `STORE_LOCKED`. Keep it above
   * `lockStaleMs`, or a lock left by a crashed process is never taken over within one call.
   * In ms.
   *
   * @defaultValue `60000`
   */
  readonly lockWaitMs?: number | undefined;
  /**
   * The kind of `<path>.lock` to create: `directory` (proper-lockfile's, OpenClaw ≤ 2026.2.12,
   * Clawdbot, Moltbot, openclaw-cn) or `file` (`{pid, createdAt}`, OpenClaw ≥ 2026.2.13). A lock of
   * either kind held by another process is always waited for. Default: detected per update (see
   * {@link FileProfileStoreOptions.openclawVersion}): `auth-state.json` beside the store means
   * `file`; else OpenClaw's version; else the kind another process was last seen holding; else `file`.
   */
  readonly lockKind?: LockKind | undefined;
  /**
   * The OpenClaw version sharing this store (its config's `meta.lastTouchedVersion`), used to pick
   * the lock kind and whether state goes to `auth-state.json` (from 2026.4.7 it does, even before
   * that file exists). The resolver and the writers pass it from the config they read.
   */
  readonly openclawVersion?: string | undefined;
  /** How long an empty or half-written file is read again before `STORE_INVALID`, in ms; 0 disables. @defaultValue `100` */
  readonly parseRetryMs?: number | undefined;
  /**
   * Poll interval of `watch` where change notifications are off or unavailable, in ms. Default 250.
   * With notifications (the default) the files are also polled every 10 s as a safety net.
   */
  readonly watchIntervalMs?: number | undefined;
  /**
   * `watch` listens for the file system's change notifications (inotify on Linux) on the store's
   * directory, so an idle process polls nothing several times a second. Set `false` for a store on
   * a network file system that does not report changes made from another host: the files are then
   * polled every `watchIntervalMs`. Default `true`.
   */
  readonly watchNotifications?: boolean | undefined;
  /** Receives a warning when a `watch` callback throws. Default: silent. */
  readonly logger?: Pick<Console, "warn"> | undefined;
}

/**
 * A {@link ProfileStore} kept in an OpenClaw-compatible `auth-profiles.json` file.
 *
 * @category Store
 */
export interface FileProfileStore extends ProfileStore {
  /** The absolute path of the store file. */
  readonly path: string;
  /**
   * The absolute path of `auth-state.json` beside it, where OpenClaw ≥ 2026.4.7 keeps `order`,
   * `lastGood` and `usageStats` (read and written when it exists; see {@link createFileProfileStore}).
   */
  readonly statePath: string;
  /** Stops every watcher started by `watch`; idempotent. Reads and updates keep working. */
  close(): Promise<void>;
}

/**
 * Creates a profile store backed by an `auth-profiles.json` file, safe to share with OpenClaw and
 * with other processes.
 *
 * @remarks
 * - `read()` returns an empty store when the file is missing. It refuses unsafe files
 *   (`FILE_UNSAFE`) and retries a file that is empty or half written for `parseRetryMs`.
 * - `update(mutator)` takes OpenClaw's lock (`<path>.lock`), re-reads the file, runs `mutator`,
 *   and, when the mutator returned `data`, validates it and writes it atomically (temp file,
 *   fsync, rename; mode 0600 in a 0700 directory). A file that does not parse is never
 *   overwritten. Updates from one store object run one after another without polling the lock.
 * - Right before the rename, the update checks that it still holds the lock and that the file is
 *   still the one it read. If not (it was stopped past `lockStaleMs` and robbed, or a writer that
 *   ignores the lock got in), it writes nothing, takes the lock again, re-reads and runs `mutator`
 *   again on the newer document, up to 5 times (`MAX_COMMIT_ATTEMPTS`). So a mutator may run
 *   more than once (as on any optimistic store), and the newer commit is never overwritten.
 * - Both checks run on opened files: the store must be a regular file owned by this user with no
 *   group/other permission bits, in a directory no other user can write to (`FILE_UNSAFE`
 *   otherwise, unless `allowUnsafePermissions`); at most 32 MiB, strict UTF-8, bounded nesting.
 * - OpenClaw ≥ 2026.4.7 keeps `order`, `lastGood` and `usageStats` in `auth-state.json` beside the
 *   store. When that file exists (or `openclawVersion` is 2026.4.7 or later), reads merge the two
 *   files as OpenClaw does (the state file wins per provider and per profile; state left in
 *   `auth-profiles.json` by an older writer counts only where the state file has none), and each
 *   update writes the credentials (and any other field) to `auth-profiles.json` and the state to
 *   `auth-state.json`, both under the one lock on `<path>.lock`, each atomically with the checks
 *   above. Only a file whose text changes is written (a recorded 429 rewrites `auth-state.json`
 *   alone). When both change, `auth-profiles.json` is renamed first: a crash in between leaves the
 *   new credentials with the old state, never an old credential with the new state; a reader reads
 *   the state file first, so it never sees that mix either. A state file that cannot be read or
 *   parsed fails the update with an error naming it, and neither file is written.
 * - `watch(onChange)` listens for the file system's change notifications on the store's directory
 *   (polling the files' stat every 10 s as a safety net, or every `watchIntervalMs` where
 *   notifications are off or unavailable) and never keeps the process alive.
 *   With `{ ignoreOwnWrites: true }`, writes made through this same store object do not call
 *   `onChange` (the resolver passes it: it already holds the document it wrote).
 * - The store object holds no secret: its `JSON.stringify` and `util.inspect` views show the path.
 *
 * @param options - the file path and lock, retry and safety settings
 * @returns the store
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an empty path or a negative duration. Its methods
 * throw `STORE_INVALID`, `STORE_LOCKED` (lock busy, or 5 commits
 * pre-empted), `FILE_UNSAFE` and `STORE_IO`.
 *
 * @example
 * ```ts
 * const store = createFileProfileStore({ path: "/home/me/.openclaw/agents/main/agent/auth-profiles.json" });
 * await store.update((current) => ({
 *   data: { ...current, lastGood: { ...current.lastGood, anthropic: "anthropic:default" } },
 *   result: undefined,
 * }));
 * ```
 *
 * @category Store
 */
export function createFileProfileStore(options: FileProfileStoreOptions): FileProfileStore {
  requireObject("createFileProfileStore", "options", options);
  requireString("createFileProfileStore", "options.path", options.path);
  const path = checkPath(options.path);
  const safety = { allowUnsafePermissions: options.allowUnsafePermissions === true };
  const lockStaleMs = checkDuration("lockStaleMs", options.lockStaleMs, STORE_LOCK_STALE_MS);
  const lockWaitMs = checkDuration("lockWaitMs", options.lockWaitMs, DEFAULT_LOCK_WAIT_MS);
  const parseRetryMs = checkDuration("parseRetryMs", options.parseRetryMs, DEFAULT_PARSE_RETRY_MS);
  const watchIntervalMs = checkDuration("watchIntervalMs", options.watchIntervalMs, FILE_WATCH_INTERVAL_MS);
  const watchNotifications = options.watchNotifications !== false;
  const logger = options.logger;
  const statePath = join(dirname(path), AUTH_STATE_FILENAME);
  const watchers = new Set<() => void>();
  const ownWrites = new OwnWrites(path);
  const ownStateWrites = new OwnWrites(statePath);
  let lastSeenLockKind: LockKind | undefined;
  // Same-object updates queue here instead of polling the file lock against each other.
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<StoreData> {
    const snapshot = await readStoreFiles(path, statePath, parseRetryMs, safety, lastKnown);
    remember(snapshot);
    return snapshot.data;
  }

  /**
   * The store (without `auth-state.json`) as this object last read or wrote it, anywhere: a read
   * whose bytes are exactly its text reuses its document instead of parsing them again (so every
   * reader keeps sharing the same objects). It decides nothing without reading the file.
   */
  let lastKnown: StoreSnapshot | null = null;

  function remember(snapshot: StoreSnapshot): void {
    lastKnown = snapshot.text !== null && (snapshot.state === undefined || snapshot.state.raw === null) ? snapshot : null;
  }

  type Attempt<T> = { readonly kind: "done"; readonly value: StoreUpdateResult<T> } | { readonly kind: Exclude<CommitOutcome, "committed"> };

  // Temp files a crashed writer left are looked for at most once per stale time (a temp file must
  // be that old to be removed anyway), not on every update: a directory read saved per update.
  let lastTempSweepMs = Number.NEGATIVE_INFINITY;
  /**
   * The store (without `auth-state.json`) as this object last read or wrote it under the lock, with
   * the file's identity (device, inode, size, nanosecond mtime and ctime) then: see `readLocked`.
   */
  let lastSeen: StoreSnapshot | null = null;
  /** Identities read under the lock that were judged able to tell their file from any later version (see `isDistinctive`). */
  const settled = new WeakSet<FileIdentity>();

  async function updateLocked<T>(mutator: StoreMutator<T>, lock: HeldFileLock): Promise<Attempt<T>> {
    if (Date.now() - lastTempSweepMs >= lockStaleMs) {
      lastTempSweepMs = Date.now();
      await removeStaleTempFiles(path, lockStaleMs);
      await removeStaleTempFiles(statePath, lockStaleMs, `${path}.lock`);
    }
    const current = await readLocked();
    const mutation = await mutator(current.data);
    if (mutation.data === undefined) return { kind: "done", value: { result: mutation.result, data: current.data } };
    const next = validateStore(mutation.data, path, "write");
    if ((current.state !== undefined && current.state.raw !== null) || usesAuthStateFile(options.openclawVersion)) return commitSplit(next, current, mutation.result, lock);
    const text = serializeStore(next);
    // An unchanged document is not rewritten, so watchers in other processes are not woken.
    if (text === current.text) return { kind: "done", value: { result: mutation.result, data: next } };
    lastSeen = null;
    ownWrites.begin();
    let result: CommitResult;
    try {
      result = await commitStoreText(path, text, current.identity, lock);
    } catch (error) {
      ownWrites.failed();
      throw error;
    }
    if (result.outcome !== "committed") {
      ownWrites.failed();
      return { kind: result.outcome };
    }
    const identity = await ownWrites.written(result.written);
    // What this update wrote is what the next one reads, as long as the file is still this one.
    const written: StoreSnapshot = { data: next, text, identity, raw: null, state: { path: statePath, text: null, identity: null, raw: null } };
    remember(written);
    if (identity !== null && isDistinctive(identity)) lastSeen = written;
    return { kind: "done", value: { result: mutation.result, data: next } };
  }

  /**
   * The store as the update under the lock starts from. When the file is still exactly the one this
   * object last read or wrote under the lock (the same identity, so no other process renamed,
   * rewrote, chmod-ed or chown-ed it since: each of those changes the inode or the ctime) and
   * `auth-state.json` is still missing, that document is used as it is: no read, no parse, no
   * validation. Anything else reads (and checks) both files.
   */
  async function readLocked(): Promise<StoreSnapshot> {
    const own = lastSeen;
    let directoryChecked = false;
    const ownState = own?.state?.identity ?? null;
    if (own !== null && (ownState !== null || !usesAuthStateFile(options.openclawVersion))) {
      // The directory is checked as on every read (another user could have been let in); made at
      // once with the look-up of the file(s) (one round trip to the thread pool).
      const [, same, sameState] = await Promise.all([assertSafeDirectory(path, safety), isSameFile(path, own.identity), ownState === null ? true : isSameFile(statePath, ownState)]);
      directoryChecked = true;
      if (same && sameState && (ownState !== null || (await isMissing(statePath)))) return own;
    }
    lastSeen = null;
    const startedMs = Date.now();
    const read = await readStoreFiles(path, statePath, parseRetryMs, { ...safety, directoryChecked }, lastKnown);
    remember(read);
    const stateIdentity = read.state?.identity ?? null;
    const split = stateIdentity !== null || usesAuthStateFile(options.openclawVersion);
    const known = (identity: FileIdentity | null): identity is FileIdentity => {
      if (identity === null || !isDistinctive(identity, startedMs)) return false;
      settled.add(identity);
      return true;
    };
    if (known(read.identity) && (split ? known(stateIdentity) : true)) lastSeen = read;
    return read;
  }

  async function commitSplit<T>(next: StoreData, current: StoreSnapshot, result: T, lock: HeldFileLock): Promise<Attempt<T>> {
    // An unchanged document is not rewritten (nor migrated), so watchers elsewhere are not woken.
    if (serializeStore(next) === serializeStore(current.data)) return { kind: "done", value: { result, data: next } };
    const write = planSplitWrite(next, current, path);
    lastSeen = null;
    const committed = await commitSplitWrite(write, current, path, lock, { credentials: ownWrites, state: ownStateWrites });
    if (committed.outcome !== "committed") return { kind: committed.outcome };
    // Both files as this update left them: the next update starts from them while both are still those.
    const { credentials, state } = committed;
    const known = (identity: FileIdentity | null): identity is FileIdentity => identity !== null && (settled.has(identity) || isDistinctive(identity));
    if (known(credentials) && known(state)) {
      lastSeen = { data: next, text: write.credentials, identity: credentials, raw: write.credentialsDocument, state: { path: statePath, text: write.state, identity: state, raw: write.stateDocument } };
    }
    return { kind: "done", value: { result, data: next } };
  }

  async function updateUntilCommitted<T>(mutator: StoreMutator<T>): Promise<StoreUpdateResult<T>> {
    for (let attempt = 1; ; attempt += 1) {
      const kind = await chooseLockKind(path, { explicit: options.lockKind, openclawVersion: options.openclawVersion, lastSeen: lastSeenLockKind });
      const lockOptions = {
        staleMs: lockStaleMs,
        waitMs: lockWaitMs,
        kind,
        // Our processes take the lock in turn (a queue beside it); OpenClaw still just takes it.
        fair: true,
        onForeignLock: (seen: LockKind) => {
          lastSeenLockKind = seen;
        },
      };
      const outcome = await withFileLock(path, (_lost, lock) => updateLocked(mutator, lock), lockOptions);
      if (outcome.kind === "done") return outcome.value;
      if (attempt >= MAX_COMMIT_ATTEMPTS) throw preemptedError(path, outcome.kind, attempt);
    }
  }

  const store: FileProfileStore = {
    path,
    statePath,
    // Beside the store, not inside <path>.lock: OpenClaw removes that directory.
    refreshJournalPath: `${path}${REFRESH_JOURNAL_SUFFIX}`,
    read,
    update<T>(mutator: StoreMutator<T>): Promise<StoreUpdateResult<T>> {
      const run = () => updateUntilCommitted(mutator);
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    watch(onChange: () => void, watchOptions: WatchOptions = {}): () => void {
      const notify = (): void => {
        try {
          onChange();
        } catch (error) {
          // A throwing listener inside the stat poller would crash the whole process.
          const message = error instanceof Error ? error.message : String(error);
          logger?.warn(redactText(`auth-profiles: a watch callback for ${path} threw: ${message}`));
        }
      };
      const ignoreOwn = watchOptions.ignoreOwnWrites === true;
      // Both files: OpenClaw's recorded failures change auth-state.json alone.
      // Where notifications are unavailable, a missing auth-state.json (every store before
      // OpenClaw 2026.4.7) is polled at a slower rate until it appears: one poller per agent at
      // the full rate doubled the idle cost of a process with many agents.
      const stops = [
        { file: path, own: ownWrites, missing: watchIntervalMs },
        { file: statePath, own: ownStateWrites, missing: Math.max(watchIntervalMs, MISSING_FILE_WATCH_INTERVAL_MS) },
      ].map(({ file, own, missing }) =>
        watchFileChanges(
          file,
          (current) => {
            if (ignoreOwn) own.filter(current, notify);
            else notify();
          },
          // Change notifications (inotify) with a slow safety-net poll: a process with many agents
          // polls no store file several times a second.
          { intervalMs: watchIntervalMs, missingIntervalMs: missing, notify: watchNotifications },
        ),
      );
      const stop = (): void => {
        for (const each of stops) each();
      };
      watchers.add(stop);
      return () => {
        watchers.delete(stop);
        stop();
      };
    },
    async close(): Promise<void> {
      for (const stop of watchers) stop();
      watchers.clear();
    },
  };
  return attachRedactedView(store, () => ({ path, statePath }));
}

/**
 * Whether an identity can tell this version of a file from any later one by its stat alone. A
 * content write in place sets mtime and ctime to the same instant, and on a kernel whose file
 * times are coarse (one clock tick) two writes within a tick can carry the same times: an identity
 * whose mtime equals its ctime could be that of a later in-place write of the same size. A file
 * renamed into place (ours, OpenClaw's) has its ctime set by the rename, after its mtime; no later
 * in-place write can give that pair again, and a later rename gives another inode. Nor can a later
 * write give the ctime of a file already this old when it was looked at: every later change is
 * stamped at least {@link SETTLED_FILE_MS} after it.
 *
 * @param identity - the identity
 * @param seenAtMs - when the stat that gave it was about to be taken (epoch ms), if it was a read
 */
function isDistinctive(identity: FileIdentity, seenAtMs?: number): boolean {
  if (identity.mtimeNs !== identity.ctimeNs) return true;
  return seenAtMs !== undefined && BigInt(Math.floor(seenAtMs)) * 1_000_000n - identity.ctimeNs > BigInt(SETTLED_FILE_MS) * 1_000_000n;
}

/** A file whose last change is older than this when stat-ed cannot be confused with a later change (file times are at worst a clock tick coarse). */
const SETTLED_FILE_MS = 1_000;

/** `true` only when nothing is at `path` (an unreadable directory or any other error is not "missing"). */
async function isMissing(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === "ENOENT";
  }
}

function preemptedError(path: string, last: Exclude<CommitOutcome, "committed">, attempts: number): AuthProfilesError {
  const why = last === "lock-lost" ? "its lock was taken over (this process stalled past lockStaleMs)" : "another program replaced the file";
  return new AuthProfilesError("STORE_LOCKED", `Could not update profile store ${path}: ${attempts} times, ${why} before this update could commit; this update wrote nothing.`, {
    hint: `Retry. If it keeps failing, find the program that rewrites ${path} without taking ${path}.lock, or raise lockStaleMs.`,
    details: { file: path, lock: `${path}.lock`, attempts, reason: last },
  });
}

function checkPath(path: unknown): string {
  if (typeof path !== "string" || path.trim() === "") {
    throw new AuthProfilesError("INVALID_ARGUMENT", "createFileProfileStore needs a non-empty `path`.", {
      hint: "Pass the auth-profiles.json path, e.g. <stateDir>/agents/main/agent/auth-profiles.json.",
      details: { option: "path" },
    });
  }
  return resolve(path);
}

function checkDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new AuthProfilesError("INVALID_ARGUMENT", `createFileProfileStore option \`${name}\` must be a number of milliseconds ≥ 0.`, {
      hint: `Pass ${name} as a finite number, or leave it out for the default (${fallback}).`,
      details: { option: name },
    });
  }
  return value;
}
