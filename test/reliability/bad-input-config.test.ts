import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { parseConfig } from "../../src/config/parse.js";
import { recordProfileMeta } from "../../src/writers/profile-meta.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { configValue, FC_SEED, json5ishText, nastyString } from "./arbitraries.js";
import { expectTypedError, SECRETS } from "./secrets.js";
import { makeTempDir, NOW, writePrivate } from "./support.js";
import type { AuthProfilesConfigInput } from "../../src/config/input-types.js";

const CONFIG_CODES = ["CONFIG_PARSE", "CONFIG_INVALID", "CONFIG_ENV_MISSING"] as const;

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(() => cleanup());

/** An env for `${VAR}` substitution: sometimes FOO is set (possibly to a secret), never MISSING_VAR. */
const envArb = fc.record({ FOO: fc.option(fc.constantFrom("bar", SECRETS.envKey, ""), { nil: undefined }), HOME: fc.constant("/home/test") }, { requiredKeys: [] });

describe(parseConfig.name, () => {
  it("returns a config or throws CONFIG_* for any JSON5-ish text, never echoing a value", () => {
    fc.assert(
      fc.property(json5ishText, envArb, (text, env) => {
        try {
          parseConfig(text, { path: "/cfg/openclaw.json", env });
        } catch (error) {
          expectTypedError(error, CONFIG_CODES);
        }
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it("returns a config or throws CONFIG_* for any JSON value, never echoing a value", () => {
    fc.assert(
      fc.property(configValue, envArb, (value, env) => {
        try {
          parseConfig(JSON.stringify(value) ?? "", { path: "/cfg/openclaw.json", env });
        } catch (error) {
          expectTypedError(error, CONFIG_CODES);
        }
      }),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it("lets a resolver given any config object answer with a credential or a typed error", async () => {
    await fc.assert(
      fc.asyncProperty(configValue, async (config) => {
        const resolver = createAuthResolver({ config: config as AuthProfilesConfigInput, stateDir: dir, env: { ANTHROPIC_API_KEY: SECRETS.envKey }, claudeCli: false, now: () => NOW });
        try {
          const auth = await resolver.resolve();
          expect(auth.secret).toBe(SECRETS.envKey);
        } catch (error) {
          expectTypedError(error, ["CONFIG_INVALID", "CONFIG_ENV_MISSING", "INVALID_ARGUMENT", "NO_API_KEY", "PROFILE_NOT_CONFIGURED", "NO_CREDENTIALS", "NO_AVAILABLE_PROFILE", "STORE_IO", "STORE_INVALID", "FILE_UNSAFE"]);
        } finally {
          await resolver.close();
        }
      }),
      { numRuns: 150, seed: FC_SEED },
    );
  });
});

describe("config files that fail to parse", () => {
  it("are left byte for byte by loadConfig({ persistMigrations: true }) and recordProfileMeta", async () => {
    const path = join(dir, "openclaw.json");
    await fc.assert(
      fc.asyncProperty(json5ishText, nastyString, async (text, email) => {
        await writePrivate(path, text);
        const before = await readFile(path);
        let loadFailed = false;
        try {
          await loadConfig({ path, env: {}, persistMigrations: true });
        } catch (error) {
          expectTypedError(error, CONFIG_CODES);
          loadFailed = true;
        }
        if (loadFailed) expect(await readFile(path)).toEqual(before);

        try {
          await recordProfileMeta({ configPath: path, profileId: "anthropic:work", meta: { provider: "anthropic", mode: "api_key", email } });
          // When it could edit the file, the result is plain JSON that keeps the profile.
          const after = JSON.parse(await readFile(path, "utf8")) as { auth: { profiles: Record<string, unknown> } };
          expect(after.auth.profiles["anthropic:work"]).toMatchObject({ provider: "anthropic", mode: "api_key" });
        } catch (error) {
          expectTypedError(error, ["CONFIG_PARSE", "CONFIG_INVALID"]);
          expect(await readFile(path)).toEqual(before);
        }
      }),
      { numRuns: 150, seed: FC_SEED },
    );
  });
});
