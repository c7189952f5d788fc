import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_AGENT_ID,
  resolveAgentDir,
  resolveConfigPath,
  resolveStateDir,
  resolveStorePath,
  validateAgentId,
} from "../../src/config.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

let tmp: TmpHome;
beforeEach(async () => {
  tmp = await makeTmpHome();
});
afterEach(() => tmp.cleanup());

describe(resolveStateDir.name, () => {
  it("defaults to ~/.openclaw when nothing exists", () => {
    expect(resolveStateDir({ env: tmp.env, homeDir: tmp.home })).toBe(join(tmp.home, ".openclaw"));
  });

  it("uses ~/.clawdbot when only it exists", async () => {
    await mkdir(join(tmp.home, ".clawdbot"));
    expect(resolveStateDir({ env: tmp.env, homeDir: tmp.home })).toBe(join(tmp.home, ".clawdbot"));
  });

  it("prefers ~/.openclaw when both exist", async () => {
    await mkdir(join(tmp.home, ".clawdbot"));
    await mkdir(join(tmp.home, ".openclaw"));
    expect(resolveStateDir({ env: tmp.env, homeDir: tmp.home })).toBe(join(tmp.home, ".openclaw"));
  });

  it("takes OPENCLAW_STATE_DIR over CLAWDBOT_STATE_DIR over the home dirs", async () => {
    await mkdir(join(tmp.home, ".clawdbot"));
    const env = { OPENCLAW_STATE_DIR: "/srv/oc", CLAWDBOT_STATE_DIR: "/srv/cb" };
    expect(resolveStateDir({ env, homeDir: tmp.home })).toBe("/srv/oc");
    expect(resolveStateDir({ env: { CLAWDBOT_STATE_DIR: "/srv/cb" }, homeDir: tmp.home })).toBe("/srv/cb");
  });

  it("treats an empty or blank variable as unset", () => {
    const env = { OPENCLAW_STATE_DIR: "", CLAWDBOT_STATE_DIR: "  " };
    expect(resolveStateDir({ env, homeDir: tmp.home })).toBe(join(tmp.home, ".openclaw"));
  });

  it("expands ~ in the variable against the injected home dir", () => {
    expect(resolveStateDir({ env: { OPENCLAW_STATE_DIR: "~/custom" }, homeDir: tmp.home })).toBe(join(tmp.home, "custom"));
  });

  it("asks the injected exists check instead of the file system", () => {
    const seen: string[] = [];
    const exists = (path: string): boolean => {
      seen.push(path);
      return path === "/h/.clawdbot";
    };
    expect(resolveStateDir({ homeDir: "/h", exists })).toBe("/h/.clawdbot");
    expect(seen).toEqual(["/h/.openclaw", "/h/.clawdbot"]);
  });
});

describe(resolveConfigPath.name, () => {
  it("defaults to <stateDir>/openclaw.json", () => {
    expect(resolveConfigPath({ env: tmp.env, homeDir: tmp.home })).toBe(join(tmp.home, ".openclaw", "openclaw.json"));
  });

  it("uses clawdbot.json when only it exists", async () => {
    await mkdir(tmp.stateDir);
    await writeFile(join(tmp.stateDir, "clawdbot.json"), "{}");
    expect(resolveConfigPath({ env: tmp.env, homeDir: tmp.home })).toBe(join(tmp.stateDir, "clawdbot.json"));
  });

  it("prefers openclaw.json when both exist", async () => {
    await mkdir(tmp.stateDir);
    await writeFile(join(tmp.stateDir, "clawdbot.json"), "{}");
    await writeFile(join(tmp.stateDir, "openclaw.json"), "{}");
    expect(resolveConfigPath({ env: tmp.env, homeDir: tmp.home })).toBe(join(tmp.stateDir, "openclaw.json"));
  });

  it("finds clawdbot.json in a legacy ~/.clawdbot state dir", async () => {
    await mkdir(join(tmp.home, ".clawdbot"));
    await writeFile(join(tmp.home, ".clawdbot", "clawdbot.json"), "{}");
    expect(resolveConfigPath({ env: tmp.env, homeDir: tmp.home })).toBe(join(tmp.home, ".clawdbot", "clawdbot.json"));
  });

  it("follows the state dir variable and an explicit state dir", () => {
    expect(resolveConfigPath({ env: { OPENCLAW_STATE_DIR: "/srv/oc" }, homeDir: tmp.home })).toBe("/srv/oc/openclaw.json");
    expect(resolveConfigPath({ env: tmp.env, homeDir: tmp.home, stateDir: "/x/state" })).toBe("/x/state/openclaw.json");
  });

  it("looks for clawdbot.json inside the state dir named by the env", async () => {
    const custom = join(tmp.home, "custom-state");
    await mkdir(custom);
    await writeFile(join(custom, "clawdbot.json"), "{}");
    expect(resolveConfigPath({ env: { CLAWDBOT_STATE_DIR: custom }, homeDir: tmp.home })).toBe(join(custom, "clawdbot.json"));
  });

  it("takes OPENCLAW_CONFIG_PATH over CLAWDBOT_CONFIG_PATH over the state dir", () => {
    const env = { OPENCLAW_CONFIG_PATH: "/etc/oc.json5", CLAWDBOT_CONFIG_PATH: "/etc/cb.json", OPENCLAW_STATE_DIR: "/srv/oc" };
    expect(resolveConfigPath({ env, homeDir: tmp.home, stateDir: "/x" })).toBe("/etc/oc.json5");
    expect(resolveConfigPath({ env: { CLAWDBOT_CONFIG_PATH: "/etc/cb.json" }, homeDir: tmp.home })).toBe("/etc/cb.json");
  });
});

