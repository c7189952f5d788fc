import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import type { AuthProfilesConfigInput } from "../../src/config/input-types.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { LEGACY_FIXTURE, VALID_FIXTURE } from "../types/config-fixtures.js";

// The literals that test/types/config-input.test-d.ts compiles as the `config` option are the
// fixture files, parsed: a fixture that gains a key the input type lacks fails here or there.
const FIXTURES = new URL("../fixtures/config/", import.meta.url);

describe("AuthProfilesConfigInput against the OpenClaw fixtures", () => {
  it("valid.json5 equals the literal that compiles", async () => {
    const parsed = parseConfig(await readFile(new URL("valid.json5", FIXTURES), "utf8"), { env: { WORK_KEY: "sk-ant-api03-work" } });
    expect(parsed).toEqual(VALID_FIXTURE);
  });

  it("legacy-claude-cli.json5 equals the literal that compiles", async () => {
    const parsed = parseConfig(await readFile(new URL("legacy-claude-cli.json5", FIXTURES), "utf8"), { env: { TELEGRAM_TOKEN: "tg-token" } });
    expect(parsed).toEqual(LEGACY_FIXTURE);
  });

  it("keeps the runtime check for plain JavaScript: a wrong value is CONFIG_INVALID naming the path", async () => {
    const tmp = await makeTmpHome();
    // (A cacheControlTtl OpenClaw accepts but this library cannot apply is a warning, not an error:
    // test/config/cache-retention.test.ts.)
    const bad = { auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "bearer" } } } } as unknown as AuthProfilesConfigInput;
    const resolver = createAuthResolver({ config: bad, stateDir: tmp.stateDir, homeDir: tmp.home, env: {}, claudeCli: false });
    try {
      await expect(resolver.resolve()).rejects.toMatchObject({ code: "CONFIG_INVALID", details: { path: `auth.profiles["anthropic:work"].mode` } });
    } finally {
      await resolver.close();
      await tmp.cleanup();
    }
  });
});
