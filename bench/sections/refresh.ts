/**
 * Single flight of an OAuth refresh: 1000 concurrent resolves in one process, and 8 processes on
 * one store file, each against an expired token and a real fake token endpoint on 127.0.0.1.
 *
 * @module
 */
import { startFakeTokenServer, type FakeTokenServer } from "../../test/helpers/fake-token-server.js";
import { runWorkers } from "../children.js";
import { median, timed } from "../measure.js";
import { figuresOf, verdictOf, type SectionResult } from "../report.js";
import { fakeAccessToken, makeWorkspace, oauthStore, OAUTH_PROFILE_ID } from "../workspace.js";

const CONCURRENT_RESOLVES = 1000;
const IN_PROCESS_RUNS = 5;
const PROCESSES = 8;
const PROCESS_RUNS = 3;

/** One run: token requests made, distinct tokens handed out, wall time. */
interface RefreshRun {
  readonly tokenRequests: number;
  readonly distinctTokens: number;
  readonly ms: number;
}

async function inProcessRun(server: FakeTokenServer, callers: number): Promise<RefreshRun> {
  const ws = await makeWorkspace();
  try {
    const oldAccess = fakeAccessToken();
    await ws.writeStore(oauthStore(oldAccess, server.issueRefreshToken(), Date.now() - 1000));
    const resolver = ws.resolver({ oauth: { tokenUrl: server.url } });
    const before = server.count;
    const { result, ms } = await timed(() => Promise.all(Array.from({ length: callers }, () => resolver.resolve())));
    const secrets = new Set(result.map((auth) => auth.secret));
    return { tokenRequests: server.count - before, distinctTokens: secrets.has(oldAccess) ? -1 : secrets.size, ms };
  } finally {
    await ws.cleanup();
  }
}

async function multiProcessRun(server: FakeTokenServer): Promise<RefreshRun> {
  const ws = await makeWorkspace();
  try {
    await ws.writeStore(oauthStore(fakeAccessToken(), server.issueRefreshToken(), Date.now() - 1000));
    const before = server.count;
    const { outputs, ms } = await runWorkers("refresh-worker.ts", PROCESSES, () => [ws.stateDir, ws.home, server.url]);
    const tails = new Set(outputs.map((line) => line.split(" ")[1]));
    const allOAuth = outputs.every((line) => line.startsWith(`${OAUTH_PROFILE_ID} `));
    return { tokenRequests: server.count - before, distinctTokens: allOAuth ? tails.size : -1, ms };
  } finally {
    await ws.cleanup();
  }
}

/** @returns the single-flight refresh figures */
export async function benchRefreshConcurrency(): Promise<SectionResult> {
  const server = await startFakeTokenServer();
  try {
    await inProcessRun(server, 10); // warm-up: modules, JIT, the token server's first connection
    const single: RefreshRun[] = [];
    const many: RefreshRun[] = [];
    for (let i = 0; i < IN_PROCESS_RUNS; i += 1) {
      single.push(await inProcessRun(server, 1));
      many.push(await inProcessRun(server, CONCURRENT_RESOLVES));
    }
    const processes: RefreshRun[] = [];
    for (let i = 0; i < PROCESS_RUNS; i += 1) processes.push(await multiProcessRun(server));
    const fig = figuresOf("refresh");
    const worst = (runs: readonly RefreshRun[]): number => Math.max(...runs.map((r) => r.tokenRequests));
    const oneEach = (runs: readonly RefreshRun[]): boolean => runs.every((r) => r.tokenRequests === 1 && r.distinctTokens === 1);
    return {
      figures: [
        fig("1 resolve through a refresh, wall time (median)", median(single.map((r) => r.ms)), "ms", "-", "INFO"),
        fig(`${CONCURRENT_RESOLVES} concurrent resolves through one refresh, wall time (median)`, median(many.map((r) => r.ms)), "ms", "-", "INFO"),
        fig(`token requests per ${CONCURRENT_RESOLVES} concurrent resolves (worst of ${IN_PROCESS_RUNS} runs)`, worst(many), "requests", "exactly 1", verdictOf(oneEach(many))),
        fig(`${PROCESSES} processes through one refresh, wall time after go (median)`, median(processes.map((r) => r.ms)), "ms", "-", "INFO"),
        fig(`token requests per ${PROCESSES} processes (worst of ${PROCESS_RUNS} runs)`, worst(processes), "requests", "exactly 1", verdictOf(oneEach(processes))),
      ],
      notes: [
        `refresh: each run writes a store whose OAuth token expired 1 s ago with a refresh token the fake endpoint (test/helpers/fake-token-server.ts, rotating refresh tokens, on 127.0.0.1) accepts; a fresh resolver then answers ${CONCURRENT_RESOLVES} resolve() calls started together. PASS needs exactly 1 token request in every run and every caller holding the same new token.`,
        `${PROCESSES} processes: ${PROCESSES} node --import tsx children (bench/fixtures/refresh-worker.ts), each with its own resolver on the same store file, load, print "ready", and resolve once when all get "go"; the wall time runs from "go" to the last answer. PASS needs exactly 1 token request in every run and the same new token in every process.`,
      ],
    };
  } finally {
    await server.close();
  }
}
