import { mkdir, readFile, rm, utimes } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { makeTempDir, NOW, pause, storePathIn, writeJsonPrivate } from "./support.js";

const ID = "anthropic:me";
/** The lock's stale time here: proper-lockfile checks the lock every half of it. */
const LOCK_STALE_MS = 2_000;
/** The token endpoint answers this long after the lock was taken over: several lock checks later. */
const ANSWER_AFTER_MS = 3 * LOCK_STALE_MS;

let dir: { dir: string; cleanup: () => Promise<void> };
let server: FakeTokenServer;

beforeEach(async () => {
  dir = await makeTempDir();
  server = await startFakeTokenServer();
});
afterEach(async () => {
  await server.close();
  await dir.cleanup();
});

describe("a rotated refresh token when the store lock is lost during a slow token request", () => {
  it("keeps serving the new pair from memory (the error says so), never re-sends the spent token, and saves it once the lock is free", async () => {
    const storePath = storePathIn(join(dir.dir, "state"));
    const spent = server.issueRefreshToken();
    await writeJsonPrivate(storePath, { version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh: spent, expires: NOW - 1000 } } });
    const logged: string[] = [];
    const store = createFileProfileStore({ path: storePath, lockStaleMs: LOCK_STALE_MS, lockWaitMs: 500 });
    const resolver = createAuthResolver({
      store,
      env: {},
      configPath: false,
      claudeCli: false,
      now: () => NOW,
      oauth: { tokenUrl: server.url, timeoutMs: 4 * ANSWER_AFTER_MS },
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (line: string) => logged.push(line) },
    });
    const issued: { access: string; refresh: string }[] = [];
    server.onIssued((pair) => issued.push(pair));
    // While the answer is delayed, the lock is taken over (as OpenClaw does with a lock it believes
    // stale): removed and created anew by another holder.
    server.enqueue({ kind: "ok", delayMs: ANSWER_AFTER_MS });
    const resolving = resolver.resolve();
    while (server.count === 0) await pause(10);
    await rm(`${storePath}.lock`, { recursive: true, force: true });
    await mkdir(`${storePath}.lock`);
    // The new holder is alive: it keeps its lock fresh, so the robbed update can neither commit nor
    // take the lock back (it would, from a holder that went quiet).
    const keepFresh = setInterval(() => void utimes(`${storePath}.lock`, new Date(), new Date()).catch(() => undefined), LOCK_STALE_MS / 4);

    const auth = await resolving;
    expect(issued).toHaveLength(1);
    expect(auth.secret).toBe(issued[0]?.access);
    expect(logged.some((line) => line.includes("STORE_LOCKED") && line.includes("held in memory"))).toBe(true);
    expect((await resolver.status()).auth.heldLogins).toEqual([expect.objectContaining({ profileId: ID })]);
    expect((await resolver.resolve()).secret).toBe(issued[0]?.access);

    // The other "holder" goes away: the background retry saves the pair.
    clearInterval(keepFresh);
    await rm(`${storePath}.lock`, { recursive: true, force: true });
    const deadline = Date.now() + 60_000;
    const stored = async (): Promise<string> => (JSON.parse(await readFile(storePath, "utf8")) as { profiles: Record<string, { refresh: string }> }).profiles[ID]?.refresh ?? "";
    while ((await stored()) !== issued[0]?.refresh) {
      if (Date.now() > deadline) throw new Error("the held login was not saved within 60 s");
      await pause(100);
    }
    expect(server.requests.map((request) => [request.body?.["refresh_token"], request.accepted])).toEqual([[spent, true]]);
    await resolver.close();
  });
});
