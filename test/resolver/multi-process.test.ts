import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeChild } from "../helpers/node-child.js";
import { apiKeyStore, KEY_A, makeResolverFixture, type ResolverFixture } from "./support.js";

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(() => fx.cleanup());

function runChild(script: string, args: string[], env: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const command = nodeChild(script, args);
    const child = spawn(command.command, command.args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe("reportFailure across processes", () => {
  it("loses no update: 8 processes × 100 failures on one store", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const script = join(__dirname, "fixtures", "record-failures.ts");
    await Promise.all(Array.from({ length: 8 }, () => runChild(script, [fx.stateDir, "100"], fx.spawnEnv)));
    const stats = (await fx.readStore()).usageStats["anthropic:a"];
    expect(stats.errorCount).toBe(800);
    expect(stats.failureCounts).toEqual({ rate_limit: 800 });
    const leftovers = (await readdir(dirname(fx.storePath()))).filter((name) => name !== "auth-profiles.json");
    expect(leftovers).toEqual([]);
  }, 300_000);
});
