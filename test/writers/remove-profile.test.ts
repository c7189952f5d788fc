import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { removeProfile } from "../../src/writers/remove-profile.js";
import { saveApiKey } from "../../src/writers/save.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const KEY = "sk-ant-api03-RemoveRemoveRemoveRemoveRemove0000";
const KEY2 = "sk-ant-api03-KeepKeepKeepKeepKeepKeepKeepKe1111";

let tmp: TmpHome;
beforeEach(async () => {
  tmp = await makeTmpHome();
});
afterEach(() => tmp.cleanup());

const where = () => ({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {} });
const storePath = () => join(tmp.stateDir, "agents", "main", "agent", "auth-profiles.json");
const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

describe(removeProfile.name, () => {
  it("removes the credential, usage stats, store order and config entries, and the resolver stops using it", async () => {
    await saveApiKey({ ...where(), key: KEY, profileId: "anthropic:old" });
    await saveApiKey({ ...where(), key: KEY2 });
    const store = createFileProfileStore({ path: storePath() });
    await store.update((d) => ({ data: { ...d, order: { anthropic: ["anthropic:old", "anthropic:default"] }, usageStats: { "anthropic:old": { lastUsed: 5 }, "anthropic:default": { lastUsed: 6 } }, lastGood: { anthropic: "anthropic:old" } }, result: undefined }));
    await store.close?.();
    const configPath = join(tmp.stateDir, "openclaw.json");
    const config = await readJson(configPath);
    await writeFile(configPath, JSON.stringify({ ...config, auth: { ...config.auth, order: { anthropic: ["anthropic:old", "anthropic:default"] } }, other: 1 }, null, 2));

    const result = await removeProfile({ ...where(), profileId: "anthropic:old" });
    expect(result).toMatchObject({ profileId: "anthropic:old", removedFromStore: true, removedFromConfig: true, storePath: storePath() });
    const data = await readJson(storePath());
    expect(Object.keys(data.profiles)).toEqual(["anthropic:default"]);
    expect(data.usageStats).toEqual({ "anthropic:default": { lastUsed: 6 } });
    expect(data.order).toEqual({ anthropic: ["anthropic:default"] });
    expect(data.lastGood).toEqual({});
    const after = await readJson(configPath);
    expect(Object.keys(after.auth.profiles)).toEqual(["anthropic:default"]);
    expect(after.auth.order).toEqual({ anthropic: ["anthropic:default"] });
    expect(after.other).toBe(1);

    const resolver = createAuthResolver({ ...where(), claudeCli: false });
    try {
      expect((await resolver.resolve()).profileId).toBe("anthropic:default");
      expect(await resolver.resolve({ profileId: "anthropic:old" }).catch((e: unknown) => isAuthProfilesError(e) && e.code)).toBe("NO_CREDENTIALS");
    } finally {
      await resolver.close();
    }
  });

  it("reports nothing removed for an unknown id, and leaves the files untouched", async () => {
    await saveApiKey({ ...where(), key: KEY });
    const before = await readFile(storePath(), "utf8");
    const result = await removeProfile({ ...where(), profileId: "anthropic:ghost" });
    expect(result).toMatchObject({ removedFromStore: false, removedFromConfig: false });
    expect(await readFile(storePath(), "utf8")).toBe(before);
  });

  it("keeps the config entry with configPath: false", async () => {
    await saveApiKey({ ...where(), key: KEY });
    const result = await removeProfile({ ...where(), profileId: "anthropic:default", configPath: false });
    expect(result).toMatchObject({ removedFromStore: true, removedFromConfig: false });
    expect((await readJson(join(tmp.stateDir, "openclaw.json"))).auth.profiles["anthropic:default"]).toBeDefined();
  });

  it("refuses an empty profile id with INVALID_ARGUMENT", async () => {
    const error = await removeProfile({ ...where(), profileId: " " }).catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("INVALID_ARGUMENT");
  });
});
