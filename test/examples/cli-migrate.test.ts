import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisProfileStore } from "../../src/redis.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { runScript } from "./run-script.js";

const KEY = "sk-ant-api03-MMMMmmmmMMMMmmmmMMMMmmmmMMMMmmmm7777";
let redis: RedisServer;
let tmp: TmpHome;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.dispose());
beforeEach(async () => {
  tmp = await makeTmpHome();
});
afterEach(() => tmp.cleanup());

const cli = (args: readonly string[], env: Record<string, string | undefined> = {}) =>
  runScript("examples/cli.ts", [...args, "--state-dir", tmp.stateDir], { env: { ...tmp.spawnEnv, ...env } });

describe("models auth migrate", () => {
  it("copies the agent's file profiles into an encrypted Redis store without echoing a secret", async () => {
    expect((await cli(["onboard", "--anthropic-api-key", KEY, "--non-interactive"])).code).toBe(0);
    const encKey = Buffer.alloc(32, 7).toString("base64");
    const result = await cli(["models", "auth", "migrate", "--to", redis.url, "--key-prefix", "mig:", "--encryption-key-env", "PROFILE_KEY"], { PROFILE_KEY: encKey });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("anthropic:default");
    expect(result.stdout + result.stderr).not.toContain(KEY.slice(13, 25));
    const store = createRedisProfileStore({ url: redis.url, keyPrefix: "mig:", encryption: { keys: { k1: Buffer.from(encKey, "base64") }, currentKeyId: "k1" } });
    try {
      const data = await store.read();
      expect(data.profiles["anthropic:default"]).toMatchObject({ type: "api_key", key: KEY });
    } finally {
      await store.close();
    }
  }, 300_000);

  it("refuses a URL that is not redis:// with a usage error", async () => {
    const result = await cli(["models", "auth", "migrate", "--to", "http://example.com"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[USAGE\]/m);
  }, 300_000);
});
