import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { agentDbPath, makeStateDir, readRow, writeOpenClawAgentDb } from "./support.js";

const ENV_KEY = "sk-ant-api03-SQLITEREF-ssssssssssssssssssssssssssssssssS555";
const STORE_TEXT = JSON.stringify({
  version: 1,
  profiles: { "anthropic:ref": { type: "api_key", provider: "anthropic", keyRef: { source: "env", provider: "default", id: "SQLITE_KEY" } } },
});

let stateDir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ stateDir, cleanup } = await makeStateDir());
});
afterEach(() => cleanup());

describe("secret references in OpenClaw's SQLite store (2026.6+)", () => {
  it("resolve like the file store's, and the credentials row keeps the reference byte for byte", async () => {
    const path = agentDbPath(stateDir);
    await writeOpenClawAgentDb(path, STORE_TEXT, null);
    const resolver = createAuthResolver({ stateDir, env: { SQLITE_KEY: ENV_KEY }, configPath: false, claudeCli: false });
    try {
      expect(await resolver.resolve()).toMatchObject({ profileId: "anthropic:ref", mode: "api_key", secret: ENV_KEY });
      await resolver.reportFailure("anthropic:ref", { status: 429 });
      await resolver.flush();
    } finally {
      await resolver.close();
    }
    expect(readRow(path, "auth_profile_store")).toBe(STORE_TEXT);
    const state = readRow(path, "auth_profile_state") ?? "";
    expect(JSON.parse(state).usageStats["anthropic:ref"]).toMatchObject({ errorCount: 1 });
    expect(state).not.toContain(ENV_KEY);
  });
});
