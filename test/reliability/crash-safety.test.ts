import { readFile, rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseStore } from "../../src/store/format.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import type { StoreData } from "../../src/model/store.js";
import { KillLoop } from "./kill-loop.js";
import { makeTempDir, pause, siblingsOf, storePathIn, writeJsonPrivate } from "./support.js";

const STORE_KILLS = 200;
const KEY_A = `sk-ant-api03-${"CrashSafeKeyA0".repeat(6)}AAkeya`;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

interface Observed {
  readonly counter: number;
  readonly errors: number;
}

function observe(data: StoreData): Observed {
  const counter = typeof data["counter"] === "number" ? data["counter"] : 0;
  const stats = data.usageStats?.["anthropic:a"];
  const errors = stats?.errorCount ?? 0;
  expect(stats?.failureCounts?.rate_limit ?? 0).toBe(errors);
  return { counter, errors };
}

describe("store updates killed with SIGKILL", () => {
  it(`leave the old or the new state after each of ${STORE_KILLS} kills, and no temp file after a final update`, { timeout: 900_000 }, async () => {
    const path = storePathIn(dir);
    const initial = {
      version: 1,
      note: "kept by every writer",
      profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A, label: "unknown field" } },
      counter: 0,
    };
    await writeJsonPrivate(path, initial);
    let seen: Observed = { counter: 0, errors: 0 };

    const loop = new KillLoop("store-crash-child.ts", (round) => [dir, String(round)]);
    try {
      for (let round = 0; round < STORE_KILLS; round += 1) {
        const lines = await loop.killOne(STORE_KILLS);
        const acked = { counter: lines.filter((l) => l === "c").length, errors: lines.filter((l) => l === "f").length };

        // The store parses (strictly: as OpenClaw reads it) and holds the old or the new state:
        // every acknowledged update, plus at most the one update that was in flight.
        const data = parseStore(await readFile(path, "utf8"), path);
        const now = observe(data);
        const extra = { counter: now.counter - seen.counter - acked.counter, errors: now.errors - seen.errors - acked.errors };
        expect({ round, extra }).toSatisfy(
          ({ extra: e }: { extra: { counter: number; errors: number } }) => e.counter >= 0 && e.errors >= 0 && e.counter + e.errors <= 1,
        );
        expect(data["note"]).toBe(initial.note);
        expect(data.profiles).toEqual(initial.profiles);
        seen = now;

        // The killed child may have held the lock. Waiting out its stale time (2 s) 200 times would
        // take minutes, so the parent, which knows the holder is dead, removes it; the takeover of
        // a dead holder's lock is tested in lock-recovery.test.ts.
        await rm(`${path}.lock`, { recursive: true, force: true });
      }
    } finally {
      await loop.close();
    }

    // Temp files of killed writers are removed by the next update once they are older than the
    // lock's stale time.
    if ((await siblingsOf(path)).length > 0) await pause(2_200);
    const store = createFileProfileStore({ path, lockStaleMs: 2_000 });
    const { data } = await store.update((current) => ({ data: { ...current, counter: seen.counter + 1 }, result: undefined }));
    expect(observe(data)).toEqual({ counter: seen.counter + 1, errors: seen.errors });
    expect(await siblingsOf(path)).toEqual([]);
  });
});
