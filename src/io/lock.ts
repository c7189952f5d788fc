import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AuthProfilesError } from "../model/errors.js";
import { ensurePrivateDir } from "./atomic-write.js";
import { createLock, inspectLock, isSameVersion, refreshLock, releaseLock, removeStaleLock, type LockKind, type LockVersion } from "./lock-files.js";
import { joinLockQueue, LOCK_QUEUE_SUFFIX, lockQueueIsEmpty, type LockQueueTicket } from "./lock-queue.js";

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
 * With a queue, only its first waiter polls the lock, so it may poll often: first pause, and
 * longest pause during the first second (a lock of ours is held for milliseconds)…
 */
const QUEUED_FIRST_DELAY_MS = 1;
const QUEUED_MAX_DELAY_MS = 8;
/** …after which a long holder (OpenClaw, a stopped process) is polled like without a queue. */
const QUEUED_FAST_POLL_MS = 1_000;
/** How often a waiter behind others looks at the queue (randomized ±50 %). */
const QUEUE_POLL_MS = 6;

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
  /**
   * Wait in a first-come, first-served queue (`<path>.lock-queue`, see `joinLockQueue`) while the
   * lock is busy, so that no process of this library starves behind luckier ones. Default `false`.
   */
  readonly fair?: boolean;
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
 *   With `fair`, a waiter that finds the lock busy takes a ticket in `<path>.lock-queue` instead,
 *   and only the first live ticket polls the lock (every 1 to 8 ms during its first second): our
 *   processes take the lock in arrival order. The queue only orders our waiters; the lock alone
 *   excludes, and a lock held by OpenClaw (which ignores the queue) is honoured as always.
 * - The directory of `path` is created (0700) only when making the lock finds it missing.
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
  let current = await acquire(path, options.kind ?? "directory", staleMs, waitMs, options.onForeignLock, options.fair === true);
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
  fair: boolean,
): Promise<LockVersion> {
  const lockPath = `${path}.lock`;
  const queueDir = `${path}${LOCK_QUEUE_SUFFIX}`;
  const startedMs = Date.now();
  const waited = (): number => Date.now() - startedMs;
  let delayMs = RETRY_FIRST_DELAY_MS;
  let madeDir = false;
  let ticket: LockQueueTicket | null = null;
  // Someone is queued already: line up behind them instead of trying the lock first.
  let queueNow = fair && !(await lockQueueIsEmpty(queueDir));
  let firstSinceMs: number | null = null;
  try {
    for (;;) {
      if (queueNow && ticket === null) {
        queueNow = false;
        ticket = await joinLockQueue(queueDir, staleMs);
        if (ticket !== null) delayMs = QUEUED_FIRST_DELAY_MS;
      }
      if (ticket !== null && !(await ticket.isFirst())) {
        firstSinceMs = null;
        if (waited() >= waitMs) throw await queuedLockError(path, waitMs, ticket.ahead, staleMs);
        await sleep(Math.min(Math.round(QUEUE_POLL_MS * (0.5 + Math.random())), Math.max(1, waitMs - waited())));
        continue;
      }
      if (ticket !== null && firstSinceMs === null) {
        firstSinceMs = Date.now();
        delayMs = QUEUED_FIRST_DELAY_MS;
      }
      try {
        return await createLock(kind, lockPath, Date.now());
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if ((code === "ENOENT" || code === "ENOTDIR") && !madeDir) {
          // The directory is made only when it is missing: one mkdir per new store, not per update.
          madeDir = true;
          await ensurePrivateDir(dirname(path));
          continue;
        }
        if (code !== "EEXIST") throw lockIoError(path, "create", error);
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
      if (fair && ticket === null && !queueNow) {
        // Busy: take a ticket (once; without a usable queue, wait the plain way).
        queueNow = true;
        if (waited() < waitMs) continue;
      }
      if (waited() >= waitMs) throw busyLockError(path, waitMs, state.version);
      const fast = ticket !== null && firstSinceMs !== null && Date.now() - firstSinceMs < QUEUED_FAST_POLL_MS;
      const maxDelayMs = fast ? QUEUED_MAX_DELAY_MS : RETRY_MAX_DELAY_MS;
      const pauseMs = Math.max(1, Math.min(Math.round(delayMs * (0.5 + Math.random())), waitMs - waited()));
      await sleep(pauseMs);
      delayMs = Math.min(maxDelayMs, Math.max(delayMs * 1.5, fast ? QUEUED_FIRST_DELAY_MS : RETRY_FIRST_DELAY_MS));
    }
  } finally {
    // Left once the lock is ours (or the wait failed): the next ticket starts polling the lock.
    await ticket?.leave();
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

async function queuedLockError(path: string, waitMs: number, ahead: number, staleMs: number): Promise<AuthProfilesError> {
  const state = await inspectLock(`${path}.lock`, staleMs, Date.now()).catch(() => null);
  if (state?.present === true) return busyLockError(path, waitMs, state.version);
  return new AuthProfilesError("STORE_LOCKED", `Could not lock ${path}: ${ahead} update${ahead === 1 ? "" : "s"} of other processes were still queued ahead after waiting ${waitMs} ms.`, {
    hint: `Other bots are writing this store in turn; retry, or raise lockWaitMs.`,
    details: { file: path, lock: `${path}.lock`, waitMs, queuedAhead: ahead },
  });
}

function lostLockError(path: string): AuthProfilesError {
  return new AuthProfilesError("STORE_LOCKED", `Lost the lock on ${path} while updating it.`, {
    hint: "The process stalled longer than the lock's stale time, or the lock was removed; retry.",
    details: { file: path, lock: `${path}.lock` },
  });
}
