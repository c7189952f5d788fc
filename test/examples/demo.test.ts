import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { runScript } from "./run-script.js";

const DEMO_KEYS = [`sk-ant-api03-${"demo0000".repeat(11)}One1`, `sk-ant-api03-${"demo9999".repeat(11)}Two2`];

async function demoDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith("auth-profiles-demo-"));
}

describe("examples/demo.ts", () => {
  it("runs the main job end to end offline and cleans up", async () => {
    const tmp = await makeTmpHome();
    try {
      const before = await demoDirs();
      const result = await runScript("examples/demo.ts", [], { env: tmp.spawnEnv });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const out = result.stdout;
      expect(out).toContain("Saved API key as anthropic:default (sk-ant-api03-…One1).");
      expect(out).toContain("Saved API key as anthropic:backup (sk-ant-api03-…Two2).");
      expect(out).toContain("sent cache_control ttl: 1h; anthropic-beta: extended-cache-ttl-2025-04-11");
      expect(out).toMatch(/first call : .*\n.*\n\s+usage: cache_creation_input_tokens=[1-9]\d*, cache_read_input_tokens=0/);
      expect(out).toMatch(/second call: .*\n.*\n\s+usage: cache_creation_input_tokens=0, cache_read_input_tokens=[1-9]\d*/);
      expect(out).toContain("→ anthropic:default (sk-ant-api03-…One1): 429 rate_limit_error");
      expect(out).toContain("→ anthropic:backup (sk-ant-api03-…Two2): 200");
      expect(out).toContain("(answered by anthropic:backup (sk-ant-api03-…Two2))");
      expect(out).toMatch(/anthropic:default +sk-ant-api03-…One1 +api_key +cooldown \d+s \(rate_limit, sonnet models only\) +→ clear early: `npm run cli -- models auth clear-cooldown anthropic:default`/);
      expect(out).toMatch(/anthropic\/claude-sonnet-4-6 +1h +applied: applied to cache_control breakpoints \(api_key\)/);
      expect(out).toContain("Done: resolver closed, server closed, temp dir removed.");
      for (const key of DEMO_KEYS) expect(out).not.toContain(key.slice(13, 40));
      expect(await demoDirs()).toEqual(before);
    } finally {
      await tmp.cleanup();
    }
  });
});
