import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { copyFixture, makeTempDir, runChild } from "./support.js";

const WORKERS = 8;
const UPDATES_PER_WORKER = 50;

describe(`${createFileProfileStore.name} across processes`, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    file = join(dir, "auth-profiles.json");
  });
  afterEach(() => cleanup());

  it("loses no update when 8 processes update one store 50 times each", { timeout: 300_000 }, async () => {
    await copyFixture("openclaw-extended.json", file);
    const results = await Promise.all(
      Array.from({ length: WORKERS }, () => runChild("counter-worker.ts", [file, String(UPDATES_PER_WORKER)])),
    );
    for (const result of results) {
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
    const data = await createFileProfileStore({ path: file }).read();
    expect(data["counter"]).toBe(WORKERS * UPDATES_PER_WORKER);
    expect(data["gatewayNote"]).toBe("written by a newer OpenClaw");
    expect(await readdir(dir)).toEqual(["auth-profiles.json"]);
  });
});
