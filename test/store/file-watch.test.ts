import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchFileChanges } from "../../src/io/file-watch.js";
import { eventually } from "../helpers/eventually.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "watch-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe(watchFileChanges.name, () => {
  it("lets many watchers share one path without a listener-leak warning, and each is told of a change", async () => {
    const path = join(dir, "auth-profiles.json");
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on("warning", onWarning);
    let seen = 0;
    const stops = Array.from({ length: 25 }, () => watchFileChanges(path, () => (seen += 1), 20));
    await writeFile(path, "{}");
    await eventually(() => seen >= 25);
    for (const stop of stops) stop();
    await new Promise((r) => setImmediate(r));
    process.off("warning", onWarning);
    expect(seen).toBeGreaterThanOrEqual(25);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("with a slower rate for a missing file, still reports its creation, every change, its removal and its return", async () => {
    const path = join(dir, "auth-state.json");
    const seen: boolean[] = [];
    const stop = watchFileChanges(path, (current) => void seen.push(current.ino !== 0), 20, 60);
    try {
      await writeFile(path, "{}");
      await eventually(() => seen.length >= 1);
      expect(seen).toEqual([true]);
      await writeFile(path, '{"version":1}');
      await eventually(() => seen.length >= 2);
      await unlink(path);
      await eventually(() => seen.length >= 3);
      expect(seen.slice(0, 3)).toEqual([true, true, false]);
      await writeFile(path, "{}");
      await eventually(() => seen.length >= 4);
      expect(seen[3]).toBe(true);
    } finally {
      stop();
    }
    const before = seen.length;
    await writeFile(path, "{ }");
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(before);
  });
});