describe(resolveAgentDir.name, () => {
  const stateDir = "/srv/state";

  it("defaults to <stateDir>/agents/main/agent", () => {
    expect(DEFAULT_AGENT_ID).toBe("main");
    expect(resolveAgentDir({ stateDir })).toBe("/srv/state/agents/main/agent");
    expect(resolveAgentDir({ stateDir, agentId: "work" })).toBe("/srv/state/agents/work/agent");
  });

  it("lower-cases the agent id for its directory, as OpenClaw does", () => {
    expect(resolveAgentDir({ stateDir, agentId: "Work" })).toBe("/srv/state/agents/work/agent");
    expect(resolveAgentDir({ stateDir, agentId: "Team_A.1" })).toBe("/srv/state/agents/team_a-1/agent");
  });

  it("uses OPENCLAW_AGENT_DIR, then CLAWDBOT_AGENT_DIR, for the default agent", () => {
    const env = { OPENCLAW_AGENT_DIR: "/a/oc", CLAWDBOT_AGENT_DIR: "/a/cb" };
    expect(resolveAgentDir({ stateDir, env })).toBe("/a/oc");
    expect(resolveAgentDir({ stateDir, env: { CLAWDBOT_AGENT_DIR: "/a/cb" } })).toBe("/a/cb");
  });

  it("never points another agent at the default agent's env dir", () => {
    expect(resolveAgentDir({ stateDir, agentId: "work", env: { OPENCLAW_AGENT_DIR: "/a/oc" } })).toBe("/srv/state/agents/work/agent");
  });

  it("uses the agent's agentDir from agents.list[], over the env variable", () => {
    const config = { agents: { list: [{ id: "main", agentDir: "~/bots/main" }, { id: "work", agentDir: "/w" }] } };
    const env = { OPENCLAW_AGENT_DIR: "/a/oc" };
    expect(resolveAgentDir({ stateDir, config, env, homeDir: tmp.home })).toBe(join(tmp.home, "bots/main"));
    expect(resolveAgentDir({ stateDir, config, agentId: "work" })).toBe("/w");
    expect(resolveAgentDir({ stateDir, config, agentId: "other" })).toBe("/srv/state/agents/other/agent");
  });

  it("lets the agentDir option win over everything", () => {
    const config = { agents: { list: [{ id: "main", agentDir: "/from-config" }] } };
    expect(resolveAgentDir({ stateDir, config, env: { OPENCLAW_AGENT_DIR: "/a" }, agentDir: "/explicit" })).toBe("/explicit");
  });

  it("refuses to expand ~ without a home dir", () => {
    expect(() => resolveAgentDir({ stateDir, agentDir: "~/x" })).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it.each([
    ["", "main"],
    ["..", "main"],
    [".", "main"],
    ["../main", "main"],
    ["a/b", "a-b"],
    ["a\\b", "a-b"],
    [".hidden", "hidden"],
    ["x\0y", "x-y"],
    ["a b", "a-b"],
    ["x".repeat(129), "x".repeat(64)],
  ])("maps the agent id %j to agents/%s as OpenClaw does, never outside agents/", (agentId, dir) => {
    expect(resolveAgentDir({ stateDir, agentId })).toBe(`/srv/state/agents/${dir}/agent`);
  });
});

describe(validateAgentId.name, () => {
  it.each(["main", "work", "Work_2", "a.b-c", "0"])("accepts %j", (agentId) => {
    expect(validateAgentId(agentId)).toBe(agentId);
  });
});

describe(resolveStorePath.name, () => {
  it("is <agentDir>/auth-profiles.json", () => {
    expect(resolveStorePath("/srv/state/agents/main/agent")).toBe("/srv/state/agents/main/agent/auth-profiles.json");
  });
});
