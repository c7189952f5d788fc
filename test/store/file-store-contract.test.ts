import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { describeProfileStoreContract } from "../helpers/store-contract.js";
import { makeTempDir } from "./support.js";

describeProfileStoreContract("file store", async () => {
  const { dir, cleanup } = await makeTempDir();
  const path = join(dir, "auth-profiles.json");
  return {
    open: () => createFileProfileStore({ path, watchIntervalMs: 50 }),
    snapshot: async () => {
      const info = await stat(path).catch(() => null);
      return info === null ? null : { text: await readFile(path, "utf8"), mtimeMs: info.mtimeMs, ino: info.ino };
    },
    dispose: cleanup,
  };
});

// OpenClaw ≥ 2026.4.7's split: state in auth-state.json beside the store (created on first write).
describeProfileStoreContract("file store split with auth-state.json (OpenClaw 2026.4.12)", async () => {
  const { dir, cleanup } = await makeTempDir();
  const path = join(dir, "auth-profiles.json");
  const files = [path, join(dir, "auth-state.json")];
  return {
    open: () => createFileProfileStore({ path, watchIntervalMs: 50, openclawVersion: "2026.4.12" }),
    snapshot: async () =>
      Promise.all(
        files.map(async (file) => {
          const info = await stat(file).catch(() => null);
          return info === null ? null : { text: await readFile(file, "utf8"), mtimeMs: info.mtimeMs, ino: info.ino };
        }),
      ),
    dispose: cleanup,
  };
});
