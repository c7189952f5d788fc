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
