import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import { saveApiKey } from "../../src/writers/save.js";
import { makeTempDir } from "../reliability/support.js";

/** Ids that name members of Object.prototype: a plain `profiles[id]` lookup finds something for them. */
const IDS = ["constructor", "__proto__", "toString", "hasOwnProperty", "anthropic:constructor"] as const;

describe("profile ids that name Object.prototype members", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let resolver: AuthResolver;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    await saveApiKey({ stateDir: dir, key: `sk-ant-api03-${"a".repeat(90)}` });
    resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {} });
  });
  afterEach(async () => {
    await resolver.close();
    await cleanup();
  });

  const codeOf = async (run: () => Promise<unknown>): Promise<string> => {
    try {
      await run();
      return "no error";
    } catch (error) {
      return isAuthProfilesError(error) ? error.code : `bare ${String(error)}`;
    }
  };

  it.each(IDS)("clearCooldown(%s) is NO_CREDENTIALS, not a silent write", async (id) => {
    expect(await codeOf(() => resolver.clearCooldown(id))).toBe("NO_CREDENTIALS");
  });

  it.each(IDS)("resolve({ profileId: %s }) fails with the code of an unknown profile", async (id) => {
    expect(await codeOf(() => resolver.resolve({ profileId: id }))).toBe(id.includes(":") ? "NO_CREDENTIALS" : "PROFILE_NOT_CONFIGURED");
  });
});
