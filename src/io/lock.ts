import * as fs from "node:fs";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AuthProfilesError } from "../model/errors.js";
import { ensurePrivateDir } from "./atomic-write.js";
import { lazyModule } from "./lazy-module.js";

/** proper-lockfile, loaded on the first lock (not when the library is imported). */
const loadLockfile = lazyModule(async () => (await import("proper-lockfile")).default);

/**
 * The stale time OpenClaw uses for the `auth-profiles.json.lock` directory: a lock not refreshed
 * for this long belongs to a dead process and is taken over.
 * @internal
 */
export const STORE_LOCK_STALE_MS = 30_000;

/** The shortest stale time proper-lockfile accepts (it raises anything lower to this). @internal */
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

/**
 * The mtime (integer ms, as proper-lockfile compares it) this process last gave each lock directory
 * it holds. proper-lockfile keeps its own copy private, so the `utimes` it calls through
 * {@link trackingFs} is observed here. Entries live only while the lock is held.
 */
const touchedMtimeMs = new Map<string, number>();

/** node:fs with `utimes` observed, handed to proper-lockfile (its documented `fs` option). */
const trackingFs = {
  ...fs,
  utimes(path: fs.PathLike, atime: fs.TimeLike, mtime: fs.TimeLike, callback: fs.NoParamCallback): void {
    fs.utimes(path, atime, mtime, (error) => {
      const key = String(path);
      if (error === null && touchedMtimeMs.has(key) && mtime instanceof Date) touchedMtimeMs.set(key, mtime.getTime());
      callback(error);
    });
  },
};

/** What the critical section of {@link withFileLock} can ask about its lock. @internal */
export interface HeldFileLock {
  /** Aborted when proper-lockfile notices, in the background, that the lock was lost. */
  readonly signal: AbortSignal;
  /**
   * Checks, now, that the lock is still ours: not reported lost, its directory still carries the
   * mtime this process last gave it (a takeover removes and recreates it), and other processes
   * will not see it as stale for at least a quarter of the stale time. Call it right before a
   * commit; `false` means "do not write".
   */
  isHeld(): Promise<boolean>;
}

/** How a lock is waited for. @internal */
export interface FileLockOptions {
  /** Lock considered stale after this (min 2000, proper-lockfile's floor). Default {@link STORE_LOCK_STALE_MS}. */
  readonly staleMs?: number;
  /** Give up waiting after roughly this long, then throw `STORE_LOCKED`. Default {@link DEFAULT_LOCK_WAIT_MS}. */
  readonly waitMs?: number;
}

/**
 * Runs `work` while holding the proper-lockfile lock on `path` (the lock is the directory
 * `<path>.lock`, the same one OpenClaw takes, so both never interleave writes).
 *
 * @remarks
 * - `realpath: false`, so a store that does not exist yet can be locked. OpenClaw resolves the real
 *   path, which names the same `<path>.lock` as long as the file itself is not a symbolic link
 *   (store files that are links are refused by `assertSafeFile`).
 * - While held, proper-lockfile touches the lock directory every `staleMs / 2`, so a live holder is
 *   never taken for dead; a holder that crashed stops touching it and loses it after `staleMs`.
 * - Waiting uses randomized, growing pauses (10 ms up to 50 ms, short so that a waiter is not
 *   starved by a holder that takes the lock again at once) and stops after about `waitMs`.
 * - If the lock is lost while `work` runs (the process stalled past `staleMs` and another one took
 *   over), the `signal` passed to `work` is aborted, but only once proper-lockfile's next refresh
 *   runs: a stalled process resumes before it. So `work` must ask `lock.isHeld()` right before it
 *   writes, and decide what a lost lock means; what `work` returns (or throws) is the outcome, a
 *   loss noticed after it committed does not turn a landed write into an error.
 *
 * @param path - the file to lock (need not exist)
 * @param work - the critical section; receives the loss signal and the {@link HeldFileLock}
 * @param options - stale and wait times
 * @returns what `work` returned
 * @throws AuthProfilesError `STORE_LOCKED` when the lock cannot be taken in time; `STORE_IO` when
 * the lock directory cannot be created
 * @internal
 */
export async function withFileLock<T>(
  path: string,
  work: (signal: AbortSignal, lock: HeldFileLock) => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const staleMs = Math.max(MIN_LOCK_STALE_MS, options.staleMs ?? STORE_LOCK_STALE_MS);
  const waitMs = Math.max(0, options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  const lost = new AbortController();
  await ensurePrivateDir(dirname(path));
  const lockDir = `${path}.lock`;
  const release = await acquire(path, staleMs, waitMs, (error) => lost.abort(lostLockError(path, error)));
  try {
    touchedMtimeMs.set(lockDir, (await stat(lockDir)).mtime.getTime());
  } catch {
    // Gone already: isHeld() answers false.
  }
  const held: HeldFileLock = {
    signal: lost.signal,
    isHeld: () => isStillHeld(lockDir, staleMs, lost.signal),
  };
  try {
    return await work(lost.signal, held);
  } finally {
    touchedMtimeMs.delete(lockDir);
    // Fails only when the lock was already lost or removed; there is nothing left to release then.
    await release().catch(() => undefined);
  }
}

async function isStillHeld(lockDir: string, staleMs: number, lost: AbortSignal): Promise<boolean> {
  const mine = touchedMtimeMs.get(lockDir);
  if (lost.aborted || mine === undefined) return false;
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(lockDir)).mtime.getTime();
  } catch {
    return false;
  }
  // Others call the lock stale once their clock passes its mtime + staleMs (proper-lockfile's rule).
  return mtimeMs === mine && Date.now() < mine + staleMs * (1 - HELD_GUARD_SHARE);
}

async function acquire(
  path: string,
  staleMs: number,
  waitMs: number,
  onCompromised: (error: Error) => void,
): Promise<() => Promise<void>> {
  let waitedMs = 0;
  let delayMs = RETRY_FIRST_DELAY_MS;
  for (;;) {
    try {
      const lockfile = await loadLockfile();
      return await lockfile.lock(path, { realpath: false, fs: trackingFs, stale: staleMs, update: staleMs / 2, retries: 0, onCompromised });
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ELOCKED") {
        throw new AuthProfilesError("STORE_IO", `Could not lock ${path}: cannot create ${path}.lock.`, {
          hint: `Check that this user can write to the directory of ${path}.`,
          cause: error,
          details: { file: path, lock: `${path}.lock` },
        });
      }
      if (waitedMs >= waitMs) throw busyLockError(path, waitMs, error);
    }
    const pauseMs = Math.min(Math.round(delayMs * (0.5 + Math.random())), waitMs - waitedMs);
    await sleep(pauseMs);
    waitedMs += pauseMs;
    delayMs = Math.min(RETRY_MAX_DELAY_MS, delayMs * 1.5);
  }
}

function busyLockError(path: string, waitMs: number, cause: unknown): AuthProfilesError {
  return new AuthProfilesError("STORE_LOCKED", `Could not lock ${path}: ${path}.lock was still held by another process after waiting ${waitMs} ms.`, {
    hint: `Another program (an OpenClaw gateway or another bot) is writing this store; retry. If no such process is running, remove the stale directory ${path}.lock.`,
    cause,
    details: { file: path, lock: `${path}.lock`, waitMs },
  });
}

function lostLockError(path: string, cause: Error): AuthProfilesError {
  return new AuthProfilesError("STORE_LOCKED", `Lost the lock on ${path} while updating it.`, {
    hint: "The process stalled longer than the lock's stale time, or the lock directory was removed; retry.",
    cause,
    details: { file: path, lock: `${path}.lock` },
  });
}
