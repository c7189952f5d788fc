import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { AUTH_STATE_PROFILES, generationOfKey, keyOfGeneration } from "./fixtures/auth-state-shared.js";
import { KillLoop } from "./kill-loop.js";
import { makeTempDir, startChild, storePathIn, watchChild, writeJsonPrivate } from "./support.js";

const KILLS = 150;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterEach(() => cleanup());

/** A store at `generation` with the state still inside auth-profiles.json (as before 2026.4.7). */
async function writeLegacy(path: string, generation: number): Promise<void> {
  const profiles = Object.fromEntries(AUTH_STATE_PROFILES.map((id) => [id, { type: "api_key", provider: "anthropic", key: keyOfGeneration(id, generation) }]));
  const usageStats = Object.fromEntries(AUTH_STATE_PROFILES.map((id) => [id, { errorCount: 0, lastUsed: generation }]));
  await writeJsonPrivate(path, { version: 1, profiles, order: { anthropic: [...AUTH_STATE_PROFILES] }, usageStats });
  await rm(join(dirname(path), "auth-state.json"), { force: true });
}

describe("split-store updates (auth-profiles.json + auth-state.json) killed with SIGKILL", () => {
  it(`leave every profile at its old state, its new state, or its new credential with its old usage, after each of ${KILLS} kills; no credential or usage entry is ever lost`, { timeout: 900_000 }, async () => {
    const path = storePathIn(dir);
    const statePath = join(dirname(path), "auth-state.json");
    await writeLegacy(path, 0);
    let last = { credentials: 0, state: 0 };
    const mixes = { newCredentialsOldState: 0 };

    const loop = new KillLoop("auth-state-crash-child.ts", () => [dir]);
    try {
      for (let round = 0; round < KILLS; round += 1) {
        const lines = await loop.killOne(KILLS);
        let acked = 0;
        for (const line of lines) if (line.startsWith("c")) acked = Math.max(acked, Number(line.slice(1)));

        const merged = await createFileProfileStore({ path, parseRetryMs: 0 }).read();
        const credentials = AUTH_STATE_PROFILES.map((id) => generationOfKey(merged.profiles[id]?.["key"]));
        const state = AUTH_STATE_PROFILES.map((id) => merged.usageStats?.[id]?.lastUsed);
        // Each file was replaced whole: every profile is at one generation in each.
        expect({ round, credentials: new Set(credentials).size, state: new Set(state).size }).toEqual({ round, credentials: 1, state: 1 });
        const now = { credentials: credentials[0] as number, state: state[0] as number };
        // Never lost: every profile keeps a well-formed credential of a generation that was written.
        for (const id of AUTH_STATE_PROFILES) expect(merged.profiles[id]).toEqual({ type: "api_key", provider: "anthropic", key: keyOfGeneration(id, now.credentials) });
        expect(typeof now.state).toBe("number");
        // Each file is old or new: the state is the last one seen or one written in this round
        // (its generations are above every credential seen before), and never ahead of the credentials.
        expect({ round, last, ...now, ok: now.state <= now.credentials && (now.state === last.state || now.state > last.credentials) }).toEqual({ round, last, ...now, ok: true });
        // Nothing goes back; every acknowledged update is durable; at most one more was in flight.
        const ok = now.state >= Math.max(acked, last.state) && now.credentials >= last.credentials && now.credentials <= Math.max(acked, last.credentials) + 1;
        expect({ round, acked, last, ...now, ok }).toEqual({ round, acked, last, ...now, ok: true });
        if (now.credentials > now.state) mixes.newCredentialsOldState += 1;
        last = now;

        // Every fifth round starts from a store written before the split: the kill may land in
        // the migration (state copied into auth-state.json, then stripped from auth-profiles.json).
        if (round % 5 === 4) {
          await writeLegacy(path, now.credentials);
          last = { credentials: now.credentials, state: now.credentials };
        }
      }
    } finally {
      await loop.close();
    }

    // Once a split write went through, auth-profiles.json holds no state and auth-state.json all of it.
    const store = createFileProfileStore({ path, openclawVersion: "2026.4.12" });
    await store.update((current) => ({ data: { ...current, lastGood: { anthropic: "anthropic:a" } }, result: undefined }));
    expect(Object.keys(JSON.parse(await readFile(path, "utf8")))).toEqual(["version", "profiles"]);
    expect(Object.keys(JSON.parse(await readFile(statePath, "utf8"))).sort()).toEqual(["lastGood", "order", "usageStats", "version"]);
    // Reported, not asserted: how often a kill landed between the two renames.
    console.info(`auth-state crash test: ${mixes.newCredentialsOldState} of ${KILLS} rounds ended with the new credentials and the state one or more updates behind (a kill between the two renames)`);
  });

  it("a reader racing a live writer never sees the state ahead of the credentials", { timeout: 300_000 }, async () => {
    const path = storePathIn(dir);
    await writeLegacy(path, 0);
    const writer = watchChild(startChild("auth-state-crash-child.ts", [dir]));
    try {
      writer.child.stdin?.write("go\n");
      await writer.waitForLine("started");
      const reader = createFileProfileStore({ path, parseRetryMs: 0 });
      let mixed = 0;
      for (let read = 0; read < 400; read += 1) {
        const data = await reader.read();
        const credentials = AUTH_STATE_PROFILES.map((id) => generationOfKey(data.profiles[id]?.["key"]));
        const state = AUTH_STATE_PROFILES.map((id) => data.usageStats?.[id]?.lastUsed ?? -1);
        expect({ read, credentials, state, ok: new Set(credentials).size === 1 && new Set(state).size === 1 && (state[0] as number) <= (credentials[0] as number) }).toEqual({
          read,
          credentials,
          state,
          ok: true,
        });
        if ((state[0] as number) < (credentials[0] as number)) mixed += 1;
      }
      expect(writer.lines.filter((line) => line.startsWith("c")).length).toBeGreaterThan(0);
      console.info(`auth-state reader race: ${mixed} of 400 reads saw new credentials with the state one update behind`);
    } finally {
      writer.child.kill("SIGKILL");
      await writer.closed;
    }
  });
});
