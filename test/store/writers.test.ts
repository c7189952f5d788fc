import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { copyProfiles } from "../../src/writers/copy-profiles.js";
import { saveApiKey, saveToken } from "../../src/writers/save.js";
import { useClaudeCli } from "../../src/writers/use-claude-cli.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const KEY = "sk-ant-api03-WWWWwwwwWWWWwwwwWWWWwwwwWWWWwwww9999";
const TOKEN = `sk-ant-oat01-${"T".repeat(90)}tttt`;

let tmp: TmpHome;
let where: { stateDir: string; homeDir: string; env: Record<string, string | undefined> };
beforeEach(async () => {
  tmp = await makeTmpHome();
  where = { stateDir: tmp.stateDir, homeDir: tmp.home, env: {} };
});
afterEach(() => tmp.cleanup());

const storeOf = async (agent = "main") => JSON.parse(await readFile(join(tmp.stateDir, "agents", agent, "agent", "auth-profiles.json"), "utf8"));
const configOf = async () => JSON.parse(await readFile(join(tmp.stateDir, "openclaw.json"), "utf8"));

describe(saveApiKey.name, () => {
  it("stores the key as anthropic:default (0600 in 0700) and records the profile in the config", async () => {
    const result = await saveApiKey({ ...where, key: `  ${KEY}\n` });
    expect(result.profileId).toBe("anthropic:default");
    expect((await storeOf()).profiles["anthropic:default"]).toEqual({ type: "api_key", provider: "anthropic", key: KEY });
    expect((await configOf()).auth.profiles["anthropic:default"]).toEqual({ provider: "anthropic", mode: "api_key" });
    expect((await stat(result.storePath)).mode & 0o777).toBe(0o600);
    expect((await stat(join(result.storePath, ".."))).mode & 0o777).toBe(0o700);
  });

  it("refuses a setup-token given as an API key", async () => {
    const error = await saveApiKey({ ...where, key: TOKEN }).catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("API_KEY_INVALID");
    expect(JSON.stringify(error)).not.toContain("TTTTTTTTTTTT");
  });

  it("moves the id first in an existing auth.order and keeps other config keys", async () => {
    await mkdir(tmp.stateDir, { recursive: true });
    await writeFile(join(tmp.stateDir, "openclaw.json"), JSON.stringify({ gateway: { port: 1 }, auth: { order: { anthropic: ["anthropic:x"] } } }));
    await saveApiKey({ ...where, key: KEY, profileId: "anthropic:work" });
    const config = await configOf();
    expect(config.gateway).toEqual({ port: 1 });
    expect(config.auth.order.anthropic).toEqual(["anthropic:work", "anthropic:x"]);
  });
});

describe(saveToken.name, () => {
  it("stores a validated setup-token as a static token with an optional expiry", async () => {
    await saveToken({ ...where, token: TOKEN, expiresAt: 1_900_000_000_000 });
    expect((await storeOf()).profiles["anthropic:manual"]).toEqual({ type: "token", provider: "anthropic", token: TOKEN, expires: 1_900_000_000_000 });
    expect((await configOf()).auth.profiles["anthropic:manual"].mode).toBe("token");
  });

  it("rejects a bad token with TOKEN_INVALID and writes nothing", async () => {
    const error = await saveToken({ ...where, token: "abc#def" }).catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("TOKEN_INVALID");
    await expect(storeOf()).rejects.toThrow();
  });
});

describe(copyProfiles.name, () => {
  it("copies keys and tokens to another agent, skips OAuth logins and existing ids", async () => {
    await saveApiKey({ ...where, key: KEY });
    await saveToken({ ...where, token: TOKEN });
    const mainStore = join(tmp.stateDir, "agents", "main", "agent", "auth-profiles.json");
    const data = JSON.parse(await readFile(mainStore, "utf8"));
    data.profiles["anthropic:me"] = { type: "oauth", provider: "anthropic", access: TOKEN, refresh: "sk-ant-ort01-rrrrrrrrrrrrrrrrrrrr", expires: 1 };
    await writeFile(mainStore, JSON.stringify(data), { mode: 0o600 });
    await saveApiKey({ ...where, key: KEY, agentId: "work", profileId: "anthropic:manual2" });

    const result = await copyProfiles({ ...where, from: "main", to: "work" });
    expect([...result.copied].sort()).toEqual(["anthropic:default", "anthropic:manual"]);
    expect(result.skipped).toEqual([{ profileId: "anthropic:me", reason: "oauth" }]);
    const work = await storeOf("work");
    expect(Object.keys(work.profiles).sort()).toEqual(["anthropic:default", "anthropic:manual", "anthropic:manual2"]);

    const again = await copyProfiles({ ...where, from: "main", to: "work", profileIds: ["anthropic:default"] });
    expect(again.skipped).toEqual([{ profileId: "anthropic:default", reason: "exists" }]);
  });
});

describe(useClaudeCli.name, () => {
  it("registers anthropic:claude-cli with mode oauth after checking the login, without copying it", async () => {
    const claudeDir = join(tmp.home, "claude");
    await mkdir(claudeDir, { recursive: true });
    await writeFile(
      join(claudeDir, ".credentials.json"),
      JSON.stringify({ claudeAiOauth: { accessToken: TOKEN, refreshToken: "sk-ant-ort01-RRRRRRRRRRRRRRRRRRRRRRRR", expiresAt: 4_000_000_000_000 } }),
      { mode: 0o600 },
    );
    const result = await useClaudeCli({ ...where, env: { CLAUDE_CONFIG_DIR: claudeDir }, keychain: false });
    expect(result).toMatchObject({ profileId: "anthropic:claude-cli", mode: "oauth", expiresAt: 4_000_000_000_000 });
    expect((await configOf()).auth.profiles["anthropic:claude-cli"]).toEqual({ provider: "anthropic", mode: "oauth" });
    await expect(storeOf()).rejects.toThrow(); // nothing copied into our store
  });

  it("fails with CLAUDE_CLI_EXPIRED when there is no login", async () => {
    const error = await useClaudeCli({ ...where, env: { CLAUDE_CONFIG_DIR: join(tmp.home, "none") }, keychain: false }).catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("CLAUDE_CLI_EXPIRED");
  });
});
