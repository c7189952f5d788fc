import { readdir, readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LockKind } from "../../src/io/lock.js";
import { LOCK_QUEUE_SUFFIX } from "../../src/io/lock-queue.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { eventually } from "../helpers/eventually.js";
import { makeTempDir, siblingsOf, startChild, storePathIn, watchChild, writeJsonPrivate, type WatchedChild } from "./support.js";

const WRITERS = 8;
const TOTAL_UPDATES = 160;
/** So long that a waiter blocked by a dead ticket would fail (lockWaitMs 60 s) rather than recover by age. */
const LONG_STALE_MS = 600_000;

let dir: string;
let path: string;
let cleanup: () => Promise<void>;
const children: WatchedChild[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = storePathIn(dir);
  await writeJsonPrivate(path, { version: 1, profiles: {} });
});
afterEach(async () => {
  for (const watched of children.splice(0)) {
    watched.child.kill("SIGKILL");
    await watched.closed;
  }
  await cleanup();
});

function child(script: string, args: readonly string[]): WatchedChild {
  const watched = watchChild(startChild(script, args));
  children.push(watched);
  return watched;
}

async function storeMarks(): Promise<unknown[]> {
  const marks = (JSON.parse(await readFile(path, "utf8")) as { marks?: unknown }).marks;
  return Array.isArray(marks) ? marks : [];
}

/** Whether a process with `pid` holds a ticket in the store's lock queue. */
async function isQueued(pid: number | undefined): Promise<boolean> {
  const names = await readdir(`${path}${LOCK_QUEUE_SUFFIX}`).catch(() => [] as string[]);
  return names.some((name) => name.split("-")[1] === String(pid));
}

function doneCount(watched: WatchedChild): number {
  const line = watched.lines.find((l) => l.startsWith("done ")) ?? "";
  return Number(line.slice("done ".length));
}

describe("the store lock is fair between our processes", () => {
  it(`gives each of ${WRITERS} writer processes at least a quarter of the mean share of ${TOTAL_UPDATES} updates, losing none`, { timeout: 300_000 }, async () => {
    const writers = Array.from({ length: WRITERS }, (_, i) => child("fair-worker.ts", [path, `w${i}`, String(TOTAL_UPDATES), "30000"]));
    await Promise.all(writers.map((w) => w.waitForLine("ready")));
    for (const w of writers) w.child.stdin?.write("go\n");
    const ends = await Promise.all(writers.map((w) => w.closed));
    for (const [i, w] of writers.entries()) {
      expect(ends[i]?.code, w.lines.join("\n") + w.stderr()).toBe(0);
    }
    const marks = await storeMarks();
    // No lost update: every update each writer made is in the file, and nothing else.
    expect(marks).toHaveLength(TOTAL_UPDATES);
    const mean = TOTAL_UPDATES / WRITERS;
    const shares = writers.map((w, i) => {
      const inFile = marks.filter((m) => m === `w${i}`).length;
      expect(doneCount(w)).toBe(inFile);
      return inFile / mean;
    });
    expect(Math.min(...shares), `shares of the mean: ${shares.map((s) => s.toFixed(2)).join(", ")}`).toBeGreaterThanOrEqual(0.25);
    expect(await siblingsOf(path)).toEqual([]);
  });

  it("is not blocked by a waiter killed while queued", { timeout: 300_000 }, async () => {
    const holder = createFileProfileStore({ path, lockStaleMs: LONG_STALE_MS });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = holder.update(async (current) => {
      locked();
      await released;
      return { data: { ...current, marks: ["holder"] }, result: undefined };
    });
    await isLocked;
    // The doomed waiter queues first, the survivor behind it.
    const doomed = child("hold-update.ts", [path, String(LONG_STALE_MS), "0", "doomed"]);
    expect(await eventually(() => isQueued(doomed.child.pid))).toBe(true);
    const survivor = child("hold-update.ts", [path, String(LONG_STALE_MS), "0", "survivor"]);
    expect(await eventually(() => isQueued(survivor.child.pid))).toBe(true);
    doomed.child.kill("SIGKILL");
    await doomed.closed;
    // Its ticket stays behind until a waiter behind it sees that its pid is gone.
    release();
    await holding;
    await survivor.closed;
    // Blocked by the dead ticket, the survivor would wait out lockWaitMs (60 s, far below the
    // stale time) and print "failed STORE_LOCKED".
    expect(survivor.lines).toEqual(["locked", "released"]);
    const data = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    expect(data).toMatchObject({ marks: ["holder"], heldBy: "survivor" });
    expect(await siblingsOf(path)).toEqual([]);
  });

  const KINDS: readonly LockKind[] = ["directory", "file"];
  for (const kind of KINDS) {
    it(`still waits for OpenClaw's ${kind} lock (OpenClaw ignores the queue) with our writers queued`, { timeout: 300_000 }, async () => {
      // A directory holder refreshes its lock; a file holder never does, so it needs OpenClaw's 30 s.
      const staleMs = kind === "directory" ? 2_000 : 30_000;
      const openclaw = child("openclaw-lock.ts", [path, kind, String(staleMs), "10000", "openclaw"]);
      await openclaw.waitForLine("locked");
      const ours = [0, 1].map((i) => child("fair-worker.ts", [path, `ours${i}`, "3", String(staleMs)]));
      await Promise.all(ours.map((w) => w.waitForLine("ready")));
      for (const w of ours) w.child.stdin?.write("go\n");
      // Both wait in the queue (the first one polling the lock) while OpenClaw holds it.
      expect(await eventually(async () => (await isQueued(ours[0]?.child.pid)) && (await isQueued(ours[1]?.child.pid)))).toBe(true);
      expect(openclaw.lines).toEqual(["locked"]);
      await Promise.all(ours.map((w) => w.closed));
      await openclaw.closed;
      expect(openclaw.lines).toEqual(["locked", "released"]);
      for (const w of ours) expect(w.lines[1], w.stderr()).toMatch(/^done \d$/);
      // OpenClaw appended its mark to what it read when its hold ended: a write of ours during
      // the hold would come before it in the list, or be overwritten.
      const marks = await storeMarks();
      expect(marks[0]).toBe("openclaw");
      expect(marks).toHaveLength(3);
      expect(doneCount(ours[0] as WatchedChild) + doneCount(ours[1] as WatchedChild)).toBe(2);
      expect(await siblingsOf(path)).toEqual([]);
    });
  }
});
