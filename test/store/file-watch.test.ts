import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchFileChanges } from "../../src/io/file-watch.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
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
    const stops = Array.from({ length: 25 }, () => watchFileChanges(path, () => (seen += 1), { intervalMs: 20 }));
    await writeFile(path, "{}");
    await eventually(() => seen >= 25);
    for (const stop of stops) stop();
    await new Promise((r) => setImmediate(r));
    process.off("warning", onWarning);
    expect(seen).toBeGreaterThanOrEqual(25);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("reports a missing file's creation, each change, its removal and its return, and nothing after stop", async () => {
    const path = join(dir, "auth-state.json");
    const seen: boolean[] = [];
    const stop = watchFileChanges(path, (current) => void seen.push(current.ino !== 0), { intervalMs: 20, missingIntervalMs: 60, notify: true });
    const last = () => seen[seen.length - 1];
    try {
      await writeFile(path, "{}");
      await eventually(() => last() === true);
      let count = seen.length;
      await writeFile(path, '{"version":1}');
      await eventually(() => seen.length > count && last() === true);
      await unlink(path);
      await eventually(() => last() === false);
      count = seen.length;
      await writeFile(path, "{}");
      await eventually(() => seen.length > count && last() === true);
    } finally {
      stop();
    }
    const before = seen.length;
    await writeFile(path, "{ }");
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(before);
  });

  it("falls back to polling when the directory cannot be watched yet (it does not exist), and still reports the file", async () => {
    const later = join(dir, "later", "agent");
    const path = join(later, "auth-profiles.json");
    let seen = 0;
    const stop = watchFileChanges(path, () => void (seen += 1), { intervalMs: 20, notify: true });
    try {
      await mkdir(later, { recursive: true });
      await writeFile(path, "{}");
      await eventually(() => seen >= 1);
    } finally {
      stop();
    }
  });

  it("reports one change once, though the directory notification and the poll both see it", async () => {
    const path = join(dir, "auth-profiles.json");
    await writeFile(path, "{}");
    const seen: number[] = [];
    const stop = watchFileChanges(path, (current) => void seen.push(current.size), { intervalMs: 20, notify: true, notifiedIntervalMs: 50 });
    try {
      await writeFile(`${path}.tmp`, '{"version":1}');
      await rename(`${path}.tmp`, path);
      await eventually(() => seen.length >= 1);
      // The safety-net poll (every 50 ms here) has had many chances to see the same stat again.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(seen).toEqual([13]);
    } finally {
      stop();
    }
  });

  it.each([true, false])("a file store's watch sees another writer's change with watchNotifications %s", async (watchNotifications) => {
    const path = join(dir, "auth-profiles.json");
    await writeFile(path, '{"version":1,"profiles":{}}', { mode: 0o600 });
    const store = createFileProfileStore({ path, watchIntervalMs: 20, watchNotifications });
    let seen = 0;
    const stop = store.watch(() => void (seen += 1));
    try {
      await writeFile(`${path}.tmp`, '{"version":1,"profiles":{},"lastGood":{}}', { mode: 0o600 });
      await rename(`${path}.tmp`, path);
      await eventually(() => seen >= 1);
    } finally {
      stop();
      await store.close();
    }
  });
});
