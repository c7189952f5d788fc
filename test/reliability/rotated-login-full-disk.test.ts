import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { mountSmallTmpfs, type SmallTmpfs } from "../helpers/small-tmpfs.js";
import { NOW, storePathIn, writeJsonPrivate } from "./support.js";

const ID = "anthropic:me";
const HOUR_MS = 3_600_000;
/** Generous: the held login is saved by a background retry (1 s, doubling) once space is back. */
const SAVED_WITHIN_MS = 60_000;

const mounted = await mountSmallTmpfs(256);
const skip = "skipped" in mounted ? mounted.skipped : null;
if (skip !== null) console.warn(`rotated-login-full-disk: skipped: ${skip}`);

let disk: SmallTmpfs;
let server: FakeTokenServer;
let clock: { now: number };
let logged: string[];
let resolvers: AuthResolver[];
let storePath: string;
let journalPath: string;
let spent: string;

beforeEach(async () => {
  disk = mounted as SmallTmpfs;
  server = await startFakeTokenServer();
  clock = { now: NOW };
  logged = [];
  resolvers = [];
  const stateDir = join(disk.dir, `state-${Math.random().toString(36).slice(2)}`);
  storePath = storePathIn(stateDir);
  journalPath = `${storePath}.refresh-journal`;
  spent = server.issueRefreshToken();
  await writeJsonPrivate(storePath, { version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh: spent, expires: NOW - 1000 } } });
  resolverIn = () => {
    const resolver = createAuthResolver({
      stateDir,
      env: {},
      configPath: false,
      claudeCli: false,
      now: () => clock.now,
      oauth: { tokenUrl: server.url },
      logger: { debug: () => undefined, info: () => undefined, warn: (line: string) => logged.push(`warn ${line}`), error: (line: string) => logged.push(`error ${line}`) },
    });
    resolvers.push(resolver);
    return resolver;
  };
});
afterEach(async () => {
  await Promise.all(resolvers.map((resolver) => resolver.close()));
  await disk.free();
  await server.close();
});
afterAll(async () => {
  if (skip === null) await (mounted as SmallTmpfs).dispose();
});

let resolverIn: () => AuthResolver = () => {
  throw new Error("not set up");
};

async function storedRefresh(): Promise<string> {
  return ((JSON.parse(await readFile(storePath, "utf8")) as { profiles: Record<string, { refresh: string }> }).profiles[ID] as { refresh: string }).refresh;
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + SAVED_WITHIN_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${SAVED_WITHIN_MS} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(skip !== null)("a rotated refresh token on a full disk (a real 256 KiB tmpfs)", () => {
  it("journal written, store write fails (ENOSPC): the new pair is served from memory, recovered by a new resolver, saved once space is back, then trimmed", async () => {
    const issued: { access: string; refresh: string }[] = [];
    server.onIssued((pair) => issued.push(pair));
    await disk.fill(2); // two pages left: the lock file and the journal append fit, the store's temp file does not
    const before = await readFile(storePath, "utf8");

    const first = resolverIn();
    const auth = await first.resolve();
    expect(issued).toHaveLength(1);
    expect(auth.secret).toBe(issued[0]?.access);
    expect(await readFile(storePath, "utf8")).toBe(before);
    expect((await stat(journalPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(journalPath, "utf8")).toContain(issued[0]?.refresh);
    expect(logged.some((line) => line.startsWith("error") && line.includes("held in memory") && line.includes(journalPath))).toBe(true);
    const status = await first.status();
    expect(status.auth.heldLogins).toEqual([expect.objectContaining({ profileId: ID, heldIn: "journal", recovered: false })]);
    const text = formatAuthStatus(status);
    expect(text).toContain("not yet saved");
    for (const output of [text, JSON.stringify(status), ...logged]) {
      expect(output).not.toContain(issued[0]?.refresh);
      expect(output).not.toContain(issued[0]?.access);
    }
    expect((await first.resolve()).secret).toBe(issued[0]?.access);

    // Another resolver (as after a restart) has nothing in memory: it reads the journal.
    const second = resolverIn();
    expect((await second.resolve()).secret).toBe(issued[0]?.access);
    expect(server.count).toBe(1);
    expect(logged.some((line) => line.startsWith("warn") && line.includes("recovered the refreshed OAuth login"))).toBe(true);
    expect((await second.status()).auth.heldLogins).toEqual([expect.objectContaining({ profileId: ID, recovered: true })]);

    await disk.free();
    await eventually("the store holds the new pair", async () => (await storedRefresh()) === issued[0]?.refresh);
    await eventually("the journal is trimmed (removed once empty)", async () => !(await readFile(journalPath, "utf8").catch(() => "")).includes(issued[0]?.refresh ?? "?"));
    expect(server.isValid(await storedRefresh())).toBe(true);
    expect(server.requests.map((request) => request.accepted)).toEqual([true]);
  });

  it("journal and store both fail (disk full): held in memory only, the spent refresh token is never sent again, saved once space is back", async () => {
    const issued: { access: string; refresh: string }[] = [];
    server.onIssued((pair) => issued.push(pair));
    await disk.fill(1); // one page left: the lock file fits, neither the journal nor the store

    const resolver = resolverIn();
    expect((await resolver.resolve()).secret).toBe(issued[0]?.access);
    expect(logged.some((line) => line.startsWith("error") && line.includes("held in memory only"))).toBe(true);
    expect((await resolver.status()).auth.heldLogins).toEqual([expect.objectContaining({ profileId: ID, heldIn: "memory" })]);
    expect(await storedRefresh()).toBe(spent);

    // The held access token expires: the next refresh spends the held refresh token, not the stored one.
    clock.now += 9 * HOUR_MS;
    expect((await resolver.resolve()).secret).toBe(issued[1]?.access);
    expect(server.requests.map((request) => request.body?.["refresh_token"])).toEqual([spent, issued[0]?.refresh]);
    expect(server.requests.every((request) => request.accepted)).toBe(true);

    await disk.free();
    await eventually("the store holds the newest pair", async () => (await storedRefresh()) === issued[1]?.refresh);
    expect((await resolverIn().resolve()).secret).toBe(issued[1]?.access);
    expect(server.count).toBe(2);
  });
});
