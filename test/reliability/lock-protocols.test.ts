import { lstat, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LockKind } from "../../src/io/lock.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { makeTempDir, siblingsOf, startChild, storePathIn, watchChild, writeJsonPrivate, type WatchedChild } from "./support.js";

const KINDS: readonly LockKind[] = ["directory", "file"];
const STALE_MS = 2_000;

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

/** OpenClaw's side of the lock, by the documented protocol of `kind`. */
function openclaw(kind: LockKind, staleMs: number, holdMs: number, mark: string): WatchedChild {
  const watched = watchChild(startChild("openclaw-lock.ts", [path, kind, String(staleMs), String(holdMs), mark]));
  children.push(watched);
  return watched;
}

/** One of our processes holding the store lock of `kind` inside an update. */
function ours(kind: LockKind, holdMs: number, name: string): WatchedChild {
  const watched = watchChild(startChild("hold-update.ts", [path, String(STALE_MS), String(holdMs), name, kind]));
  children.push(watched);
  return watched;
}

async function lockKindOnDisk(): Promise<LockKind> {
  return (await lstat(`${path}.lock`)).isDirectory() ? "directory" : "file";
}

async function marks(): Promise<unknown> {
  return (JSON.parse(await readFile(path, "utf8")) as { marks?: unknown }).marks;
}

/** Appends `mark` to the store's `marks` through our store. */
async function ourUpdate(kind: LockKind, mark: string, staleMs = STALE_MS, whileHeld?: () => Promise<void>): Promise<void> {
  const store = createFileProfileStore({ path, lockKind: kind, lockStaleMs: staleMs, lockWaitMs: 40_000 });
  await store.update(async (current) => {
    await whileHeld?.();
    const list = Array.isArray(current["marks"]) ? current["marks"] : [];
    return { data: { ...current, marks: [...list, mark] }, result: undefined };
  });
}

describe("sharing auth-profiles.json.lock with OpenClaw", () => {
  for (const theirs of KINDS) {
    for (const mine of KINDS) {
      it(`waits for OpenClaw's live ${theirs} lock (we create ${mine} locks) and writes on top of its write`, { timeout: 300_000 }, async () => {
        // A directory holder refreshes its lock, so it may hold past the stale time; a file holder
        // never refreshes, so it is live only within OpenClaw's real 30 s stale time.
        const staleMs = theirs === "directory" ? STALE_MS : 30_000;
        const holder = openclaw(theirs, staleMs, 3_000, "openclaw");
        await holder.waitForLine("locked");
        expect(await lockKindOnDisk()).toBe(theirs);
        await ourUpdate(mine, "ours", staleMs);
        await holder.closed;
        expect(holder.lines).toEqual(["locked", "released"]);
        expect(await marks()).toEqual(["openclaw", "ours"]);
        expect(await siblingsOf(path)).toEqual([]);
      });

      it(`takes over the ${theirs} lock of a crashed OpenClaw by that kind's rule (we create ${mine} locks)`, { timeout: 300_000 }, async () => {
        const holder = openclaw(theirs, STALE_MS, 60_000, "never");
        await holder.waitForLine("locked");
        holder.child.kill("SIGKILL");
        await holder.closed;
        expect(await lockKindOnDisk()).toBe(theirs);
        await ourUpdate(mine, "ours");
        expect(await marks()).toEqual(["ours"]);
        expect(await siblingsOf(path)).toEqual([]);
      });

      it(`keeps OpenClaw (${theirs} protocol) waiting while our ${mine} lock is held past the stale time`, { timeout: 300_000 }, async () => {
        let waiter: WatchedChild | undefined;
        await ourUpdate(mine, "ours", STALE_MS, async () => {
          waiter = openclaw(theirs, STALE_MS, 0, "openclaw");
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          expect(waiter.lines).toEqual([]);
        });
        await (waiter as WatchedChild).closed;
        expect((waiter as WatchedChild).lines).toEqual(["locked", "released"]);
        expect(await marks()).toEqual(["ours", "openclaw"]);
      });
    }

    it(`lets OpenClaw (${theirs} protocol) take over the ${theirs} lock our crashed process left`, { timeout: 300_000 }, async () => {
      const holder = ours(theirs, 60_000, "killed");
      await holder.waitForLine("locked");
      holder.child.kill("SIGKILL");
      await holder.closed;
      expect(await lockKindOnDisk()).toBe(theirs);
      const taker = openclaw(theirs, STALE_MS, 0, "openclaw");
      await taker.closed;
      expect(taker.lines).toEqual(["locked", "released"]);
      expect(await marks()).toEqual(["openclaw"]);
      expect(await siblingsOf(path)).toEqual([]);
    });
  }
});

describe("the kind of lock we create", () => {
  async function kindCreated(options: { openclawVersion?: string; lockKind?: LockKind }): Promise<LockKind> {
    const store = createFileProfileStore({ path, ...options });
    return (await store.update(async () => ({ result: await lockKindOnDisk() }))).result;
  }

  it.each([
    ["2026.2.12", "directory"],
    ["2026.1.30", "directory"],
    ["2026.2.13", "file"],
    ["2026.4.5", "file"],
    ["2026.4.12-beta.1", "file"],
  ] as const)("follows OpenClaw's version %s: %s", async (openclawVersion, kind) => {
    expect(await kindCreated({ openclawVersion })).toBe(kind);
  });

  it("is a file when auth-state.json (OpenClaw ≥ 2026.4.7) sits beside the store, whatever the version says", async () => {
    await writeFile(join(dirname(path), "auth-state.json"), '{"version":1}\n', { mode: 0o600 });
    expect(await kindCreated({ openclawVersion: "2026.2.12" })).toBe("file");
  });

  it("is a file by default and the explicit option wins", async () => {
    expect(await kindCreated({})).toBe("file");
    expect(await kindCreated({ lockKind: "directory" })).toBe("directory");
  });

  it("follows the kind another process was last seen holding", { timeout: 300_000 }, async () => {
    const store = createFileProfileStore({ path, lockStaleMs: STALE_MS });
    const holder = openclaw("directory", STALE_MS, 500, "openclaw");
    await holder.waitForLine("locked");
    await store.update((current) => ({ data: { ...current, first: true }, result: undefined }));
    expect((await store.update(async () => ({ result: await lockKindOnDisk() }))).result).toBe("directory");
  });
});
