import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../../examples/fake-anthropic.js";
import { saveApiKey } from "../../src/index.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { leakedSlices, SECRETS } from "../status/fixtures.js";
import { runScript } from "./run-script.js";

let tmp: TmpHome;
let server: FakeAnthropic;

beforeEach(async () => {
  tmp = await makeTmpHome({ createStateDir: true });
  server = await startFakeAnthropic({ reply: "Hi from the bot test." });
});

afterEach(async () => {
  await server.close();
  await tmp.cleanup();
});

function bot(): ReturnType<typeof runScript> {
  return runScript("examples/embed-bot.ts", ["Say hi"], { env: { ...tmp.spawnEnv, OPENCLAW_STATE_DIR: tmp.stateDir, ANTHROPIC_BASE_URL: server.url } });
}

describe("examples/embed-bot.ts", () => {
  it("answers with the agent's stored key", async () => {
    await saveApiKey({ stateDir: tmp.stateDir, env: tmp.env, homeDir: tmp.home, key: SECRETS.apiKey });
    const result = await bot();
    expect(result).toMatchObject({ code: 0, stdout: "Hi from the bot test.\n", stderr: "" });
    expect(server.requests.map((r) => [r.scheme, r.credential])).toEqual([["x-api-key", SECRETS.apiKey]]);
  });

  it("explains a missing credential with a code and a hint", async () => {
    const result = await bot();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error \[NO_API_KEY\]: No API key found for provider "anthropic"\./m);
    expect(result.stderr).toMatch(/^Hint: /m);
    expect(leakedSlices(result.stdout + result.stderr)).toEqual([]);
    expect(server.requests).toEqual([]);
  });
});
