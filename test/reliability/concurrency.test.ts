import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { makeTempDir, NOW, runChild, siblingsOf, storePathIn, writeJsonPrivate } from "./support.js";

const WORKERS = 8;
const OPERATIONS = 200;
const KEY_A = `sk-ant-api03-${"ConcurrentKeyA".repeat(6)}AAkeya`;
const KEY_B = `sk-ant-api03-${"ConcurrentKeyB".repeat(6)}AAkeyb`;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

/** What mixed-worker.ts does, computed: failures per reason, saved tokens, the last success's time. */
function expectedTotals(): { failures: Record<string, number>; tokens: number; lastSuccessAt: number } {
  const reasons = ["rate_limit", "overloaded", "auth"];
  const failures: Record<string, number> = { rate_limit: 0, overloaded: 0, auth: 0 };
  let tokens = 0;
  let lastSuccess = 0;
  for (let i = 0; i < OPERATIONS; i += 1) {
    const reason = reasons[(i / 3) % 3] ?? "";
    if (i % 3 === 0) failures[reason] = (failures[reason] ?? 0) + WORKERS;
    else if (i % 3 === 1) lastSuccess = i;
    else tokens += WORKERS;
  }
  return { failures, tokens, lastSuccessAt: NOW + (WORKERS - 1) * 1000 + lastSuccess };
}

describe(`${createAuthResolver.name} and saveToken across ${WORKERS} processes`, () => {
  it(`land every one of ${WORKERS} × ${OPERATIONS} mixed reportFailure / reportSuccess / saveToken updates`, { timeout: 600_000 }, async () => {
    const path = storePathIn(dir);
    await writeJsonPrivate(path, {
      version: 1,
      profiles: {
        "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A },
        "anthropic:b": { type: "api_key", provider: "anthropic", key: KEY_B },
      },
    });

    const results = await Promise.all(Array.from({ length: WORKERS }, (_, worker) => runChild("mixed-worker.ts", [dir, String(worker), String(OPERATIONS), String(NOW)])));
    // No STORE_LOCKED (nor any other error) under normal contention.
    expect(results.map((r) => ({ code: r.code, stderr: r.stderr, stdout: r.stdout }))).toEqual(Array.from({ length: WORKERS }, () => ({ code: 0, stderr: "", stdout: "done" })));

    const expected = expectedTotals();
    const data = await createFileProfileStore({ path }).read();
    const a = data.usageStats?.["anthropic:a"];
    expect(a?.errorCount).toBe(Object.values(expected.failures).reduce((sum, n) => sum + n, 0));
    expect(a?.failureCounts).toEqual(expected.failures);
    // reportSuccess only moves lastUsed forward: the latest success of all workers wins.
    expect(data.usageStats?.["anthropic:b"]).toEqual({ lastUsed: expected.lastSuccessAt });
    expect(data.lastGood).toEqual({ anthropic: "anthropic:b" });

    const tokenIds = Object.keys(data.profiles).filter((id) => id.startsWith("anthropic:w"));
    expect(tokenIds).toHaveLength(expected.tokens);
    for (const id of tokenIds) {
      const [, worker, i] = /^anthropic:w(\d+)-(\d+)$/.exec(id) ?? [];
      expect(data.profiles[id]).toEqual({ type: "token", provider: "anthropic", token: `sk-ant-oat01-w${worker}i${i}-${"T".repeat(90)}` });
    }
    expect(data.profiles["anthropic:a"]).toEqual({ type: "api_key", provider: "anthropic", key: KEY_A });

    // No lock directory and no temp file left behind.
    expect(await siblingsOf(path)).toEqual([]);
  });
});
