import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { SECRETS } from "../status/fixtures.js";
import { runScript, type ScriptResult } from "./run-script.js";

let tmp: TmpHome;
beforeEach(async () => {
  tmp = await makeTmpHome({ createStateDir: true });
});
afterEach(() => tmp.cleanup());

function cli(args: readonly string[]): Promise<ScriptResult> {
  return runScript("examples/cli.ts", [...args, "--state-dir", tmp.stateDir], { env: tmp.spawnEnv });
}
const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));
const mainStore = () => join(tmp.stateDir, "agents", "main", "agent", "auth-profiles.json");

describe("examples/cli.ts writers", () => {
  it("models auth remove deletes the profile from the store and the config; an unknown id is NOT_FOUND", { timeout: 180_000 }, async () => {
    expect((await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey])).code).toBe(0);
    expect((await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey2, "--profile-id", "anthropic:work"])).code).toBe(0);
    const removed = await cli(["models", "auth", "remove", "anthropic:work"]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("Removed anthropic:work");
    expect(Object.keys((await readJson(mainStore())).profiles)).toEqual(["anthropic:default"]);
    expect(Object.keys((await readJson(join(tmp.stateDir, "openclaw.json"))).auth.profiles)).toEqual(["anthropic:default"]);
    const again = await cli(["models", "auth", "remove", "anthropic:work"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Error \[NOT_FOUND\]: /m);
  });

  it("onboards an agent whose config sets agents.list[].agentDir into that dir, and status reads it", { timeout: 180_000 }, async () => {
    const workDir = join(tmp.home, "custom", "work");
    await mkdir(join(tmp.home, "custom"), { recursive: true, mode: 0o700 });
    await writeFile(join(tmp.stateDir, "openclaw.json"), JSON.stringify({ agents: { list: [{ id: "work", agentDir: workDir }] } }, null, 2), { mode: 0o600 });
    const onboard = await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey, "--agent", "work"]);
    expect(onboard.code).toBe(0);
    expect(onboard.stdout).toContain(join(workDir, "auth-profiles.json"));
    const status = await cli(["models", "status", "--json", "--agent", "work"]);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.storePath).toBe(join(workDir, "auth-profiles.json"));
    expect(report.auth.providers[0].effective.kind).toBe("profiles");
  });

  it("onboard says it trimmed a piped key and replaced an existing one; refuses Admin and non-key values by name", { timeout: 180_000 }, async () => {
    const piped = await runScript("examples/cli.ts", ["onboard", "--auth-choice", "apiKey", "--state-dir", tmp.stateDir], { env: tmp.spawnEnv, stdin: `${SECRETS.apiKey}\n` });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain("Removed whitespace around the pasted value");
    expect(piped.stdout).not.toContain("Replaced");
    const again = await cli(["onboard", "--anthropic-api-key", SECRETS.apiKey2]);
    expect(again.stdout).toContain("Replaced the credential anthropic:default held before.");
    const admin = await cli(["onboard", "--anthropic-api-key", `sk-ant-admin01-${"Z".repeat(40)}`]);
    expect(admin.code).toBe(1);
    expect(admin.stderr).toMatch(/^Error \[API_KEY_INVALID\]: This is an Anthropic Admin API key/m);
    expect(admin.stderr).not.toContain("ZZZZZZZZ");
    const hello = await cli(["onboard", "--anthropic-api-key", "hello"]);
    expect(hello.stderr).toMatch(/^Error \[API_KEY_INVALID\]: This is not shaped like an Anthropic API key/m);
    expect((await cli(["onboard", "--anthropic-api-key", "proxy-key-0123456789", "--allow-non-standard-key", "--profile-id", "anthropic:proxy"])).code).toBe(0);
  });

  it("a --state-dir that is a file is STORE_IO naming the path, not UNEXPECTED", { timeout: 180_000 }, async () => {
    const file = join(tmp.home, "state-file");
    await writeFile(file, "x");
    const result = await runScript("examples/cli.ts", ["onboard", "--anthropic-api-key", SECRETS.apiKey, "--state-dir", file], { env: tmp.spawnEnv });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error \[STORE_IO\]: /m);
    expect(result.stderr).toContain(file);
  });
});
