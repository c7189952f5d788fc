import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AuthProfilesError } from "../model/errors.js";
import { ensurePrivateDir } from "./atomic-write.js";
import { createLock, inspectLock, isSameVersion, refreshLock, releaseLock, removeStaleLock, type LockKind, type LockVersion } from "./lock-files.js";

export type { LockKind } from "./lock-files.js";

/**
 * The stale time OpenClaw uses for `auth-profiles.json.lock` (both kinds): a lock older than this
 * belongs to a dead process and is taken over.
 * @internal
 */
export const STORE_LOCK_STALE_MS = 30_000;

/** The shortest stale time accepted (proper-lockfile's floor, kept so that both kinds behave alike). @internal */
export const MIN_LOCK_STALE_MS = 2_000;

/**
 * How long a store update waits for a busy lock by default: longer than {@link STORE_LOCK_STALE_MS},
 * so the lock of a crashed holder is taken over within one call.
 * @internal
 */
export const DEFAULT_LOCK_WAIT_MS = 60_000;

/** First pause between two attempts on a busy lock; it grows by half each time, randomized. */
const RETRY_FIRST_DELAY_MS = 10;
/** Longest pause between two attempts: a freed lock is noticed within about this long. */
const RETRY_MAX_DELAY_MS = 50;

/**
 * {@link HeldFileLock.isHeld} answers `false` once less than this share of the stale time is left
 * before other processes may take the lock over: a commit checked just before that point still has
 * a quarter of the stale time to finish its rename.
 */
const HELD_GUARD_SHARE = 0.25;

/** What the critical section of {@link withFileLock} can ask about its lock. @internal */
export interface HeldFileLock {
  /** Aborted when the background refresh notices that the lock was lost (taken over or removed). */
  readonly signal: AbortSignal;
  /**
   * Checks, now, that the lock is still ours: not reported lost, still the very directory or file
   * this process made or last refreshed (same inode and mtime: a takeover removes and recreates
   * it), and other processes will not see it as stale for at least a quarter of the stale time.
   * Call it right before a commit; `false` means "do not write".
   */
  isHeld(): Promise<boolean>;
}

/** How a lock is waited for. @internal */
export interface FileLockOptions {
  /** Lock considered stale after this (min 2000, proper-lockfile's floor). Default {@link STORE_LOCK_STALE_MS}. */
  readonly staleMs?: number;
  /** Give up waiting after roughly this long, then throw `STORE_LOCKED`. Default {@link DEFAULT_LOCK_WAIT_MS}. */
  readonly waitMs?: number;
  /**
   * The kind of lock to create when the path is free: `directory` (proper-lockfile's, the default)
   * or `file` (OpenClaw ≥ 2026.2.13). A lock of either kind already there is waited for, and taken
   * over by its own kind's staleness rule, whatever this says.
   */
  readonly kind?: LockKind;
  /** Told the kind of every lock found held or stale at the path (a hint at the other program's generation). */
  readonly onForeignLock?: (kind: LockKind) => void;
}

/**
 * Runs `work` while holding the lock `<path>.lock`, speaking both protocols OpenClaw has used for
 * it, so that neither side ever writes while the other holds the lock.
 *
 * @remarks
 * - A lock of either kind at the path blocks us: a directory (proper-lockfile: OpenClaw ≤ 2026.2.12,
 *   Claude Code) or a file `{pid, createdAt}` made with `wx` (OpenClaw ≥ 2026.2.13).
 * - A stale lock is recognised by its own kind's rule and removed its own way: a directory whose
 *   mtime is older than `staleMs` with `rmdir`; a file whose pid is not alive, or whose `createdAt`
 *   (else mtime) is older than `staleMs`, with `rm`. It is removed only if it is still the version
 *   judged stale.
 * - The lock created is `options.kind` (default `directory`). While held it is refreshed every
 *   `staleMs / 2`: a directory's mtime, or a file's `createdAt` (rewritten by rename), so a live
 *   holder is never taken for dead by either protocol.
 * - Waiting uses randomized, growing pauses (10 ms up to 50 ms) and stops after about `waitMs`.
 * - If the lock is lost while `work` runs, the `signal` is aborted at the next refresh; `work` must
 *   ask `lock.isHeld()` right before it writes. What `work` returns (or throws) is the outcome.
 *
 * @param path - the file to lock (need not exist)
 * @param work - the critical section; receives the loss signal and the {@link HeldFileLock}
 * @param options - stale and wait times, the kind to create
 * @returns what `work` returned
 * @throws AuthProfilesError `STORE_LOCKED` when the lock cannot be taken in time; `STORE_IO` when
 * the lock cannot be created, inspected or a stale one removed
 * @internal
 */
