import { readFile, stat } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, siblingsOf, startChild, storePathIn, watchChild, writeJsonPrivate, type WatchedChild } from "./support.js";

const STALE_MS = 2_000;
const TRIALS = 5;

let dir: string;
let path: string;
let cleanup: () => Promise<void>;
const children: WatchedChild[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = storePathIn(dir);
});
afterEach(async () => {
  for (const watched of children.splice(0)) {
    watched.child.kill("SIGCONT");
    watched.child.kill("SIGKILL");
    await watched.closed;
  }
  await cleanup();
});

function updater(name: string, workMs: number): WatchedChild {
  const watched = watchChild(startChild("paused-update.ts", [path, String(STALE_MS), String(workMs), name]));
  children.push(watched);
  return watched;
}

async function storeJson(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
}

describe("a store update whose process is stopped (SIGSTOP) past lockStaleMs", () => {
  it(`never overwrites the commit of the process that took its lock over, and reports what landed (${TRIALS} trials)`, { timeout: 180_000 }, async () => {
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      await writeJsonPrivate(path, { version: 1, profiles: {}, trial });
      // A holds the lock inside its mutator when it is stopped: its lock stops being refreshed.
      const a = updater("a", 300);
      await a.waitForLine("mutating 1");
      a.child.kill("SIGSTOP");

      // B waits until A's lock is stale (2 s without a refresh), takes it over and commits.
      const b = updater("b", 0);
      await b.waitForLine("committed 1");
      expect((await b.closed).code).toBe(0);
      expect(await storeJson()).toMatchObject({ trial, b: 1 });

      a.child.kill("SIGCONT");
      const { code } = await a.closed;
      const report = a.lines.at(-1) ?? "";
      const stored = await storeJson();
      // B's acknowledged update survives, always.
      expect(stored).toMatchObject({ trial, b: 1 });
      // A's report matches the file: it committed the run whose document is on disk, or it failed
      // and its field is absent.
      if (report.startsWith("committed ")) {
        expect(code).toBe(0);
        expect(stored["a"]).toBe(Number(report.slice("committed ".length)));
      } else {
        expect(report).toMatch(/^failed /);
        expect(stored["a"]).toBeUndefined();
      }
      outcomes.push(`${report} after ${a.lines.filter((line) => line.startsWith("mutating")).length} run(s)`);
      expect(await siblingsOf(path)).toEqual([]);
      await expect(stat(`${path}.lock`)).rejects.toMatchObject({ code: "ENOENT" });
    }
    // The robbed writer notices before its rename, re-reads B's document and re-applies on top.
    expect(outcomes).toEqual(Array.from({ length: TRIALS }, () => "committed 2 after 2 run(s)"));
  });
});
