import { lstat, mkdir, open, readFile, rename, rm, rmdir, unlink, utimes } from "node:fs/promises";

/**
 * The two shapes `auth-profiles.json.lock` takes:
 * - `directory`: proper-lockfile's lock (OpenClaw ≤ 2026.2.12, Clawdbot, Moltbot, openclaw-cn, and
 *   Claude Code's refresh lock). An empty directory made with `mkdir`; its holder touches its mtime
 *   every half stale time; stale once the mtime is older than the stale time; removed with `rmdir`.
 * - `file`: OpenClaw's own lock (2026.2.13 and later). A file made with `open(path, "wx")` holding
 *   `{"pid": <number>, "createdAt": "<ISO time>"}`; stale once the pid is not alive or `createdAt`
 *   (else the mtime) is older than the stale time; removed with `rm`.
 *
 * @category Store
 */
export type LockKind = "directory" | "file";

/** Which version of a lock this process made or saw: a takeover always gives a new one. @internal */
export interface LockVersion {
  readonly kind: LockKind;
  readonly ino: number;
  readonly mtimeMs: number;
  /** For a file lock: the holder's pid, when the body names one. */
  readonly pid: number | null;
  /** For a file lock: epoch ms of `createdAt`, when the body has a valid one. */
  readonly createdAtMs: number | null;
}

/** What is at the lock path right now. @internal */
export type LockState = { readonly present: false } | { readonly present: true; readonly version: LockVersion; readonly staleBecause: string | null };

/**
 * Creates the lock of `kind` at `lockPath`, failing with `EEXIST` when any lock is there.
 *
 * @param kind - the lock shape to create
 * @param lockPath - `<file>.lock`
 * @param nowMs - epoch ms written as `createdAt`
 * @returns the version created
 * @internal
 */
export async function createLock(kind: LockKind, lockPath: string, nowMs: number): Promise<LockVersion> {
  if (kind === "directory") {
    await mkdir(lockPath, { mode: 0o700 });
  } else {
    const handle = await open(lockPath, "wx", 0o600);
    try {
      await handle.writeFile(lockBody(nowMs));
    } finally {
      await handle.close();
    }
  }
  return versionOf(lockPath, kind, kind === "file" ? process.pid : null, kind === "file" ? nowMs : null);
}

/**
 * Looks at the lock at `lockPath` and decides, by the rules of its own kind, whether it is stale.
 *
 * @param lockPath - `<file>.lock`
 * @param staleMs - the stale time
 * @param nowMs - epoch ms
 * @returns absent, or the version found with the reason it is stale (`null`: it is live)
 * @internal
 */
export async function inspectLock(lockPath: string, staleMs: number, nowMs: number): Promise<LockState> {
  let info;
  try {
    info = await lstat(lockPath);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return { present: false };
    throw error;
  }
  if (info.isDirectory()) {
    const version: LockVersion = { kind: "directory", ino: info.ino, mtimeMs: info.mtimeMs, pid: null, createdAtMs: null };
    const ageMs = nowMs - info.mtimeMs;
    return { present: true, version, staleBecause: ageMs > staleMs ? `its directory was last refreshed ${Math.round(ageMs)} ms ago` : null };
  }
  const body = await readLockBody(lockPath);
  const version: LockVersion = { kind: "file", ino: info.ino, mtimeMs: info.mtimeMs, pid: body.pid, createdAtMs: body.createdAtMs };
  if (body.pid !== null && !isProcessAlive(body.pid)) return { present: true, version, staleBecause: `its holder (pid ${body.pid}) is not running` };
  const ageMs = nowMs - (body.createdAtMs ?? info.mtimeMs);
  return { present: true, version, staleBecause: ageMs > staleMs ? `it was created ${Math.round(ageMs)} ms ago` : null };
}

/**
 * Removes a stale lock the way its kind is removed, but only if it is still the version that was
 * judged stale: a lock another waiter took over meanwhile is left alone.
 *
 * @remarks
 * Between the check and the removal another waiter can still remove the stale lock and create its
 * own; proper-lockfile and OpenClaw have the same window. The check keeps it to a few microseconds.
 *
 * @param lockPath - `<file>.lock`
 * @param stale - the version judged stale
 * @returns `true` when it was removed (or was already gone)
 * @internal
 */
