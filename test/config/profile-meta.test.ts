import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordProfileMeta } from "../../src/writers/profile-meta.js";
import type { CredentialMode } from "../../src/model/credential.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

let tmp: TmpHome;
let configPath: string;
beforeEach(async () => {
  tmp = await makeTmpHome();
  configPath = join(tmp.stateDir, "openclaw.json");
});
afterEach(() => tmp.cleanup());

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8")) as unknown;
}

describe(recordProfileMeta.name, () => {
  it("creates the file with mode 0600 in a new 0700 directory", async () => {
    const result = await recordProfileMeta({ configPath, profileId: "anthropic:default", meta: { provider: "anthropic", mode: "api_key" } });
    expect(result).toEqual({ changed: true });
    expect(await readFile(configPath, "utf8")).toBe(
      `${JSON.stringify({ auth: { profiles: { "anthropic:default": { provider: "anthropic", mode: "api_key" } } } }, null, 2)}\n`,
    );
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
    expect((await stat(tmp.stateDir)).mode & 0o777).toBe(0o700);
    expect(await readdir(tmp.stateDir)).toEqual(["openclaw.json"]);
  });

  it("keeps unknown keys, other profiles, the entry's other keys and ${VAR} references as written", async () => {
    await mkdir(tmp.stateDir, { recursive: true });
    await writeFile(
      configPath,
      JSON.stringify({
        gateway: { token: "${GATEWAY_TOKEN}" },
        auth: {
          profiles: {
            "anthropic:me@example.com": { provider: "anthropic", mode: "token", label: "mine", email: "old@example.com" },
            "openai:x": { provider: "openai", mode: "api_key" },
          },
          custom: 1,
        },
        agents: { list: [{ id: "work" }] },
      }),
    );
    await recordProfileMeta({
      configPath,
      profileId: "anthropic:me@example.com",
      meta: { provider: "anthropic", mode: "oauth", email: "me@example.com" },
    });
    expect(await readJson(configPath)).toEqual({
      gateway: { token: "${GATEWAY_TOKEN}" },
      auth: {
        profiles: {
          "anthropic:me@example.com": { provider: "anthropic", mode: "oauth", label: "mine", email: "me@example.com" },
          "openai:x": { provider: "openai", mode: "api_key" },
        },
        custom: 1,
      },
      agents: { list: [{ id: "work" }] },
    });
  });

  it("moves the id first in an existing order of its provider", async () => {
    await mkdir(tmp.stateDir, { recursive: true });
    await writeFile(configPath, JSON.stringify({ auth: { order: { anthropic: ["anthropic:a", "anthropic:b", "anthropic:c"], openai: ["openai:x"] } } }));
    await recordProfileMeta({ configPath, profileId: "anthropic:c", meta: { provider: "anthropic", mode: "token" } });
    await recordProfileMeta({ configPath, profileId: "anthropic:new", meta: { provider: "anthropic", mode: "api_key" } });
    const written = (await readJson(configPath)) as { auth: { order: unknown } };
    expect(written.auth.order).toEqual({
      anthropic: ["anthropic:new", "anthropic:c", "anthropic:a", "anthropic:b"],
      openai: ["openai:x"],
    });
  });

  it("does not create an order", async () => {
    await mkdir(tmp.stateDir, { recursive: true });
    await writeFile(configPath, JSON.stringify({ auth: { order: { openai: ["openai:x"] } } }));
    await recordProfileMeta({ configPath, profileId: "anthropic:default", meta: { provider: "anthropic", mode: "api_key" } });
    expect(((await readJson(configPath)) as { auth: { order: unknown } }).auth.order).toEqual({ openai: ["openai:x"] });
    await recordProfileMeta({ configPath: join(tmp.home, "other.json"), profileId: "anthropic:x", meta: { provider: "anthropic", mode: "oauth" } });
    expect(((await readJson(join(tmp.home, "other.json"))) as { auth: object }).auth).not.toHaveProperty("order");
  });

  it("does not write when the config already says the same", async () => {
    const meta = { provider: "anthropic", mode: "api_key" } as const;
    await recordProfileMeta({ configPath, profileId: "anthropic:default", meta });
    const before = await stat(configPath);
    expect(await recordProfileMeta({ configPath, profileId: "anthropic:default", meta })).toEqual({ changed: false });
    expect((await stat(configPath)).ino).toBe(before.ino);
  });

  it("keeps the existing file mode and saves a commented file to .bak first", async () => {
    await mkdir(tmp.stateDir, { recursive: true });
    const original = '// my bot\n{ auth: { profiles: {}, }, port: 1, }\n';
    await writeFile(configPath, original);
    await chmod(configPath, 0o644);
    await recordProfileMeta({ configPath, profileId: "anthropic:manual", meta: { provider: "anthropic", mode: "token" } });
    expect(await readJson(configPath)).toEqual({ auth: { profiles: { "anthropic:manual": { provider: "anthropic", mode: "token" } } }, port: 1 });
    expect((await stat(configPath)).mode & 0o777).toBe(0o644);
    expect(await readFile(`${configPath}.bak`, "utf8")).toBe(original);
  });

  it("refuses to touch a file that does not parse", async () => {
    await mkdir(tmp.stateDir, { recursive: true });
    const broken = '{ auth: { profiles: { "a": { provider: "x" mode: "token" } } }';
    await writeFile(configPath, broken);
    await expect(
      recordProfileMeta({ configPath, profileId: "anthropic:default", meta: { provider: "anthropic", mode: "api_key" } }),
    ).rejects.toMatchObject({ code: "CONFIG_PARSE", details: { file: configPath, line: 1 } });
    expect(await readFile(configPath, "utf8")).toBe(broken);
    expect(await readdir(tmp.stateDir)).toEqual(["openclaw.json"]);
  });

  it.each([
    ["auth is not an object", '{ auth: "x" }', "auth"],
    ["auth.profiles is not an object", "{ auth: { profiles: [] } }", "auth.profiles"],
    ["a profile is not an object", '{ auth: { profiles: { "anthropic:default": "x" } } }', 'auth.profiles["anthropic:default"]'],
    ["the order is not a list", "{ auth: { order: { anthropic: 1 } } }", "auth.order.anthropic"],
  ])("refuses to edit a file where %s", async (_name, text, path) => {
    await mkdir(tmp.stateDir, { recursive: true });
    await writeFile(configPath, text);
    await expect(
      recordProfileMeta({ configPath, profileId: "anthropic:default", meta: { provider: "anthropic", mode: "api_key" } }),
    ).rejects.toMatchObject({ code: "CONFIG_INVALID", details: { file: configPath, path } });
    expect(await readFile(configPath, "utf8")).toBe(text);
  });

  it.each<[string, string, string, string]>([
    ["an empty profile id", " ", "anthropic", "api_key"],
    ["an empty provider", "anthropic:x", "", "api_key"],
    ["an unknown mode", "anthropic:x", "anthropic", "bearer"],
  ])("rejects %s with INVALID_ARGUMENT before touching the file", async (_name, profileId, provider, mode) => {
    await expect(recordProfileMeta({ configPath, profileId, meta: { provider, mode: mode as CredentialMode } })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(stat(tmp.stateDir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("loses no update when ten writers run at once", async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordProfileMeta({ configPath, profileId: `anthropic:p${i}`, meta: { provider: "anthropic", mode: "api_key" } }),
      ),
    );
    const written = (await readJson(configPath)) as { auth: { profiles: Record<string, unknown> } };
    expect(Object.keys(written.auth.profiles).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `anthropic:p${i}`).sort());
  });
});
