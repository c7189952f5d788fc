import { readdir, readFile, rm, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClaudeCliSource } from "../../src/credentials/claude-cli/login.js";
import { claudeRefreshLockTarget } from "../../src/credentials/claude-cli/paths.js";
import { DEFAULT_CLIENT_ID, requestTokenRefresh } from "../../src/credentials/oauth/token-endpoint.js";
import { claudeDocument } from "../credentials/oauth/claude-home.js";
import { KillLoop } from "./kill-loop.js";
import { startScriptedServer, type ScriptedServer } from "./scripted-server.js";
import { makeTempDir, NOW, writePrivate } from "./support.js";

/** Fewer kills than the store loop (200): each round starts a child that refreshes over HTTP before it can be killed. */
const WRITE_BACK_KILLS = 50;

interface Pair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: number;
}

/** Token pair number `seq`: the number is inside the tokens, and the expiry differs per pair. */
function pair(seq: number): Pair {
  const tail = (letter: string) => `${String(seq).padStart(5, "0")}-${letter.repeat(90)}`;
  return { accessToken: `sk-ant-oat01-${tail("A")}`, refreshToken: `sk-ant-ort01-${tail("R")}`, expiresAt: NOW + (3_600 + seq) * 1000 };
}

let dir: string;
let cleanup: () => Promise<void>;
let server: ScriptedServer;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  server = await startScriptedServer();
});
afterEach(async () => {
  await server.close();
  await cleanup();
});

describe(`${createClaudeCliSource.name} write-back killed with SIGKILL`, () => {
  it(`leaves Claude Code's file whole, with the old or the new tokens, after each of ${WRITE_BACK_KILLS} kills, and no temp file after a final write-back`, { timeout: 900_000 }, async () => {
    const file = join(dir, "claude", ".credentials.json");
    const initial = claudeDocument(pair(0)) as { claudeAiOauth: Record<string, unknown> } & Record<string, unknown>;
    await writePrivate(file, JSON.stringify(initial));

    // The endpoint issues pair 1, 2, 3… and accepts any refresh token it issued (a killed child
    // may have spent one without writing its successor: the file then still holds a usable one).
    let issued = 0;
    server.answer((request) => {
      if (request.path === "/warmup") return { status: 204 };
      const sent = (JSON.parse(request.body) as { refresh_token?: unknown }).refresh_token;
      const sentSeq = typeof sent === "string" ? /^sk-ant-ort01-(\d+)-/.exec(sent)?.[1] : undefined;
      const known = sentSeq !== undefined && Number(sentSeq) <= issued;
      if (!known) return { status: 400, body: JSON.stringify({ error: "invalid_grant" }) };
      issued += 1;
      const next = pair(issued);
      return { status: 200, body: JSON.stringify({ token_type: "Bearer", access_token: next.accessToken, refresh_token: next.refreshToken, expires_in: 3_600 + issued }) };
    });

    const loop = new KillLoop("write-back-crash-child.ts", () => [file, `${server.url}/v1/oauth/token`, String(NOW)]);
    let onDisk = 0;
    try {
      for (let round = 0; round < WRITE_BACK_KILLS; round += 1) {
        const acked = (await loop.killOne(WRITE_BACK_KILLS)).map((line) => Number(line.split(" ")[1]));
        const text = await readFile(file, "utf8");
        const document = JSON.parse(text) as typeof initial;
        const login = document.claudeAiOauth;
        const seq = Number(/^sk-ant-oat01-(\d+)-/.exec(String(login["accessToken"]))?.[1]);

        // A whole pair that the endpoint issued, never older than what was on disk or acknowledged.
        expect({ round, login: { accessToken: login["accessToken"], refreshToken: login["refreshToken"], expiresAt: login["expiresAt"] } }).toEqual({ round, login: pair(seq) });
        expect(seq).toBeGreaterThanOrEqual(Math.max(onDisk, ...acked));
        expect(seq).toBeLessThanOrEqual(issued);
        expect({ ...document, claudeAiOauth: { ...login, ...pair(0) } }).toEqual(initial);
        onDisk = seq;

        // Claude Code's refresh lock has a 60 s stale time; the holder is dead, so the parent frees it.
        await rm(`${claudeRefreshLockTarget(file)}.lock`, { recursive: true, force: true });
      }
    } finally {
      await loop.close();
    }

    const reader = createClaudeCliSource({ credentialsPath: file, platform: "linux", now: () => NOW, watch: false });
    expect((await reader.read()).secret).toBe(pair(onDisk).accessToken);
    expect(issued).toBeGreaterThan(0);

    // Temp files of killed write-backs are removed by the next write-back once they are older than
    // Claude Code's lock stale time (60 s): age them instead of waiting, then refresh once more.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const name of await readdir(dirname(file))) {
      if (name.startsWith(".credentials.json.")) await utimes(join(dirname(file), name), hourAgo, hourAgo);
    }
    const writer = createClaudeCliSource({
      credentialsPath: file,
      platform: "linux",
      refresh: "write-back",
      now: () => NOW,
      watch: false,
      endpoint: (refreshToken) =>
        requestTokenRefresh({ fetch, tokenUrl: `${server.url}/v1/oauth/token`, clientId: DEFAULT_CLIENT_ID, refreshToken, now: () => NOW, timeoutMs: 5_000, profileId: "anthropic:claude-cli" }),
    });
    expect((await writer.read({ forceRefresh: true })).secret).toBe(pair(issued).accessToken);
    expect(await readdir(dirname(file))).toEqual([".credentials.json"]);
  });
});

describe(`${createClaudeCliSource.name} write-back after a crash`, () => {
  // Regression: a write-back killed between creating its temp file and renaming it once left
  // `.credentials.json.<n>` (holding a live refresh token) in Claude Code's config dir for good.
  it("removes a temp file a killed write-back left behind", async () => {
    const file = join(dir, "claude", ".credentials.json");
    await writePrivate(file, JSON.stringify(claudeDocument(pair(0))));
    const leftover = `${file}.123456789`;
    await writePrivate(leftover, JSON.stringify(claudeDocument(pair(1))));
    const old = new Date(NOW - 3_600_000);
    await utimes(leftover, old, old);
    server.answer(() => {
      const next = pair(2);
      return { status: 200, body: JSON.stringify({ access_token: next.accessToken, refresh_token: next.refreshToken, expires_in: 3_602 }) };
    });
    const source = createClaudeCliSource({
      credentialsPath: file,
      platform: "linux",
      refresh: "write-back",
      now: () => NOW,
      watch: false,
      endpoint: (refreshToken) =>
        requestTokenRefresh({ fetch, tokenUrl: `${server.url}/v1/oauth/token`, clientId: DEFAULT_CLIENT_ID, refreshToken, now: () => NOW, timeoutMs: 5_000, profileId: "anthropic:claude-cli" }),
    });
    expect((await source.read({ forceRefresh: true })).secret).toBe(pair(2).accessToken);
    expect(await readdir(dirname(file))).toEqual([".credentials.json"]);
  });
});
