import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const FIXTURES = new URL("../fixtures/config/", import.meta.url);
const TELEGRAM = "123456:telegram-bot-token-value";
const MIGRATION = 'Updated auth.profiles["anthropic:claude-cli"].mode → "oauth".';

let tmp: TmpHome;
let dir: string;
beforeEach(async () => {
  tmp = await makeTmpHome({ createStateDir: true });
  dir = tmp.stateDir;
});
afterEach(() => tmp.cleanup());

async function fixture(name: string, target = join(dir, "openclaw.json")): Promise<string> {
  await copyFile(new URL(name, FIXTURES), target);
  return target;
}

describe(loadConfig.name, () => {
  it("returns an empty config for a missing file and creates nothing", async () => {
    const path = join(dir, "missing.json");
    const loaded = await loadConfig({ path, env: { A: "1" }, persistMigrations: true });
    expect(loaded).toEqual({ config: {}, path, changes: [], warnings: [], env: { A: "1" } });
    expect(await readdir(dir)).toEqual([]);
  });

  it("finds the file from the injected home dir when no path is given", async () => {
    const path = await fixture("valid.json5");
    const loaded = await loadConfig({ homeDir: tmp.home, env: { ...tmp.env, WORK_KEY: "k" } });
    expect(loaded.path).toBe(path);
    expect(loaded.config.auth?.profiles?.["anthropic:work"]?.mode).toBe("api_key");
  });

  it("finds the file from OPENCLAW_CONFIG_PATH and the state dir option", async () => {
    const path = await fixture("valid.json5", join(dir, "elsewhere.json5"));
    expect((await loadConfig({ env: { OPENCLAW_CONFIG_PATH: path, WORK_KEY: "k" }, homeDir: tmp.home })).path).toBe(path);
    expect((await loadConfig({ stateDir: "/nonexistent-state", homeDir: tmp.home })).path).toBe("/nonexistent-state/openclaw.json");
  });

  it("substitutes variables and returns the effective env with the env block", async () => {
    const path = await fixture("valid.json5");
    const env = Object.freeze({ WORK_KEY: "key-from-env", REGION: "" });
    const loaded = await loadConfig({ path, env });
    expect(loaded.config.env).toMatchObject({ ANTHROPIC_API_KEY: "key-from-env" });
    expect(loaded.env).toEqual({ WORK_KEY: "key-from-env", REGION: "eu", ANTHROPIC_API_KEY: "key-from-env" });
    expect(env).toEqual({ WORK_KEY: "key-from-env", REGION: "" });
    expect(process.env["WORK_KEY"]).toBeUndefined();
  });

  describe("migrations", () => {
    it("applies them in memory, reports them and leaves the file byte-for-byte unchanged", async () => {
      const path = await fixture("legacy-claude-cli.json5");
      const before = await readFile(path);
      const loaded = await loadConfig({ path, env: { TELEGRAM_TOKEN: TELEGRAM } });
      expect(loaded.changes).toEqual([MIGRATION]);
      expect(loaded.config.auth?.profiles?.["anthropic:claude-cli"]?.mode).toBe("oauth");
      expect(await readFile(path)).toEqual(before);
      expect(await readdir(dir)).toEqual(["openclaw.json"]);
    });

    it("persists them when asked: atomically, as 2-space JSON, keeping ${VAR} references and the mode", async () => {
      const path = await fixture("legacy-claude-cli.json5");
      await chmod(path, 0o640);
      const original = await readFile(path, "utf8");
      const inodeBefore = (await stat(path)).ino;
      const loaded = await loadConfig({ path, env: { TELEGRAM_TOKEN: TELEGRAM }, persistMigrations: true });
      expect(loaded.changes).toEqual([MIGRATION]);
      expect(loaded.config["channels"]).toEqual({ telegram: { botToken: TELEGRAM } });

      const written = await readFile(path, "utf8");
      expect(written).toBe(
        `${JSON.stringify(
          {
            auth: {
              profiles: {
                "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" },
                "anthropic:default": { provider: "anthropic", mode: "api_key" },
              },
            },
            channels: { telegram: { botToken: "${TELEGRAM_TOKEN}" } },
          },
          null,
          2,
        )}\n`,
      );
      expect(written).not.toContain(TELEGRAM);
      const after = await stat(path);
      expect(after.mode & 0o777).toBe(0o640);
      expect(after.ino).not.toBe(inodeBefore);
      // The comments are gone from the file, so the original bytes are kept next to it.
      expect(await readFile(`${path}.bak`, "utf8")).toBe(original);
      expect(((await stat(`${path}.bak`)).mode & 0o777)).toBe(0o640);
      expect((await readdir(dir)).sort()).toEqual(["openclaw.json", "openclaw.json.bak"]);
    });

    it("writes no .bak when the file has no comments", async () => {
      const path = join(dir, "openclaw.json");
      await writeFile(path, '{ "auth": { "profiles": { "anthropic:claude-cli": { "provider": "anthropic", "mode": "token" } } } }', { mode: 0o600 });
      await loadConfig({ path, persistMigrations: true });
      expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
        auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } },
      });
      expect(await readdir(dir)).toEqual(["openclaw.json"]);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });

    it("does not write when there is nothing to migrate", async () => {
      const path = await fixture("valid.json5");
      const before = await readFile(path);
      const inode = (await stat(path)).ino;
      const loaded = await loadConfig({ path, env: { WORK_KEY: "k" }, persistMigrations: true });
      expect(loaded.changes).toEqual([]);
      expect(await readFile(path)).toEqual(before);
      expect((await stat(path)).ino).toBe(inode);
      expect(await readdir(dir)).toEqual(["openclaw.json"]);
    });

    it("is idempotent: a second load finds nothing left to migrate", async () => {
      const path = await fixture("legacy-claude-cli.json5");
      await loadConfig({ path, env: { TELEGRAM_TOKEN: TELEGRAM }, persistMigrations: true });
      const again = await loadConfig({ path, env: { TELEGRAM_TOKEN: TELEGRAM }, persistMigrations: true });
      expect(again.changes).toEqual([]);
    });
  });

  describe("bad files", () => {
    it.each([
      ["broken.json5", "CONFIG_PARSE"],
      ["include.json5", "CONFIG_INVALID"],
    ])("leaves %s byte-for-byte unchanged and throws %s", async (name, code) => {
      const path = await fixture(name);
      const before = await readFile(path);
      await expect(loadConfig({ path, persistMigrations: true })).rejects.toMatchObject({ code, details: { file: path } });
      expect(await readFile(path)).toEqual(before);
      expect(await readdir(dir)).toEqual(["openclaw.json"]);
    });

    it("leaves an invalid file unchanged even when a migration applies", async () => {
      const path = join(dir, "openclaw.json");
      const text = '{ auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "token" }, b: { provider: "x", mode: "nope" } } } }';
      await writeFile(path, text);
      await expect(loadConfig({ path, persistMigrations: true })).rejects.toMatchObject({
        code: "CONFIG_INVALID",
        details: { file: path, path: "auth.profiles.b.mode" },
      });
      expect(await readFile(path, "utf8")).toBe(text);
    });

    it("throws CONFIG_ENV_MISSING for an unset variable and writes nothing", async () => {
      const path = await fixture("legacy-claude-cli.json5");
      const before = await readFile(path);
      await expect(loadConfig({ path, persistMigrations: true })).rejects.toMatchObject({
        code: "CONFIG_ENV_MISSING",
        details: { file: path, path: "channels.telegram.botToken", variable: "TELEGRAM_TOKEN" },
      });
      expect(await readFile(path)).toEqual(before);
    });

    it("throws STORE_IO when the path cannot be read", async () => {
      const path = join(dir, "a-directory");
      await mkdir(path);
      await expect(loadConfig({ path })).rejects.toMatchObject({ code: "STORE_IO", details: { file: path } });
    });
  });
});
