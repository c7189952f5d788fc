import { constants } from "node:fs";
import { lstat, mkdir, open, readdir, rmdir, unlink, utimes } from "node:fs/promises";
import { join } from "node:path";
import { isProcessAlive } from "./lock-files.js";

/**
 * The queue directory beside a lock: `<file>.lock-queue`. Only this library's processes look at
 * it; OpenClaw, Claude Code and proper-lockfile never do, and it decides nothing about exclusion.
 * @internal
 */
export const LOCK_QUEUE_SUFFIX = ".lock-queue";

/** A ticket's name: `<number>-<pid>-<random>`; queued in the order of (number, name). */
const TICKET_NAME = /^(\d{1,15})-(\d{1,10})-([a-z0-9]{1,16})$/;

/** The tickets of this process that are live right now (a ticket of our pid that is not here is left over). */
const liveTickets = new Set<string>();

/** One place in a {@link joinLockQueue queue}. @internal */
export interface LockQueueTicket {
  /**
   * Looks at the queue now: `true` when no live ticket is ahead of this one. Tickets ahead whose
   * process is gone, or that were not refreshed for the stale time, are removed on the way.
   */
  isFirst(): Promise<boolean>;
  /** How many live tickets were ahead at the last {@link LockQueueTicket.isFirst}. */
  readonly ahead: number;
  /** Leaves the queue (and removes the queue directory when it is empty). Never throws. */
  leave(): Promise<void>;
}

interface ParsedTicket {
  readonly name: string;
  readonly number: number;
  readonly pid: number;
}

function parseTicket(name: string): ParsedTicket | null {
  const match = TICKET_NAME.exec(name);
  if (match === null) return null;
  return { name, number: Number(match[1]), pid: Number(match[2]) };
}

/** (number, name) order: equal numbers are arrivals that raced; the name breaks the tie. */
function before(a: ParsedTicket, b: ParsedTicket): boolean {
  return a.number < b.number || (a.number === b.number && a.name < b.name);
}

/**
 * Whether the queue at `queueDir` has no ticket at all (missing, empty, or unreadable: an
 * unreadable queue is ignored, it only ever adds fairness).
 *
 * @param queueDir - `<file>.lock-queue`
 * @returns `true` when nobody is queued
 * @internal
 */
export async function lockQueueIsEmpty(queueDir: string): Promise<boolean> {
  try {
    return (await readdir(queueDir)).every((name) => parseTicket(name) === null);
  } catch {
    return true;
  }
}

/**
 * Takes a ticket in the queue of a lock, so that waiting processes of this library take the lock
 * in the order they started waiting instead of by the luck of their retry timers.
 *
 * @remarks
 * The protocol, for every process of this library that waits for a busy lock:
 * - the queue is the directory `<file>.lock-queue` (0700), beside the lock; a ticket is an empty
 *   file `<n>-<pid>-<random>` made with `O_EXCL | O_NOFOLLOW`, where `n` is one more than the
 *   largest number seen in the queue: every process that arrives after a ticket exists gets a
 *   larger number, so at most the waiters already queued go first (no starvation);
 * - only the process whose ticket is first tries the real lock; the others re-read the queue every
 *   few milliseconds. The first one leaves the queue once it holds the lock, so the next one polls
 *   the lock while the holder works and takes it as soon as it is released;
 * - a waiter refreshes its ticket's mtime every half stale time. A ticket ahead is skipped and
 *   removed when its pid is not running (a waiter killed while queued), when it names this process
 *   but is none of its live tickets (a pid reused after a crash), or when it was not refreshed for
 *   the stale time (a stopped process, or another host's pid). A ticket removed by mistake is made
 *   again by its owner at its next look, with the same number.
 * The queue never excludes anyone: the lock does. OpenClaw ignores the queue and takes the lock
 * directly, and the first waiter still honours a lock of either kind held by anyone. If the queue
 * cannot be used (no permission, a non-directory in the way), the caller waits without one.
 *
 * @param queueDir - `<file>.lock-queue`
 * @param staleMs - the lock's stale time: refresh period ×2, and the age of an abandoned ticket
 * @returns the ticket, or `null` when the queue cannot be used
 * @internal
 */
