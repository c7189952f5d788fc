import { chmod, mkdir, readdir, readFile, stat, symlink, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import type { StoreData } from "../../src/model/store.js";
import { copyFixture, makeTempDir, runChild, writePrivate } from "./support.js";

const SECRET_TAIL = "FIXTUREfixtureFIXTUREfixture";

describe(createFileProfileStore.name, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    file = join(dir, "auth-profiles.json");
  });
  afterEach(() => cleanup());

  describe("read", () => {
    it("reads a missing store as an empty one", async () => {
      const store = createFileProfileStore({ path: file });
      await expect(store.read()).resolves.toEqual({ version: 1, profiles: {} });
    });

    it("reads OpenClaw's store", async () => {
      await copyFixture("openclaw-extended.json", file);
      const data = await createFileProfileStore({ path: file }).read();
      expect(Object.keys(data.profiles)).toEqual(["anthropic:default", "anthropic:manual", "anthropic:me@example.com", "openai:future"]);
      expect(data.order).toEqual({ anthropic: ["anthropic:manual", "anthropic:default"] });
    });

    it("retries a store caught half written and reads it once it is whole", async () => {
      await writePrivate(file, '{"version": 1, "prof');
      const store = createFileProfileStore({ path: file, parseRetryMs: 1_500 });
      const reading = store.read();
      await sleep(200);
      await writePrivate(file, '{"version": 1, "profiles": {}, "lastGood": {"anthropic": "anthropic:x"}}');
      await expect(reading).resolves.toMatchObject({ lastGood: { anthropic: "anthropic:x" } });
    });

    it("reports a store that stays broken as STORE_INVALID", async () => {
      await copyFixture("truncated.json", file);
      await expect(createFileProfileStore({ path: file, parseRetryMs: 30 }).read()).rejects.toMatchObject({
        code: "STORE_INVALID",
        details: { file, reason: "syntax" },
      });
    });

    it("refuses a group-readable store with the chmod hint, unless allowed", async () => {
      await copyFixture("openclaw-extended.json", file);
      await chmod(file, 0o640);
      await expect(createFileProfileStore({ path: file }).read()).rejects.toMatchObject({
        code: "FILE_UNSAFE",
        hint: expect.stringContaining(`chmod 600 ${file}`),
      });
      const data = await createFileProfileStore({ path: file, allowUnsafePermissions: true }).read();
      expect(data.version).toBe(1);
    });

    it("refuses a symlinked store path", async () => {
      const real = join(dir, "real.json");
      await copyFixture("openclaw-extended.json", real);
      await symlink(real, file);
      await expect(createFileProfileStore({ path: file, allowUnsafePermissions: true }).read()).rejects.toMatchObject({
        code: "FILE_UNSAFE",
        details: { reason: "symlink" },
      });
    });

    it("refuses a store in a world-writable directory", async () => {
      const open = join(dir, "open");
      await mkdir(open);
      await chmod(open, 0o777);
      const inOpen = join(open, "auth-profiles.json");
      await copyFixture("openclaw-extended.json", inOpen);
      await expect(createFileProfileStore({ path: inOpen }).read()).rejects.toMatchObject({
        code: "FILE_UNSAFE",
        hint: expect.stringContaining(`chmod 700 ${open}`),
      });
    });
  });

  describe("update", () => {
    it("rewrites OpenClaw's store keeping every unknown field, in 2-space JSON", async () => {
      await copyFixture("openclaw-extended.json", file);
      const before = JSON.parse(await readFile(file, "utf8")) as StoreData;
      const store = createFileProfileStore({ path: file });
      const { result, data } = await store.update((current) => ({
        data: { ...current, lastGood: { ...current.lastGood, anthropic: "anthropic:default" } },
        result: "ok",
      }));
      expect(result).toBe("ok");
      const text = await readFile(file, "utf8");
      expect(text).toBe(`${JSON.stringify({ ...before, lastGood: { anthropic: "anthropic:default" } }, null, 2)}\n`);
      expect(JSON.parse(text)).toEqual(data);
      expect(JSON.parse(text).profiles["openai:future"]).toEqual(before.profiles["openai:future"]);
    });

    it("creates a missing store 0600 in a new 0700 directory", async () => {
      const nested = join(dir, "agents", "main", "agent", "auth-profiles.json");
      const store = createFileProfileStore({ path: nested });
      await store.update((current) => ({
        data: { ...current, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: "k" } } },
        result: undefined,
      }));
      expect((await stat(nested)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, "agents", "main", "agent"))).mode & 0o777).toBe(0o700);
      expect(await readdir(join(dir, "agents", "main", "agent"))).toEqual(["auth-profiles.json"]);
    });

    it("writes nothing when the mutator returns no data", async () => {
      const store = createFileProfileStore({ path: file });
      const outcome = await store.update(() => ({ result: 42 }));
      expect(outcome).toEqual({ result: 42, data: { version: 1, profiles: {} } });
      expect(await readdir(dir)).toEqual([]);
    });

    it("does not touch the file when the document is unchanged", async () => {
      await copyFixture("openclaw-extended.json", file);
      const before = await stat(file);
      await createFileProfileStore({ path: file }).update((current) => ({ data: { ...current }, result: undefined }));
      const after = await stat(file);
      expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    });

    it.each([
      ["truncated JSON", "truncated.json", "syntax"],
      ["a number JSON cannot hold (1e309)", "non-finite.json", "non_finite"],
      ["version 2", "version-2.json", "version"],
    ])("never overwrites a store with %s", async (_label, fixture, reason) => {
      await copyFixture(fixture, file);
      const before = await readFile(file);
      let called = false;
      const store = createFileProfileStore({ path: file, parseRetryMs: 0 });
      const update = store.update(() => {
        called = true;
        return { data: { version: 1, profiles: {} }, result: undefined };
      });
      await expect(update).rejects.toMatchObject({ code: "STORE_INVALID", message: expect.stringContaining(file), details: { file, reason } });
      expect(called).toBe(false);
      expect((await readFile(file)).equals(before)).toBe(true);
      expect(await readdir(dir)).toEqual(["auth-profiles.json"]);
    });

    it("keeps an entry it cannot use byte for byte when it rewrites the store", async () => {
      await copyFixture("wrong-types.json", file);
      const before = await readFile(file, "utf8");
      const store = createFileProfileStore({ path: file });
      const { data } = await store.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:other" } }, result: undefined }));
      expect(data.profiles["anthropic:work"]).toBeUndefined();
      const after = await readFile(file, "utf8");
      expect(after).toContain(before.slice(before.indexOf('"anthropic:work"'), before.lastIndexOf("}", before.lastIndexOf("}") - 1)));
      expect(JSON.parse(after)).toEqual({ ...JSON.parse(before), lastGood: { anthropic: "anthropic:other" } });
    });

    it("refuses to write a document the mutator broke", async () => {
      await copyFixture("openclaw-extended.json", file);
      const before = await readFile(file);
      const broken = { version: 1, profiles: { "anthropic:x": { type: "api_key", provider: "anthropic" } } } as unknown as StoreData;
      await expect(createFileProfileStore({ path: file }).update(() => ({ data: broken, result: undefined }))).rejects.toMatchObject({
        code: "STORE_INVALID",
        details: { jsonPath: 'profiles["anthropic:x"].key' },
      });
      expect((await readFile(file)).equals(before)).toBe(true);
    });

    it("does not write through a group-readable store", async () => {
      await copyFixture("openclaw-extended.json", file);
      await chmod(file, 0o644);
      const before = await readFile(file);
      await expect(
        createFileProfileStore({ path: file }).update((current) => ({ data: { ...current, x: 1 }, result: undefined })),
      ).rejects.toMatchObject({ code: "FILE_UNSAFE" });
      expect((await readFile(file)).equals(before)).toBe(true);
    });

    it("tightens a store it was allowed to read loosely to 0600", async () => {
      await copyFixture("openclaw-extended.json", file);
      await chmod(file, 0o644);
      await createFileProfileStore({ path: file, allowUnsafePermissions: true }).update((current) => ({
        data: { ...current, x: 1 },
        result: undefined,
      }));
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });

    it("removes temp files a crashed writer left behind, and only old ones", async () => {
      await copyFixture("openclaw-extended.json", file);
      const old = `${file}.123456789`;
      const fresh = `${file}.987654321`;
      const other = `${file}.bak`;
      for (const path of [old, fresh, other]) await writePrivate(path, "{");
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(old, hourAgo, hourAgo);
      await utimes(other, hourAgo, hourAgo);
      await createFileProfileStore({ path: file, lockStaleMs: 2_000 }).update(() => ({ result: undefined }));
      expect((await readdir(dir)).sort()).toEqual(["auth-profiles.json", "auth-profiles.json.987654321", "auth-profiles.json.bak"]);
    });

    it("runs concurrent updates of one store object one after another", async () => {
      const store = createFileProfileStore({ path: file });
      const other = createFileProfileStore({ path: file });
      const increment = (current: StoreData) => {
        const counter = typeof current["counter"] === "number" ? current["counter"] : 0;
        return { data: { ...current, counter: counter + 1 }, result: counter + 1 };
      };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? other : store).update(increment)));
      expect(results.map((r) => r.result).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.read())["counter"]).toBe(20);
      expect(await readdir(dir)).toEqual(["auth-profiles.json"]);
    });

    it("keeps working after a failed mutator", async () => {
      const store = createFileProfileStore({ path: file });
      await expect(store.update(() => Promise.reject(new Error("mutator failed")))).rejects.toThrow("mutator failed");
      await store.update((current) => ({ data: { ...current, ok: true }, result: undefined }));
      expect((await store.read())["ok"]).toBe(true);
      expect(await readdir(dir)).toEqual(["auth-profiles.json"]);
    });
  });

  describe("watch", () => {
    it("fires after another process rewrites the store, and stops on close", async () => {
      await copyFixture("openclaw-extended.json", file);
      const store = createFileProfileStore({ path: file, watchIntervalMs: 50 });
      let calls = 0;
      const changed = new Promise<void>((resolve) => {
        store.watch(() => {
          calls += 1;
          resolve();
        });
      });
      const child = await runChild("rewrite-store.ts", [file, "anthropic:from-child"]);
      expect(child.code).toBe(0);
      await changed;
      expect((await store.read()).lastGood).toEqual({ anthropic: "anthropic:from-child" });

      await store.close();
      await store.close();
      const seen = calls;
      await writePrivate(file, '{"version": 1, "profiles": {}, "after": "close"}');
      await sleep(300);
      expect(calls).toBe(seen);
    });

    it("fires when the store is created, and the returned function stops it", async () => {
      const store = createFileProfileStore({ path: file, watchIntervalMs: 50 });
      const created = new Promise<void>((resolve) => {
        const stop = store.watch(() => {
          stop();
          resolve();
        });
      });
      await sleep(100);
      await store.update((current) => ({ data: { ...current, created: true }, result: undefined }));
      await created;
      await store.close();
    });

    it("with ignoreOwnWrites, skips its own updates but still reports anyone else's write", async () => {
      await copyFixture("openclaw-extended.json", file);
      const store = createFileProfileStore({ path: file, watchIntervalMs: 20 });
      let calls = 0;
      store.watch(() => (calls += 1), { ignoreOwnWrites: true });
      await sleep(60);
      for (let i = 0; i < 3; i += 1) {
        await store.update((current) => ({ data: { ...current, own: i }, result: undefined }));
        await sleep(60);
      }
      expect(calls).toBe(0);
      await writePrivate(file, '{"version": 1, "profiles": {}, "other": true}');
      for (let i = 0; i < 50 && calls === 0; i += 1) await sleep(20);
      expect(calls).toBeGreaterThan(0);
      await store.close();
    });

    it("survives a callback that throws and warns through the logger", async () => {
      const warnings: string[] = [];
      const store = createFileProfileStore({ path: file, watchIntervalMs: 50, logger: { warn: (m: string) => warnings.push(m) } });
      const fired = new Promise<void>((resolve) => {
        store.watch(() => {
          resolve();
          throw new Error("listener bug");
        });
      });
      await sleep(100);
      await writePrivate(file, '{"version": 1, "profiles": {}}');
      await fired;
      await store.close();
      expect(warnings[0]).toContain("listener bug");
    });
  });

  it("shows no secret in JSON.stringify or inspect", async () => {
    await copyFixture("openclaw-extended.json", file);
    const store = createFileProfileStore({ path: file });
    await store.read();
    await store.update((current) => ({ data: { ...current, touched: true }, result: undefined }));
    expect(JSON.parse(JSON.stringify(store))).toEqual({ path: file, statePath: join(dirname(file), "auth-state.json") });
    expect(inspect(store, { depth: 10, showHidden: true })).not.toContain(SECRET_TAIL);
  });

  it("resolves a relative path and rejects bad options", () => {
    expect(createFileProfileStore({ path: "x/auth-profiles.json" }).path).toBe(join(process.cwd(), "x/auth-profiles.json"));
    expect(() => createFileProfileStore({ path: " " })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => createFileProfileStore({ path: file, lockWaitMs: -1 })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
