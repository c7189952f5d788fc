import { stat } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { makeTempDir, NOW, siblingsOf, startChild, storePathIn, watchChild, writeJsonPrivate, type WatchedChild } from "./support.js";

const STALE_MS = 2_000;
const KEY_A = `sk-ant-api03-${"LockRecoveryKey".repeat(5)}AAkeya`;

let dir: string;
let path: string;
let cleanup: () => Promise<void>;
const resolvers: AuthResolver[] = [];
const children: WatchedChild[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = storePathIn(dir);
});
afterEach(async () => {
  for (const watched of children.splice(0)) {
    watched.child.kill("SIGKILL");
    await watched.closed;
  }
  await Promise.all(resolvers.splice(0).map((r) => r.close()));
  await cleanup();
});

/** A resolver over the temp store, with the store's lock stale time at its 2 s minimum. */
function resolver(extra: Parameters<typeof createAuthResolver>[0] = {}): AuthResolver {
  const store = createFileProfileStore({ path, lockStaleMs: STALE_MS, lockWaitMs: 60_000 });
  const created = createAuthResolver({ store, configPath: false, env: {}, claudeCli: false, now: () => NOW, ...extra });
  resolvers.push(created);
  return created;
}

/** Starts hold-update.ts and resolves once it holds the store lock. */
async function holder(holdMs: number, name: string, kind: "directory" | "file"): Promise<WatchedChild> {
  const watched = watchChild(startChild("hold-update.ts", [path, String(STALE_MS), String(holdMs), name, kind]));
  children.push(watched);
  await watched.waitForLine("locked");
  return watched;
}

/** Kills a lock holder with SIGKILL and checks that its lock (a directory or a file) was left behind. */
async function killHolder(watched: WatchedChild): Promise<void> {
  watched.child.kill("SIGKILL");
  expect((await watched.closed).signal).toBe("SIGKILL");
  await expect(stat(`${path}.lock`)).resolves.toBeDefined();
}

describe.each(["directory", "file"] as const)("resolver writes and a store %s lock held by another process", (kind) => {
  it("reportFailure waits for the lock of a killed process, takes it over after its stale time and records the failure", async () => {
    await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A } } });
    await killHolder(await holder(60_000, "killed", kind));

    const r = resolver();
    const outcome = await r.reportFailure("anthropic:a", { status: 429 });
    expect(outcome.reason).toBe("rate_limit");
    await r.flush(); // written behind: flush() waits for the lock and the write
    const data = await createFileProfileStore({ path }).read();
    expect(data.usageStats?.["anthropic:a"]).toMatchObject({ errorCount: 1, failureCounts: { rate_limit: 1 } });
    expect(data["heldBy"]).toBeUndefined();
    expect(await siblingsOf(path)).toEqual([]);
  });

  it("resolve() reads through a dead process's lock without waiting for it", async () => {
    await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A } } });
    await killHolder(await holder(60_000, "killed", kind));
    const auth = await resolver().resolve();
    expect(auth.profileId).toBe("anthropic:a");
    // Nothing waited for, nothing taken over: the dead lock is still there.
    await expect(stat(`${path}.lock`)).resolves.toBeDefined();
  });

  it("never robs a live holder that outlives the stale time: both updates land, in order", async () => {
    await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A } } });
    // Held for 2.5 stale times: only the holder's periodic lock refresh keeps it from being taken.
    const live = await holder(5_000, "live", kind);
    const r = resolver();
    const outcome = await r.reportFailure("anthropic:a", { status: 529 });
    expect(outcome.reason).toBe("overloaded");
    await r.flush();
    await live.closed;
    expect(live.lines).toEqual(["locked", "released"]);
    const data = await createFileProfileStore({ path }).read();
    // The failure was written after (on top of) the holder's write, not before or over it.
    expect(data["heldBy"]).toBe("live");
    expect(data.usageStats?.["anthropic:a"]).toMatchObject({ errorCount: 1, failureCounts: { overloaded: 1 } });
    expect(await siblingsOf(path)).toEqual([]);
  });

  describe("OAuth refresh", () => {
    let server: FakeTokenServer;
    beforeEach(async () => {
      server = await startFakeTokenServer();
    });
    afterEach(() => server.close());

    it("refreshes an expired token once the lock of a killed process is taken over", async () => {
      const refresh = server.issueRefreshToken();
      const access = fakeAccessToken();
      await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access, refresh, expires: NOW - 1 } } });
      await killHolder(await holder(60_000, "killed", kind));

      const r = resolver({ oauth: { tokenUrl: server.url, timeoutMs: 60_000 }, fetch });
      const auth = await r.resolve();
      expect(server.count).toBe(1);
      expect(auth.secret).not.toBe(access);
      const stored = (await createFileProfileStore({ path }).read()).profiles["anthropic:me"];
      expect(stored).toMatchObject({ type: "oauth", access: auth.secret, expires: NOW + 28_800_000 });
      expect(server.isValid((stored as { refresh: string }).refresh)).toBe(true);
      // The recovery journal entry of the rotated pair is trimmed right after the store write, in
      // the background under the store lock; close() waits for it. Then no lock, journal or temp
      // file is left.
      await r.close();
      expect(await siblingsOf(path)).toEqual([]);
    });
  });
});
