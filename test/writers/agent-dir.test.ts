import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { agentStoreLocation } from "../../src/config/agent-location.js";
import { copyProfiles } from "../../src/writers/copy-profiles.js";
import { saveApiKey, saveToken } from "../../src/writers/save.js";
import { useClaudeCli } from "../../src/writers/use-claude-cli.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const KEY = "sk-ant-api03-AgentDirAgentDirAgentDirAgentDir0000";
const TOKEN = `sk-ant-oat01-${"A".repeat(90)}aaaa`;

let tmp: TmpHome;
let workDir: string;
beforeEach(async () => {
  tmp = await makeTmpHome({ createStateDir: true });
  workDir = join(tmp.home, "elsewhere", "work-agent");
  await writeFile(join(tmp.stateDir, "openclaw.json"), JSON.stringify({ agents: { list: [{ id: "work", agentDir: workDir }] } }, null, 2), { mode: 0o600 });
});
afterEach(() => tmp.cleanup());

const where = () => ({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {} });

describe(agentStoreLocation.name, () => {
  it("honours agents.list[].agentDir, and an explicit agentDir wins over it", () => {
    const config = { agents: { list: [{ id: "work", agentDir: workDir }] } };
    expect(agentStoreLocation({ agentId: "work", stateDir: tmp.stateDir, config }).storePath).toBe(join(workDir, "auth-profiles.json"));
    expect(agentStoreLocation({ agentId: "work", stateDir: tmp.stateDir, config, agentDir: "/x/y" }).storePath).toBe("/x/y/auth-profiles.json");
    expect(agentStoreLocation({ agentId: "other", stateDir: tmp.stateDir, config }).storePath).toBe(join(tmp.stateDir, "agents", "other", "agent", "auth-profiles.json"));
  });
});

describe("writers and the resolver agree on agents.list[].agentDir", () => {
  it("saveApiKey writes the store the resolver reads", async () => {
    const saved = await saveApiKey({ ...where(), agentId: "work", key: KEY });
    expect(saved.storePath).toBe(join(workDir, "auth-profiles.json"));
    const resolver = createAuthResolver({ ...where(), agentId: "work", claudeCli: false });
    try {
      const auth = await resolver.resolve();
      expect(auth.profileId).toBe("anthropic:default");
      expect(auth.secret).toBe(KEY);
      expect((await resolver.status()).storePath).toBe(saved.storePath);
    } finally {
      await resolver.close();
    }
  });

  it("saveToken, copyProfiles and useClaudeCli use the configured dir too", async () => {
    expect((await saveToken({ ...where(), agentId: "work", token: TOKEN })).storePath).toBe(join(workDir, "auth-profiles.json"));
    await saveApiKey({ ...where(), key: KEY });
    const copied = await copyProfiles({ ...where(), from: "main", to: "work" });
    expect(copied.toPath).toBe(join(workDir, "auth-profiles.json"));
    const store = JSON.parse(await readFile(join(workDir, "auth-profiles.json"), "utf8"));
    expect(Object.keys(store.profiles).sort()).toEqual(["anthropic:default", "anthropic:manual"]);
    const used = await useClaudeCli({ ...where(), agentId: "work", verify: false });
    expect(used.storePath).toBe(join(workDir, "auth-profiles.json"));
  });
});
