/**
 * `npm run bench`: measures the figures of the README's Performance and Reliability paragraphs,
 * prints a table and writes `bench/results.json`. Never part of the tests.
 *
 * Runs itself again under `node --expose-gc --import tsx` so heap figures can force collections.
 * `npm run bench -- <section> …` runs only the named sections (results.json is then not written);
 * with `--record` as well, their figures and notes replace those sections' in results.json.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { exposedGc } from "./gc.js";
import { machineInfo } from "./machine.js";
import { recordResults, renderTable, writeResults, type SectionResult } from "./report.js";
import { benchClientOverhead } from "./sections/client-overhead.js";
import { benchFailover } from "./sections/failover.js";
import { benchLockedUpdates } from "./sections/locked-updates.js";
import { benchOAuthWarm } from "./sections/oauth-warm.js";
import { benchRedis } from "./sections/redis.js";
import { benchRefreshConcurrency } from "./sections/refresh.js";
import { benchWarmResolve } from "./sections/warm-resolve.js";
import { benchResolveReport } from "./sections/resolve-report.js";
import { benchMiddleware } from "./sections/middleware.js";
import { benchReportFailure } from "./sections/report-failure.js";
import { benchColdImport } from "./sections/cold-import.js";
import { benchManyResolvers } from "./sections/many-resolvers.js";
import { benchQuota } from "./sections/quota.js";
import { renderReadmeTable } from "./readme.js";

const SECTIONS: ReadonlyArray<readonly [string, () => Promise<SectionResult>]> = [
  ["warm", benchWarmResolve],
  ["loop", benchResolveReport],
  ["middleware", benchMiddleware],
  ["report", benchReportFailure],
  ["import", benchColdImport],
  ["resolvers", benchManyResolvers],
  ["oauth", benchOAuthWarm],
  ["client", benchClientOverhead],
  ["failover", benchFailover],
  ["refresh", benchRefreshConcurrency],
  ["updates", benchLockedUpdates],
  ["redis", benchRedis],
  ["quota", benchQuota],
];

const RESPAWNED = "AUTH_PROFILES_BENCH_RESPAWNED";
const selfPath = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const record = args.includes("--record");
  const only = args.filter((a) => a !== "--record");
  const startedAt = Date.now();
  const machine = machineInfo();
  const results: SectionResult[] = [];
  for (const [name, run] of SECTIONS) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    results.push(await run());
  }
  const durationS = Math.round((Date.now() - startedAt) / 100) / 10;
  const loadAverage1mAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  process.stdout.write(renderTable(machine, results));
  process.stdout.write(`total time: ${durationS} s; load average ${loadAverage1mAtEnd} at the end\n`);
  if (only.length > 0) {
    if (!record) return;
    await recordResults(fileURLToPath(new URL("./results.json", import.meta.url)), results, { date: new Date(startedAt).toISOString(), durationS, loadAverage1mAtStart: machine.loadAverage1m, loadAverage1mAtEnd });
    process.stdout.write("recorded the sections in bench/results.json\n");
    await renderReadmeTable();
    process.stdout.write("updated the README performance table\n");
    return;
  }
  const heapMethod =
    exposedGc() === null
      ? "process.memoryUsage().heapUsed deltas over batches without a GC inside (no --expose-gc)"
      : "node --expose-gc: forced GC, then heapUsed deltas over batches without a GC inside";
  await writeResults(fileURLToPath(new URL("./results.json", import.meta.url)), machine, results, { date: new Date(startedAt).toISOString(), durationS, loadAverage1mAtEnd, heapMethod });
  process.stdout.write("wrote bench/results.json\n");
  await renderReadmeTable();
  process.stdout.write("updated the README performance table\n");
}

if (exposedGc() === null && process.env[RESPAWNED] === undefined) {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", selfPath, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, [RESPAWNED]: "1" },
  });
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal === null ? 1 : 128);
  });
} else {
  await main();
}
