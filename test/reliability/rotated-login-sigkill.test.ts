import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { makeTempDir, NOW, pause, seededRandom, startChild, storePathIn, watchChild, writeJsonPrivate, type WatchedChild } from "./support.js";

const ID = "anthropic:me";
/** Kills right after the endpoint answered, each after a seeded pause of 0–40 ms (rounds not ≡ 3 mod 4). */
const KILLS_AFTER_ANSWER = 23;
/** Kills as soon as the journal holds the new pair, before or during the store write (every 4th round). */
const KILLS_AFTER_JOURNAL = 7;
const MAX_PAUSE_MS = 40;

let temp: { dir: string; cleanup: () => Promise<void> };
let server: FakeTokenServer;
beforeAll(async () => {
  temp = await makeTempDir();
  server = await startFakeTokenServer();
});
afterAll(async () => {
  server.onIssued(null);
  await server.close();
  await temp.cleanup();
});

interface Round {
  readonly stateDir: string;
  readonly storePath: string;
  readonly child: WatchedChild;
}

async function prepare(round: number): Promise<Round> {
  const stateDir = join(temp.dir, `round-${round}`);
  const storePath = storePathIn(stateDir);
  await writeJsonPrivate(storePath, { version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh: server.issueRefreshToken(), expires: NOW - 1000 } } });
  return { stateDir, storePath, child: watchChild(startChild("refresh-kill-child.ts", [stateDir, server.url, String(NOW)])) };
}

/** What a fresh resolver (a restarted bot) finds after the kill, without spending anything. */
async function afterKill(round: Round, issued: { access: string; refresh: string }): Promise<"recovered" | "lost-before-journal" | "broken"> {
  const requestsBefore = server.count;
  const resolver = createAuthResolver({ stateDir: round.stateDir, configPath: false, env: {}, claudeCli: false, now: () => NOW, oauth: { tokenUrl: server.url } });
  const auth = await resolver.resolve().catch((error: unknown) => error);
  await resolver.close();
  if (server.count === requestsBefore && (auth as { secret?: unknown }).secret === issued.access) return "recovered";
  const journal = await readFile(`${round.storePath}.refresh-journal`, "utf8").catch(() => "");
  const store = await readFile(round.storePath, "utf8");
  // The remaining window: killed between the endpoint's answer and the journal append.
  if (!journal.includes(issued.refresh) && !store.includes(issued.refresh)) return "lost-before-journal";
  return "broken";
}

describe("a rotated refresh token when the refreshing process is killed with SIGKILL", () => {
  it(`survives ${KILLS_AFTER_JOURNAL} kills once the journal holds it, and after ${KILLS_AFTER_ANSWER} kills 0–${MAX_PAUSE_MS} ms after the answer is either recovered or was killed before the journal append`, { timeout: 1_800_000 }, async () => {
    const random = seededRandom(20_261_201);
    const total = KILLS_AFTER_ANSWER + KILLS_AFTER_JOURNAL;
    const outcomes: { kind: "answer" | "journal"; pauseMs: number; outcome: string }[] = [];
    let next = prepare(0);
    for (let round = 0; round < total; round += 1) {
      const current = await next;
      if (round + 1 < total) next = prepare(round + 1); // the next child loads while this one runs
      const kind = round % 4 === 3 ? "journal" : "answer";
      const pauseMs = kind === "answer" ? Math.round(random() * MAX_PAUSE_MS) : 0;
      const issued = new Promise<{ access: string; refresh: string }>((resolve) => server.onIssued(resolve));
      const journalPath = `${current.storePath}.refresh-journal`;
      current.child.child.stdin?.write("go\n");
      await current.child.waitForLine("started");
      const pair = await issued;
      if (kind === "answer") {
        if (pauseMs > 0) await pause(pauseMs);
      } else {
        // Kill the moment the journal holds the pair (polled; the child may be further along).
        while (!(await readFile(journalPath, "utf8").catch(() => "")).includes(pair.refresh) && !current.child.lines.includes("done")) await pause(1);
      }
      current.child.child.kill("SIGKILL");
      await current.child.closed;
      outcomes.push({ kind, pauseMs, outcome: await afterKill(current, pair) });
      console.info(`rotated-login-sigkill: round ${round}: ${kind} +${pauseMs} ms → ${outcomes.at(-1)?.outcome}`);
    }
    const summary = (kind: string, outcome: string): number => outcomes.filter((o) => o.kind === kind && o.outcome === outcome).length;
    console.info(
      `rotated-login-sigkill: after-answer kills: ${summary("answer", "recovered")} recovered, ${summary("answer", "lost-before-journal")} inside the window (largest pause lost: ${Math.max(-1, ...outcomes.filter((o) => o.outcome === "lost-before-journal").map((o) => o.pauseMs))} ms); after-journal kills: ${summary("journal", "recovered")} recovered`,
    );
    expect(outcomes).toHaveLength(total);
    expect(outcomes.filter((o) => o.outcome === "broken")).toEqual([]);
    expect(outcomes.filter((o) => o.kind === "journal").every((o) => o.outcome === "recovered")).toBe(true);
  });
});
