import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HINTS, hintStep, type HintCommands, type HintId } from "../../src/model/hints.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { buildAuthStatus } from "../../src/status/build.js";
import { checkAuthStatus } from "../../src/status/check.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { saveApiKey, saveToken } from "../../src/writers/save.js";
import { useClaudeCli } from "../../src/writers/use-claude-cli.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const SRC = new URL("../../src/", import.meta.url).pathname;
const KEY = "sk-ant-api03-HintHintHintHintHintHintHintHint000000";
const TOKEN = `sk-ant-oat01-${"P".repeat(90)}pppp`;
const NOW = 1_767_000_000_000;

const COMMANDS: HintCommands = {
  saveApiKey: "mybot auth add-key",
  pasteToken: "mybot auth paste",
  clearCooldown: "mybot auth unfreeze",
  removeProfile: "mybot auth rm",
  status: "mybot auth list",
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith(".ts") ? [join(dir, e.name)] : []))));
  return nested.flat();
}

describe("hint table", () => {
  it("no library source tells users to run this repository's `npm run cli`", async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) if ((await readFile(file, "utf8")).includes("npm run cli")) offenders.push(file);
    expect(offenders).toEqual([]);
  });

  it("every hint names the bot's command when given, the library call otherwise", () => {
    for (const id of Object.keys(HINTS) as HintId[]) {
      const custom = HINTS[id]({ agentId: "work", profileId: "anthropic:x" }, COMMANDS);
      expect(custom, id).toMatch(/`mybot auth [a-z-]+[^`]*--agent work`/);
      const neutral = HINTS[id]({ agentId: "work", profileId: "anthropic:x" }, undefined);
      expect(neutral, id).not.toContain("mybot");
      expect(neutral, id).toMatch(/\b(saveApiKey|saveToken|resolver\.clearCooldown|removeProfile|resolver\.status)\(/);
    }
  });

  it("appends the profile id and --agent to string commands, and lets a function write the whole line", () => {
    expect(hintStep("clearCooldown", { agentId: "work", profileId: "anthropic:a" }, COMMANDS)).toBe("`mybot auth unfreeze anthropic:a --agent work`");
    expect(hintStep("pasteToken", { agentId: "main", profileId: "anthropic:manual" }, COMMANDS)).toBe("`mybot auth paste`");
    expect(hintStep("pasteToken", { agentId: "main", profileId: "anthropic:me" }, COMMANDS)).toBe("`mybot auth paste --profile-id anthropic:me`");
    expect(hintStep("status", { agentId: "ops" }, { status: (a) => `/status agent=${a.agentId ?? ""}` })).toBe("`/status agent=ops`");
  });
});

describe("commands given once reach every hint", () => {
  let tmp: TmpHome;
  beforeEach(async () => {
    tmp = await makeTmpHome();
  });
  afterEach(() => tmp.cleanup());
  const where = () => ({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, commands: COMMANDS });

  async function hintOf(promise: Promise<unknown>): Promise<{ code: string; hint: string }> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!isAuthProfilesError(error)) throw new Error(`expected an AuthProfilesError, got ${String(error)}`);
    return { code: error.code, hint: error.hint ?? "" };
  }

  it("in resolver errors: NO_API_KEY, NO_CREDENTIALS, NO_AVAILABLE_PROFILE", async () => {
    const resolver = createAuthResolver({ ...where(), agentId: "work", claudeCli: false, now: () => NOW });
    try {
      expect(await hintOf(resolver.resolve())).toMatchObject({ code: "NO_API_KEY", hint: expect.stringContaining("`mybot auth add-key --agent work`") });
      expect(await hintOf(resolver.resolve({ profileId: "anthropic:nope" }))).toMatchObject({ code: "NO_CREDENTIALS", hint: expect.stringContaining("`mybot auth paste --profile-id anthropic:nope --agent work`") });
    } finally {
      await resolver.close();
    }
    await saveApiKey({ ...where(), agentId: "work", key: KEY });
    const again = createAuthResolver({ ...where(), agentId: "work", claudeCli: false, halfOpen: false, now: () => NOW });
    try {
      await again.reportFailure("anthropic:default", { status: 402, message: "credit balance is too low" });
      expect(await hintOf(again.resolve())).toMatchObject({ code: "NO_AVAILABLE_PROFILE", hint: expect.stringContaining("`mybot auth unfreeze anthropic:default --agent work`") });
      const status = await again.status();
      const row = status.auth.providers[0]?.entries.find((r) => r.profileId === "anthropic:default");
      expect(row?.action).toContain("`mybot auth unfreeze anthropic:default --agent work`");
      expect(formatAuthStatus(status)).toContain("mybot auth unfreeze anthropic:default --agent work");
    } finally {
      await again.close();
    }
  });

  it("in writer errors: TOKEN_INVALID, API_KEY_INVALID for a token, CLAUDE_CLI_EXPIRED", async () => {
    expect(await hintOf(saveToken({ ...where(), token: "sk-ant-oat01-short" }))).toMatchObject({ code: "TOKEN_INVALID", hint: expect.stringContaining("`mybot auth paste`") });
    expect(await hintOf(saveApiKey({ ...where(), agentId: "work", key: TOKEN }))).toMatchObject({ code: "API_KEY_INVALID", hint: expect.stringContaining("`mybot auth paste --agent work`") });
    const cli = await hintOf(useClaudeCli({ ...where(), credentialsPath: join(tmp.home, "no-such", ".credentials.json"), keychain: false }));
    expect(cli).toMatchObject({ code: "CLAUDE_CLI_EXPIRED", hint: expect.stringContaining("`mybot auth paste`") });
  });

  it("in status rows, the missing line and --check lines, for the report's agent", () => {
    const data = {
      version: 1 as const,
      profiles: { "anthropic:manual": { type: "token", provider: "anthropic", token: TOKEN, expires: NOW - 1000 } },
    };
    const status = buildAuthStatus({ agentId: "work", configPath: null, storePath: "/s/auth-profiles.json", config: {}, data, env: {}, now: NOW, claudeCli: null, commands: COMMANDS });
    const text = formatAuthStatus(status);
    expect(text).toContain("`mybot auth paste --agent work`");
    expect(text).not.toContain("npm run cli");
    const check = checkAuthStatus(status);
    expect(check.exitCode).toBe(1);
    for (const line of check.problems) expect(line).toContain("--agent work");
    const neutral = buildAuthStatus({ agentId: "work", configPath: null, storePath: "/s/auth-profiles.json", config: {}, data: { version: 1, profiles: {} }, env: {}, now: NOW, claudeCli: null });
    expect(neutral.auth.providers[0]?.effective.detail).toContain('saveApiKey({ agentId: "work", key })');
  });
});
