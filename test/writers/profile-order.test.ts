import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { clearProfileOrder, setProfileOrder } from "../../src/writers/profile-order.js";
import { saveApiKey } from "../../src/writers/save.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const KEY = "sk-ant-api03-OrderOrderOrderOrderOrderOrder000000";
const KEY2 = "sk-ant-api03-SecondSecondSecondSecondSecond111111";

let tmp: TmpHome;
beforeEach(async () => {
  tmp = await makeTmpHome();
  await saveApiKey({ ...where(), key: KEY });
  await saveApiKey({ ...where(), key: KEY2, profileId: "anthropic:work" });
});
afterEach(() => tmp.cleanup());

function where() {
  return { stateDir: tmp.stateDir, homeDir: tmp.home, env: {} };
}
const storePath = () => join(tmp.stateDir, "agents", "main", "agent", "auth-profiles.json");
const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

async function firstPick(): Promise<string | null> {
  const resolver = createAuthResolver({ ...where(), claudeCli: false });
  try {
    return (await resolver.resolve()).profileId;
  } finally {
    await resolver.close();
  }
}

describe(setProfileOrder.name, () => {
  it("writes the store order (deduplicated) and the resolver follows it", async () => {
    const result = await setProfileOrder({ ...where(), provider: "anthropic", order: ["anthropic:work", "anthropic:default", "anthropic:work"] });
    expect(result).toMatchObject({ order: ["anthropic:work", "anthropic:default"], changed: true });
    expect((await readJson(storePath())).order).toEqual({ anthropic: ["anthropic:work", "anthropic:default"] });
    expect(await firstPick()).toBe("anthropic:work");
    expect((await setProfileOrder({ ...where(), provider: "anthropic", order: ["anthropic:work", "anthropic:default"] })).changed).toBe(false);
  });

  it("refuses unknown ids, naming them, and an empty order, with INVALID_ARGUMENT", async () => {
    const unknown = await setProfileOrder({ ...where(), provider: "anthropic", order: ["anthropic:ghost"] }).catch((e: unknown) => e);
    expect(isAuthProfilesError(unknown) && unknown.code).toBe("INVALID_ARGUMENT");
    expect((unknown as Error).message).toContain("anthropic:ghost");
    const empty = await setProfileOrder({ ...where(), provider: "anthropic", order: [] }).catch((e: unknown) => e);
    expect(isAuthProfilesError(empty) && empty.code).toBe("INVALID_ARGUMENT");
    expect((await readJson(storePath())).order).toBeUndefined();
  });
});

describe(clearProfileOrder.name, () => {
  it("removes the store order and says whether there was one", async () => {
    await setProfileOrder({ ...where(), provider: "anthropic", order: ["anthropic:work"] });
    expect((await clearProfileOrder({ ...where(), provider: "anthropic" })).changed).toBe(true);
    expect(await readJson(storePath())).not.toHaveProperty("order");
    expect((await clearProfileOrder({ ...where(), provider: "anthropic" })).changed).toBe(false);
  });
});