export async function joinLockQueue(queueDir: string, staleMs: number): Promise<LockQueueTicket | null> {
  const created = await createTicket(queueDir);
  if (created === null) return null;
  const mine = created;
  let ahead = 0;
  let left = false;
  liveTickets.add(mine.name);
  const ticketPath = (): string => join(queueDir, mine.name);
  const timer = setInterval(
    () => {
      const now = new Date();
      utimes(ticketPath(), now, now).catch(() => undefined);
    },
    Math.max(1, Math.floor(staleMs / 2)),
  );
  timer.unref();
  return {
    get ahead() {
      return ahead;
    },
    async isFirst(): Promise<boolean> {
      let names: string[];
      try {
        names = await readdir(queueDir);
      } catch {
        names = [];
      }
      if (!names.includes(mine.name)) {
        // Removed by a process that took it for abandoned (or the queue itself was removed):
        // made again with the same number, so the place is kept.
        if (!(await recreateTicket(queueDir, mine.name))) return true;
      }
      const others = names
        .map(parseTicket)
        .filter((t): t is ParsedTicket => t !== null && before(t, mine))
        .sort((a, b) => (before(a, b) ? -1 : 1));
      let live = 0;
      let checkedAge = false;
      for (const other of others) {
        if (isAbandoned(other)) {
          await unlink(join(queueDir, other.name)).catch(() => undefined);
          continue;
        }
        if (!checkedAge) {
          // Only the ticket that blocks this one is worth a stat: the rest are checked by the
          // waiters right behind them.
          checkedAge = true;
          if (await isOlderThan(join(queueDir, other.name), staleMs)) {
            await unlink(join(queueDir, other.name)).catch(() => undefined);
            continue;
          }
        }
        live += 1;
      }
      ahead = live;
      return live === 0;
    },
    async leave(): Promise<void> {
      if (left) return;
      left = true;
      clearInterval(timer);
      liveTickets.delete(mine.name);
      await unlink(ticketPath()).catch(() => undefined);
      await removeQueueIfEmpty(queueDir);
    },
  };
}

async function createTicket(queueDir: string): Promise<ParsedTicket | null> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await mkdir(queueDir, { mode: 0o700 });
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") return null;
    }
    let names: string[];
    try {
      // A link or a file in the way: no queue (the lock alone still excludes).
      if (!(await lstat(queueDir)).isDirectory()) return null;
      names = await readdir(queueDir);
    } catch {
      continue;
    }
    let largest = -1;
    for (const name of names) largest = Math.max(largest, parseTicket(name)?.number ?? -1);
    const number = largest + 1;
    const name = `${number}-${process.pid}-${Math.random().toString(36).slice(2, 10) || "0"}`;
    const status = await makeTicketFile(join(queueDir, name));
    if (status === "made") return { name, number, pid: process.pid };
    if (status === "failed") return null;
    // ENOENT: the last waiter removed the empty queue meanwhile; make it again.
  }
  return null;
}

async function recreateTicket(queueDir: string, name: string): Promise<boolean> {
  try {
    await mkdir(queueDir, { mode: 0o700 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") return false;
  }
  const status = await makeTicketFile(join(queueDir, name));
  return status === "made" || status === "exists";
}

async function makeTicketFile(path: string): Promise<"made" | "exists" | "missing-dir" | "failed"> {
  try {
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    await handle.close();
    return "made";
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "EEXIST") return "exists";
    if (code === "ENOENT") return "missing-dir";
    return "failed";
  }
}

function isAbandoned(ticket: ParsedTicket): boolean {
  if (ticket.pid < 1) return true; // never ours; kill(0) would ask about the whole process group
  if (ticket.pid === process.pid) return !liveTickets.has(ticket.name);
  return !isProcessAlive(ticket.pid);
}

async function isOlderThan(path: string, staleMs: number): Promise<boolean> {
  try {
    return Date.now() - (await lstat(path)).mtimeMs > staleMs;
  } catch {
    return false; // gone already: the next look skips it
  }
}

/** Removes the queue once empty; when abandoned tickets keep it, they are removed first. */
async function removeQueueIfEmpty(queueDir: string): Promise<void> {
  try {
    await rmdir(queueDir);
    return;
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ENOTEMPTY") return;
  }
  let names: string[];
  try {
    names = await readdir(queueDir);
  } catch {
    return;
  }
  let removed = false;
  for (const name of names) {
    const ticket = parseTicket(name);
    if (ticket === null || !isAbandoned(ticket)) continue;
    await unlink(join(queueDir, name)).catch(() => undefined);
    removed = true;
  }
  if (removed) await rmdir(queueDir).catch(() => undefined);
}