export async function withFileLock<T>(
  path: string,
  work: (signal: AbortSignal, lock: HeldFileLock) => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const staleMs = Math.max(MIN_LOCK_STALE_MS, options.staleMs ?? STORE_LOCK_STALE_MS);
  const waitMs = Math.max(0, options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  const lockPath = `${path}.lock`;
  const lost = new AbortController();
  await ensurePrivateDir(dirname(path));
  let current = await acquire(path, options.kind ?? "directory", staleMs, waitMs, options.onForeignLock);
  // Refreshes and the release run one after another, never over each other.
  let chain: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    chain = chain.then(async () => {
      if (lost.signal.aborted) return;
      const next = await refreshLock(lockPath, current, Date.now()).catch(() => null);
      if (next === null) lost.abort(lostLockError(path));
      else current = next;
    });
  }, Math.max(1, Math.floor(staleMs / 2)));
  timer.unref();
  const held: HeldFileLock = {
    signal: lost.signal,
    isHeld: async () => {
      await chain;
      if (lost.signal.aborted || !(await isSameVersion(lockPath, current))) return false;
      const freshSinceMs = current.kind === "file" ? (current.createdAtMs ?? current.mtimeMs) : current.mtimeMs;
      return Date.now() < freshSinceMs + staleMs * (1 - HELD_GUARD_SHARE);
    },
  };
  try {
    return await work(lost.signal, held);
  } finally {
    clearInterval(timer);
    await chain.catch(() => undefined);
    // Fails only when the lock was lost or removed meanwhile; there is nothing left to release then.
    await releaseLock(lockPath, current).catch(() => undefined);
  }
}

async function acquire(
  path: string,
  kind: LockKind,
  staleMs: number,
  waitMs: number,
  onForeignLock: ((kind: LockKind) => void) | undefined,
): Promise<LockVersion> {
  const lockPath = `${path}.lock`;
  let waitedMs = 0;
  let delayMs = RETRY_FIRST_DELAY_MS;
  for (;;) {
    try {
      return await createLock(kind, lockPath, Date.now());
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw lockIoError(path, "create", error);
    }
    let state;
    try {
      state = await inspectLock(lockPath, staleMs, Date.now());
    } catch (error) {
      throw lockIoError(path, "inspect", error);
    }
    if (!state.present) continue;
    onForeignLock?.(state.version.kind);
    if (state.staleBecause !== null) {
      try {
        await removeStaleLock(lockPath, state.version);
      } catch (error) {
        throw lockIoError(path, "remove the stale", error);
      }
      continue;
    }
    if (waitedMs >= waitMs) throw busyLockError(path, waitMs, state.version);
    const pauseMs = Math.min(Math.round(delayMs * (0.5 + Math.random())), waitMs - waitedMs);
    await sleep(pauseMs);
    waitedMs += pauseMs;
    delayMs = Math.min(RETRY_MAX_DELAY_MS, delayMs * 1.5);
  }
}

function lockIoError(path: string, action: string, cause: unknown): AuthProfilesError {
  return new AuthProfilesError("STORE_IO", `Could not lock ${path}: cannot ${action} ${path}.lock.`, {
    hint: `Check that this user can write to the directory of ${path}.`,
    cause,
    details: { file: path, lock: `${path}.lock` },
  });
}

function busyLockError(path: string, waitMs: number, holder: LockVersion): AuthProfilesError {
  const what = holder.kind === "file" ? `the lock file ${path}.lock${holder.pid === null ? "" : ` (pid ${holder.pid})`}` : `the lock directory ${path}.lock`;
  return new AuthProfilesError("STORE_LOCKED", `Could not lock ${path}: ${what} was still held by another process after waiting ${waitMs} ms.`, {
    hint: `Another program (an OpenClaw gateway or another bot) is writing this store; retry. If no such process is running, remove ${path}.lock.`,
    details: { file: path, lock: `${path}.lock`, lockKind: holder.kind, waitMs, ...(holder.pid === null ? {} : { holderPid: holder.pid }) },
  });
}

function lostLockError(path: string): AuthProfilesError {
  return new AuthProfilesError("STORE_LOCKED", `Lost the lock on ${path} while updating it.`, {
    hint: "The process stalled longer than the lock's stale time, or the lock was removed; retry.",
    details: { file: path, lock: `${path}.lock` },
  });
}
