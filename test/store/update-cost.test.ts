import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { countFsCalls } from "../helpers/fs-calls.js";
import { makeTempDir, writePrivate } from "./support.js";

/**
 * The file system calls of one update of an existing store this store object wrote last, with no
 * other process around:
 * - lock kind detection: none (auth-state.json is looked for only when the answer could change);
 *   the queue: readdir of <path>.lock-queue (1);
 * - the file lock: open wx, write, close, lstat (4);
 * - the own-write check instead of a read: lstat of the directory, lstat of auth-state.json
 *   (missing), lstat of the store, which is still the file written last (3);
 * - the write: open temp (O_EXCL|O_NOFOLLOW), write, fstat, fsync, close (5); the checks before
 *   the rename: lstat of the lock, lstat of the file (2); rename (1); directory fsync: open, fsync,
 *   close (3); the own-write record: lstat (1);
 * - the release: lstat, unlink (2).
 * No mkdir (the directory exists), no directory listing for temp files on every update, no read of
 * a file this object wrote itself, no fchmod when the umask kept the mode.
 */
const FS_CALLS_PER_UPDATE = 22;

/** After another writer: the lstat of the store shows it, and the read is back (auth-state.json open, then open, fstat, one read, close of the store): as many as before the fast path. */
const FS_CALLS_PER_UPDATE_AFTER_ANOTHER_WRITER = 26;

describe("the cost of one store update", () => {
  let cleanup: () => Promise<void>;
  let path: string;
  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = await makeTempDir());
    path = join(dir, "auth-profiles.json");
    const profiles = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`anthropic:k${i}`, { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"x".repeat(40)}${i}` }]));
    await writePrivate(path, `${JSON.stringify({ version: 1, profiles }, null, 2)}\n`);
  });
  afterEach(() => cleanup());

  it(`makes at most ${FS_CALLS_PER_UPDATE} file system calls, one read and one write`, async () => {
    const store = createFileProfileStore({ path });
    let counter = 0;
    const update = () => store.update((current) => ({ data: { ...current, counter: ++counter }, result: undefined }));
    await update(); // the first update of a store object also looks for stale temp files
    const calls = await countFsCalls(async () => {
      await update();
    });
    expect(calls).toBeLessThanOrEqual(FS_CALLS_PER_UPDATE);
    expect((await store.read())["counter"]).toBe(2);
    await createFileProfileStore({ path }).update((current) => ({ data: { ...current, other: true }, result: undefined }));
    const afterOther = await countFsCalls(async () => {
      await update();
    });
    expect(afterOther).toBeLessThanOrEqual(FS_CALLS_PER_UPDATE_AFTER_ANOTHER_WRITER);
    expect(await store.read()).toMatchObject({ counter: 3, other: true });
  });
});
