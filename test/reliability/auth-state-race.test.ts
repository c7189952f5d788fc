import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { bumpProfile, keyOfGeneration } from "./fixtures/auth-state-shared.js";
import { makeTempDir, startChild, storePathIn, watchChild, writeJsonPrivate, type WatchedChild } from "./support.js";

const ROUNDS = 60;
const PROFILES = { openclaw: "anthropic:openclaw", child: "anthropic:child", parent: "anthropic:parent" } as const;
/** Every how many rounds each writer also changes its profile in auth-profiles.json. */
const CREDENTIAL_EVERY = { openclaw: 5, child: 3, parent: 4 } as const;

let dir: string;
let cleanup: () => Promise<void>;
const children: WatchedChild[] = [];
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(async () => {
  for (const watched of children.splice(0)) {
    watched.child.kill("SIGKILL");
    await watched.closed;
  }
  await cleanup();
});

function run(script: string, args: readonly string[]): WatchedChild {
  const watched = watchChild(startChild(script, args));
  watched.child.stdin?.end();
  children.push(watched);
  return watched;
}

describe("a split store (auth-profiles.json + auth-state.json) written at once by OpenClaw's side, a child of ours and this process", () => {
  it(`loses no update: ${ROUNDS} rounds each, state and credentials`, { timeout: 600_000 }, async () => {
    const path = storePathIn(dir);
    const statePath = join(dirname(path), "auth-state.json");
    const profiles = Object.fromEntries(Object.values(PROFILES).map((id) => [id, { type: "api_key", provider: "anthropic", key: keyOfGeneration(id, 1) }]));
    await writeJsonPrivate(path, { version: 1, profiles });
    await writeJsonPrivate(statePath, { version: 1, order: { anthropic: Object.values(PROFILES) }, usageStats: {} });

    const openclaw = run("openclaw-state-writer.ts", [path, PROFILES.openclaw, String(ROUNDS), String(CREDENTIAL_EVERY.openclaw), "30000"]);
    const child = run("auth-state-our-writer.ts", [path, PROFILES.child, String(ROUNDS), String(CREDENTIAL_EVERY.child)]);
    const store = createFileProfileStore({ path, openclawVersion: "2026.4.12", lockWaitMs: 120_000 });
    for (let round = 1; round <= ROUNDS; round += 1) {
      await store.update((current) => ({ data: bumpProfile(current, PROFILES.parent, round % CREDENTIAL_EVERY.parent === 0), result: undefined }));
    }
    for (const watched of [openclaw, child]) {
      const { code } = await watched.closed;
      expect({ code, stderr: watched.stderr() }).toEqual({ code: 0, stderr: "" });
      expect(watched.lines).toContain("done");
    }

    const merged = await createFileProfileStore({ path }).read();
    for (const [who, id] of Object.entries(PROFILES) as [keyof typeof PROFILES, string][]) {
      expect({ who, errorCount: merged.usageStats?.[id]?.errorCount }).toEqual({ who, errorCount: ROUNDS });
      expect({ who, rounds: merged.profiles[id]?.["rounds"] }).toEqual({ who, rounds: Math.floor(ROUNDS / CREDENTIAL_EVERY[who]) });
      expect(merged.profiles[id]?.["key"]).toBe(keyOfGeneration(id, 1));
    }
    expect(Object.keys(JSON.parse(await readFile(path, "utf8")))).toEqual(["version", "profiles"]);
    expect(merged.order).toEqual({ anthropic: Object.values(PROFILES) });
  });
});
