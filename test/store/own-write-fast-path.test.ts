import { execFileSync } from "node:child_process";
import { lstat, open, readFile, rename, symlink, chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import type { StoreData } from "../../src/model/store.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { countFsCalls } from "../helpers/fs-calls.js";
import { makeTempDir, startChild, waitForExit, writePrivate } from "./support.js";

/**
 * An update that starts where this store object's last update left the file (same inode, size,
 * mtime and ctime, no auth-state.json) uses the document it wrote instead of reading the file
 * again. These tests attack that shortcut: every change by someone else must still be read.
 */
/** Sets a file's mtime to the nanosecond (Node's utimes rounds to what a double holds). */
function setMtimeNs(file: string, ns: bigint): void {
  execFileSync("touch", ["-m", "-d", `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, "0")}`, file]);
}

describe("the own-write fast path of file store updates", () => {
  let cleanup: () => Promise<void>;
  let dir: string;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    path = join(dir, "auth-profiles.json");
    const profiles = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`anthropic:k${i}`, { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"x".repeat(40)}${i}` }]));
    await writePrivate(path, `${JSON.stringify({ version: 1, profiles, note: "aaaa" }, null, 2)}\n`);
  });
  afterEach(() => cleanup());

  /** Every document a mutator was handed, in order: a stale one handed first would show here (the commit check would then catch it and run the mutator again). */
  let seen: StoreData[] = [];
  beforeEach(() => {
    seen = [];
  });
  const bump = (field: string) => (current: StoreData) => {
    seen.push(current);
    return { data: { ...current, [field]: (typeof current[field] === "number" ? current[field] : 0) + 1 }, result: current };
  };

  it("is taken after an own write: the mutator gets the very document written, and the file is not read", async () => {
    const store = createFileProfileStore({ path });
    const first = await store.update(bump("mine"));
    const second = await store.update(bump("mine"));
    expect(second.result).toBe(first.data);
    let fast = 0;
    const third = await (async () => {
      let out!: Awaited<ReturnType<typeof store.update<StoreData>>>;
      fast = await countFsCalls(async () => {
        out = await store.update(bump("mine"));
      });
      return out;
    })();
    expect(third.result).toBe(second.data);
    // Another store object (as another process would) writes: the next update reads the file.
    await createFileProfileStore({ path }).update(bump("theirs"));
    let full = 0;
    let fourth!: Awaited<ReturnType<typeof store.update<StoreData>>>;
    full = await countFsCalls(async () => {
      fourth = await store.update(bump("mine"));
    });
    expect(fourth.result).not.toBe(third.data);
    expect(fourth.result["theirs"]).toBe(1);
    // The read the fast path skips: open, fstat, read and close of the store (and the open of
    // auth-state.json, replaced by one lstat, and the lstat of the file that decides).
    expect(full - fast).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ mine: 4, theirs: 1, note: "aaaa" });
  });

  it("never loses the update of a second process that writes between two of our updates, or during them", async () => {
    const store = createFileProfileStore({ path });
    for (let round = 0; round < 3; round += 1) {
      await store.update(bump("mine"));
      const child = await waitForExit(startChild("counter-worker.ts", [path, "1"]));
      expect(child.code, child.stderr).toBe(0);
    }
    await store.update(bump("mine"));
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ mine: 4, counter: 3 });
    // Both at once, 25 updates each, the child in its own process.
    const running = waitForExit(startChild("counter-worker.ts", [path, "25"]));
    for (let i = 0; i < 25; i += 1) await store.update(bump("mine"));
    const child = await running;
    expect(child.code, child.stderr).toBe(0);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ mine: 29, counter: 28 });
  });

  it("reads a file that another inode replaced with the same size and mtime", async () => {
    const store = createFileProfileStore({ path });
    await store.update(bump("mine"));
    const text = await readFile(path, "utf8");
    const before = await lstat(path, { bigint: true });
    const replaced = text.replace('"note": "aaaa"', '"note": "bbbb"');
    expect(replaced.length).toBe(text.length);
    const temp = join(dir, "replacement.tmp");
    await writePrivate(temp, replaced);
    setMtimeNs(temp, before.mtimeNs);
    await rename(temp, path);
    const after = await lstat(path, { bigint: true });
    expect(after.size).toBe(before.size);
    expect(after.mtimeNs).toBe(before.mtimeNs);
    seen = [];
    const { result } = await store.update(bump("mine"));
    expect(result["note"]).toBe("bbbb");
    expect(seen.map((each) => each["note"])).toEqual(["bbbb"]);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ mine: 2, note: "bbbb" });
  });

  it("reads a file rewritten in place with the same size and its mtime put back", async () => {
    const store = createFileProfileStore({ path });
    await store.update(bump("mine"));
    const before = await lstat(path, { bigint: true });
    const text = await readFile(path, "utf8");
    const handle = await open(path, "r+");
    await handle.write(Buffer.from('"note": "cccc"'), 0, undefined, text.indexOf('"note": "aaaa"'));
    await handle.close();
    setMtimeNs(path, before.mtimeNs);
    const after = await lstat(path, { bigint: true });
    expect([after.ino, after.size, after.mtimeNs]).toEqual([before.ino, before.size, before.mtimeNs]);
    seen = [];
    const { result } = await store.update(bump("mine"));
    expect(result["note"]).toBe("cccc");
    expect(seen.map((each) => each["note"])).toEqual(["cccc"]);
  });

  it("never overwrites a file made unreadable after its own write (corrupted in place, mtime put back)", async () => {
    const store = createFileProfileStore({ path, parseRetryMs: 0 });
    await store.update(bump("mine"));
    const before = await lstat(path, { bigint: true });
    const text = await readFile(path, "utf8");
    const broken = `${"#".repeat(8)}${text.slice(8)}`;
    await writeFile(path, broken);
    setMtimeNs(path, before.mtimeNs);
    expect((await lstat(path, { bigint: true })).mtimeNs).toBe(before.mtimeNs);
    seen = [];
    const error = await store.update(bump("mine")).catch((e: unknown) => e);
    expect(isAuthProfilesError(error, "STORE_INVALID")).toBe(true);
    expect(seen).toEqual([]);
    expect(await readFile(path, "utf8")).toBe(broken);
  });

  it("never overwrites a file whose mode was widened, or that a symbolic link replaced, after its own write", async () => {
    const store = createFileProfileStore({ path });
    await store.update(bump("mine"));
    await chmod(path, 0o644);
    seen = [];
    const unsafe = await store.update(bump("mine")).catch((e: unknown) => e);
    expect(isAuthProfilesError(unsafe, "FILE_UNSAFE")).toBe(true);
    expect(seen).toEqual([]);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ mine: 1 });
    await chmod(path, 0o600);
    await store.update(bump("mine"));
    const target = join(dir, "elsewhere.json");
    await rename(path, target);
    await symlink(target, path);
    seen = [];
    const linked = await store.update(bump("mine")).catch((e: unknown) => e);
    expect(isAuthProfilesError(linked, "FILE_UNSAFE")).toBe(true);
    expect(seen).toEqual([]);
    expect(JSON.parse(await readFile(target, "utf8"))).toMatchObject({ mine: 2 });
  });

  it("checks the directory on every update, the fast one included", async () => {
    const store = createFileProfileStore({ path });
    await store.update(bump("mine"));
    await chmod(dir, 0o770);
    seen = [];
    try {
      const error = await store.update(bump("mine")).catch((e: unknown) => e);
      expect(isAuthProfilesError(error, "FILE_UNSAFE")).toBe(true);
      expect(seen).toEqual([]);
    } finally {
      await chmod(dir, 0o700);
    }
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ mine: 1 });
  });

  it("reads auth-state.json once it appears beside the store (OpenClaw 2026.4.7 took over)", async () => {
    const store = createFileProfileStore({ path });
    await store.update(bump("mine"));
    await writePrivate(join(dir, "auth-state.json"), `${JSON.stringify({ version: 1, lastGood: { anthropic: "anthropic:k3" } }, null, 2)}\n`);
    seen = [];
    const { result } = await store.update(bump("mine"));
    expect(result.lastGood).toEqual({ anthropic: "anthropic:k3" });
    expect(seen.map((each) => each.lastGood)).toEqual([{ anthropic: "anthropic:k3" }]);
  });

  describe("with auth-state.json beside the store (OpenClaw 2026.4.7+)", () => {
    let statePath: string;
    beforeEach(async () => {
      statePath = join(dir, "auth-state.json");
      await writePrivate(statePath, `${JSON.stringify({ version: 1, lastGood: { anthropic: "anthropic:k1" } }, null, 2)}\n`);
      // auth-profiles.json as an atomic writer leaves it (its ctime after its mtime): only such a
      // file, or one this store wrote, can be told from a later in-place write by its stat alone.
      setMtimeNs(path, (await lstat(path, { bigint: true })).mtimeNs - 1_000_000n);
    });
    const stamp = (at: number) => (current: StoreData) => {
      seen.push(current);
      return { data: { ...current, usageStats: { ...current.usageStats, "anthropic:k0": { ...current.usageStats?.["anthropic:k0"], lastUsed: at } } }, result: current };
    };

    it("is taken after an own split write, and the files are not read", async () => {
      const store = createFileProfileStore({ path });
      const first = await store.update(stamp(1));
      const second = await store.update(stamp(2));
      expect(second.result).toBe(first.data);
      const third = await store.update(stamp(3));
      expect(third.result).toBe(second.data);
      expect(JSON.parse(await readFile(statePath, "utf8"))).toMatchObject({ lastGood: { anthropic: "anthropic:k1" }, usageStats: { "anthropic:k0": { lastUsed: 3 } } });
      expect(JSON.parse(await readFile(path, "utf8"))).not.toHaveProperty("usageStats");
    });

    it("trusts an auth-profiles.json written in place once it has settled (its stat taken a second after its last change)", async () => {
      // Rewritten in place: mtime and ctime are the same instant, as a plain writer leaves them.
      await writeFile(path, await readFile(path, "utf8"));
      const written = await lstat(path, { bigint: true });
      expect(written.mtimeNs).toBe(written.ctimeNs);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const store = createFileProfileStore({ path });
      const first = await store.update(stamp(1)); // reads both files; only auth-state.json is written
      const second = await store.update(stamp(2));
      expect(second.result).toBe(first.data);
      expect((await lstat(path, { bigint: true })).ino).toBe(written.ino);
    });

    it("reads auth-state.json when only it was changed by another writer, and auth-profiles.json when only it was", async () => {
      const store = createFileProfileStore({ path });
      await store.update(stamp(1));
      const other = createFileProfileStore({ path });
      // Another writer records state only: auth-state.json alone changes.
      await other.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:k7" } }, result: undefined }));
      seen = [];
      await store.update(stamp(2));
      expect(seen.map((each) => each.lastGood)).toEqual([{ anthropic: "anthropic:k7" }]);
      // Another writer changes a credential only: auth-profiles.json alone changes.
      await other.update((current) => ({ data: { ...current, note: "dddd" }, result: undefined }));
      seen = [];
      await store.update(stamp(3));
      expect(seen.map((each) => each["note"])).toEqual(["dddd"]);
      expect(JSON.parse(await readFile(statePath, "utf8"))).toMatchObject({ lastGood: { anthropic: "anthropic:k7" }, usageStats: { "anthropic:k0": { lastUsed: 3 } } });
      expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ note: "dddd" });
    });

    it("never loses the updates of a second process on a split store", async () => {
      const store = createFileProfileStore({ path });
      const running = waitForExit(startChild("counter-worker.ts", [path, "25"]));
      for (let i = 0; i < 25; i += 1) await store.update(bump("mine"));
      const child = await running;
      expect(child.code, child.stderr).toBe(0);
      expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ mine: 25, counter: 25 });
    });

    it("never overwrites an auth-state.json corrupted in place after its own write (mtime put back)", async () => {
      const store = createFileProfileStore({ path, parseRetryMs: 0 });
      await store.update(stamp(1));
      const before = await lstat(statePath, { bigint: true });
      const text = await readFile(statePath, "utf8");
      const broken = `${"#".repeat(4)}${text.slice(4)}`;
      await writeFile(statePath, broken);
      setMtimeNs(statePath, before.mtimeNs);
      seen = [];
      const error = await store.update(stamp(2)).catch((e: unknown) => e);
      expect(isAuthProfilesError(error, "STORE_INVALID")).toBe(true);
      expect(seen).toEqual([]);
      expect(await readFile(statePath, "utf8")).toBe(broken);
    });
  });
});