export async function removeStaleLock(lockPath: string, stale: LockVersion): Promise<boolean> {
  if (!(await isSameVersion(lockPath, stale))) return false;
  try {
    if (stale.kind === "directory") await removeDirectoryLock(lockPath);
    else await rm(lockPath, { force: true });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return true;
    throw error;
  }
}

/**
 * Keeps a held lock fresh for other processes: a directory gets a new mtime (proper-lockfile's
 * refresh); a file gets a new `createdAt` (OpenClaw judges its lock by that time), written to a
 * temp file and renamed over the lock so that no reader sees it half written.
 *
 * @param lockPath - `<file>.lock`
 * @param held - the version this process holds
 * @param nowMs - epoch ms
 * @returns the new version, or `null` when the lock is no longer the one held (it was taken over)
 * @internal
 */
export async function refreshLock(lockPath: string, held: LockVersion, nowMs: number): Promise<LockVersion | null> {
  if (!(await isSameVersion(lockPath, held))) return null;
  if (held.kind === "directory") {
    const time = new Date(nowMs);
    await utimes(lockPath, time, time);
    return versionOf(lockPath, "directory", null, null);
  }
  const temp = `${lockPath}.refresh-${process.pid}-${globalThis.crypto.getRandomValues(new Uint32Array(1))[0]?.toString(16) ?? "0"}`;
  try {
    await writeNew(temp, lockBody(nowMs));
    await rename(temp, lockPath);
  } finally {
    await rm(temp, { force: true });
  }
  return versionOf(lockPath, "file", process.pid, nowMs);
}

/**
 * Releases a held lock, only if it is still the version this process holds.
 *
 * @param lockPath - `<file>.lock`
 * @param held - the version held
 * @internal
 */
export async function releaseLock(lockPath: string, held: LockVersion): Promise<void> {
  if (!(await isSameVersion(lockPath, held))) return;
  if (held.kind === "directory") await removeDirectoryLock(lockPath);
  else await unlink(lockPath).catch((error: unknown) => {
    // Gone already (removed by hand): nothing to release.
    if ((error as { code?: unknown }).code !== "ENOENT") throw error;
  });
}

/**
 * Whether the lock at `lockPath` is exactly `version` (same inode and mtime, and for a file the same
 * body time).
 *
 * @param lockPath - `<file>.lock`
 * @param version - the version expected
 * @returns `false` when it is gone or replaced
 * @internal
 */
export async function isSameVersion(lockPath: string, version: LockVersion): Promise<boolean> {
  try {
    const info = await lstat(lockPath);
    if (info.isDirectory() !== (version.kind === "directory") || info.ino !== version.ino || info.mtimeMs !== version.mtimeMs) return false;
    return true;
  } catch {
    return false;
  }
}

function lockBody(nowMs: number): string {
  return JSON.stringify({ pid: process.pid, createdAt: new Date(nowMs).toISOString() }, null, 2);
}

async function writeNew(path: string, text: string): Promise<void> {
  const handle = await open(path, "wx", 0o600);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

async function versionOf(lockPath: string, kind: LockKind, pid: number | null, createdAtMs: number | null): Promise<LockVersion> {
  const info = await lstat(lockPath);
  return { kind, ino: info.ino, mtimeMs: info.mtimeMs, pid, createdAtMs };
}

/** A body that does not parse (torn, empty, edited) names no pid: only its age decides. */
async function readLockBody(lockPath: string): Promise<{ readonly pid: number | null; readonly createdAtMs: number | null }> {
  try {
    const value: unknown = JSON.parse(await readFile(lockPath, "utf8"));
    const record = typeof value === "object" && value !== null ? (value as { pid?: unknown; createdAt?: unknown }) : {};
    const pid = typeof record.pid === "number" && Number.isInteger(record.pid) && record.pid > 0 ? record.pid : null;
    const createdAtMs = typeof record.createdAt === "string" ? Date.parse(record.createdAt) : Number.NaN;
    return { pid, createdAtMs: Number.isFinite(createdAtMs) ? createdAtMs : null };
  } catch {
    return { pid: null, createdAtMs: null };
  }
}

/** Signal 0 checks existence only; `EPERM` means it exists under another user. @internal */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}

/** proper-lockfile's directory is empty; anything put inside by hand is removed with it. */
async function removeDirectoryLock(lockPath: string): Promise<void> {
  try {
    await rmdir(lockPath);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ENOTEMPTY") throw error;
    await rm(lockPath, { recursive: true, force: true });
  }
}
