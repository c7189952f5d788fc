import { readFile, stat } from "node:fs/promises";
import { createSqliteProfileStore } from "../../src/sqlite/store.js";
import { describeProfileStoreContract } from "../helpers/store-contract.js";
import { agentDbPath, makeStateDir } from "./support.js";

describeProfileStoreContract("SQLite store (OpenClaw 2026.6 per-agent layout, better-sqlite3)", async () => {
  const { stateDir, cleanup } = await makeStateDir();
  const path = agentDbPath(stateDir);
  return {
    open: () => createSqliteProfileStore({ path, watchIntervalMs: 50, driver: "better-sqlite3" }),
    snapshot: async () => {
      const info = await stat(path).catch(() => null);
      return info === null ? null : { bytes: (await readFile(path)).toString("base64"), mtimeMs: info.mtimeMs };
    },
    dispose: cleanup,
  };
});

describeProfileStoreContract("SQLite store (OpenClaw shared openclaw.sqlite layout)", async () => {
  const { stateDir, cleanup } = await makeStateDir();
  const path = `${stateDir}/state/openclaw.sqlite`;
  return {
    open: () => createSqliteProfileStore({ path, watchIntervalMs: 50 }),
    dispose: cleanup,
  };
});
