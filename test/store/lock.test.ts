import { mkdir, readdir, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { withFileLock } from "../../src/io/lock.js";
import { copyFixture, makeTempDir, startChild, waitForExit, waitForLine } from "./support.js";

describe(withFileLock.name, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    file = join(dir, "auth-profiles.json");
  });
  afterEach(() => cleanup());

  it("locks a store that does not exist yet with <path>.lock and removes it afterwards", async () => {
    const seen = await withFileLock(file, async () => (await stat(`${file}.lock`)).isDirectory());
    expect(seen).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it("releases the lock when the critical section throws", async () => {
    await expect(withFileLock(file, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await readdir(dir)).toEqual([]);
  });

  it("fails with STORE_LOCKED when the lock stays busy past the wait time", async () => {
    await withFileLock(file, async () => {
      await expect(withFileLock(file, async () => "never", { waitMs: 50 })).rejects.toMatchObject({
        code: "STORE_LOCKED",
        message: expect.stringContaining(`${file}.lock`),
        details: { file },
      });
    });
  });

  it("aborts the signal when the lock is lost while held, and returns what the critical section decided", async () => {
    const outcome = withFileLock(
      file,
      async (signal, lock) => {
        await rm(`${file}.lock`, { recursive: true });
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        return { aborted: signal.aborted, held: await lock.isHeld() };
      },
      { staleMs: 2_000 },
    );
    await expect(outcome).resolves.toEqual({ aborted: true, held: false });
  });

  it("isHeld() is true while the lock is ours and false at once when another process recreated it", async () => {
    const seen = await withFileLock(file, async (signal, lock) => {
      const before = await lock.isHeld();
      // A takeover: the stale lock directory is removed and made again (new mtime), before the
      // background refresh of proper-lockfile could notice.
      await rm(`${file}.lock`, { recursive: true });
      await mkdir(`${file}.lock`);
      await utimes(`${file}.lock`, new Date(Date.now() + 5_000), new Date(Date.now() + 5_000));
      return { before, after: await lock.isHeld(), aborted: signal.aborted };
    });
    expect(seen).toEqual({ before: true, after: false, aborted: false });
  });

  it("takes over the lock of a process that was killed while holding it", async () => {
    await copyFixture("openclaw-extended.json", file);
    const holder = startChild("lock-holder.ts", [file, "2000", "60000"]);
    const exited = waitForExit(holder);
    await waitForLine(holder, "locked");
    holder.kill("SIGKILL");
    expect((await exited).signal).toBe("SIGKILL");
    // SIGKILL runs no exit handler: the lock directory is left behind.
    expect((await stat(`${file}.lock`)).isDirectory()).toBe(true);

    const store = createFileProfileStore({ path: file, lockStaleMs: 2_000, lockWaitMs: 60_000 });
    const { data } = await store.update((current) => ({ data: { ...current, recovered: true }, result: undefined }));
    expect(data["recovered"]).toBe(true);
    expect((await store.read())["recovered"]).toBe(true);
    expect(await readdir(dir)).toEqual(["auth-profiles.json"]);
  });

  it("never robs a live holder that keeps its lock fresh", async () => {
    await copyFixture("openclaw-extended.json", file);
    const before = await stat(file);
    // Held for 10 s, well past the 3.5 s this update waits (itself past the 2 s stale time): only the
    // holder's periodic lock refresh keeps the lock from being taken, and the wait ends first even
    // when this process is slow to start it.
    const holder = startChild("lock-holder.ts", [file, "2000", "10000"]);
    const exited = waitForExit(holder);
    await waitForLine(holder, "locked");

    let mutatorCalls = 0;
    const store = createFileProfileStore({ path: file, lockStaleMs: 2_000, lockWaitMs: 3_500 });
    const update = store.update((current) => {
      mutatorCalls += 1;
      return { data: { ...current, robbed: true }, result: undefined };
    });
    await expect(update).rejects.toMatchObject({ code: "STORE_LOCKED" });
    expect(mutatorCalls).toBe(0);

    const result = await exited;
    expect(result.stdout).toContain("released");
    expect(result.code).toBe(0);
    const after = await stat(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(await readdir(dir)).toEqual(["auth-profiles.json"]);
  });
});
