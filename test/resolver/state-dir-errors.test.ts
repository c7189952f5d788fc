import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { saveApiKey } from "../../src/writers/save.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const KEY = `sk-ant-api03-${"S".repeat(40)}ssss`;

let tmp: TmpHome;
beforeEach(async () => {
  tmp = await makeTmpHome();
});
afterEach(() => tmp.cleanup());

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!isAuthProfilesError(error)) throw new Error(`expected an AuthProfilesError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe("small surprises", () => {
  it("clearing the cooldown of an unknown id gives NO_CREDENTIALS whether or not the store file exists", async () => {
    const where = { stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, claudeCli: false as const };
    const before = createAuthResolver(where);
    expect((await codeOf(before.clearCooldown("anthropic:typo"))).code).toBe("NO_CREDENTIALS");
    await before.close();
    await saveApiKey({ ...where, key: KEY });
    const after = createAuthResolver(where);
    expect((await codeOf(after.clearCooldown("anthropic:typo"))).code).toBe("NO_CREDENTIALS");
    await after.close();
  });

  it("a state dir that is a file, or one that cannot be created, is STORE_IO naming the path", async () => {
    const file = join(tmp.home, "not-a-dir");
    await writeFile(file, "x");
    for (const stateDir of [file, join(file, "nested")]) {
      const resolver = createAuthResolver({ stateDir, homeDir: tmp.home, env: {}, claudeCli: false });
      const resolved = await codeOf(resolver.resolve());
      await resolver.close();
      expect(resolved.code).toBe("STORE_IO");
      expect(resolved.message).toContain(file);
      const saved = await codeOf(saveApiKey({ stateDir, homeDir: tmp.home, env: {}, key: KEY }));
      expect(saved.code).toBe("STORE_IO");
      expect(saved.message).toContain(file);
    }
  });
});
