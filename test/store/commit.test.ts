import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore, MAX_COMMIT_ATTEMPTS } from "../../src/store/file-store.js";
import { makeTempDir, writePrivate } from "./support.js";

describe("file store commit checks", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let path: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    path = join(dir, "auth-profiles.json");
    await writePrivate(path, `${JSON.stringify({ version: 1, profiles: {} }, null, 2)}\n`);
  });
  afterEach(() => cleanup());

  /** What a program that ignores the lock does: replace the file with its own version. */
  async function rewriteBehindTheLock(extra: Record<string, unknown>): Promise<void> {
    const current = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    await writeFile(`${path}.other`, JSON.stringify({ ...current, ...extra }), { mode: 0o600 });
    await rename(`${path}.other`, path);
  }

  it("re-reads and re-applies when the file was replaced after it was read, keeping the other write", async () => {
    const store = createFileProfileStore({ path });
    const seen: unknown[] = [];
    const { result } = await store.update(async (current) => {
      seen.push(current["outside"]);
      if (seen.length === 1) await rewriteBehindTheLock({ outside: "kept" });
      return { data: { ...current, mine: seen.length }, result: seen.length };
    });
    expect(result).toBe(2);
    expect(seen).toEqual([undefined, "kept"]);
    expect(await store.read()).toMatchObject({ outside: "kept", mine: 2 });
  });

  it(`gives up with STORE_LOCKED after ${MAX_COMMIT_ATTEMPTS} pre-empted commits, having written nothing`, async () => {
    const store = createFileProfileStore({ path });
    let runs = 0;
    const outcome = store.update(async (current) => {
      runs += 1;
      await rewriteBehindTheLock({ outside: runs });
      return { data: { ...current, mine: true }, result: undefined };
    });
    await expect(outcome).rejects.toMatchObject({ code: "STORE_LOCKED", details: { file: path, attempts: MAX_COMMIT_ATTEMPTS, reason: "changed" } });
    expect(runs).toBe(MAX_COMMIT_ATTEMPTS);
    const stored = await store.read();
    expect(stored["mine"]).toBeUndefined();
    expect(stored["outside"]).toBe(MAX_COMMIT_ATTEMPTS);
  });
});
