/**
 * The Redis store beside the file store: warm resolve throughput (and Redis commands it sends),
 * and optimistic update rates from 1 and 8 processes. Skipped without `redis-server` on PATH.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { runWorkers } from "../children.js";
import { redis as redisEntry } from "../lib.js";
import { interleavedRounds } from "../measure.js";
import { figuresOf, verdictOf, type Figure, type SectionResult } from "../report.js";
import { apiKeyStore, makeWorkspace } from "../workspace.js";
import { UPDATE_PROCESSES, UPDATE_RUN_MS, updateFigures, updateRunOf, type UpdateRun } from "./locked-updates.js";

const SECTION = "redis";
const COUNTED_CALLS = 10_000;

/** @returns the Redis figures, or one SKIP figure saying why */
export async function benchRedis(): Promise<SectionResult> {
  if (spawnSync("redis-server", ["--version"], { stdio: "ignore" }).error !== undefined) return skipped("redis-server not found");
  // The shipped dist/redis.js, like every other section (and the update workers).
  let modules: readonly [typeof import("../../src/redis.js"), typeof import("../../test/helpers/redis-server.js")];
  try {
    modules = [await redisEntry(), await import("../../test/helpers/redis-server.js")];
  } catch (error) {
    return skipped(`dist/redis.js or test/helpers/redis-server.ts did not load (${error instanceof Error ? error.message : String(error)})`);
  }
  const [{ createRedisProfileStore }, { startRedisServer }] = modules;
  const redis = await startRedisServer();
  const ws = await makeWorkspace();
  const keyPrefix = `bench-${randomBytes(4).toString("hex")}:`;
  const store = createRedisProfileStore({ url: redis.url, keyPrefix });
  try {
    const doc = apiKeyStore(1);
    await ws.writeStore(doc);
    await store.update(() => ({ data: doc, result: undefined }));
    const request = { model: "claude-sonnet-4-6" };
    const fileResolver = ws.resolver();
    const redisResolver = ws.resolver({ store });
    await fileResolver.resolve(request);
    await redisResolver.resolve(request);
    const ops = await interleavedRounds(
      { file: () => fileResolver.resolve(request), redis: () => redisResolver.resolve(request) },
      { rounds: 5, roundMs: 300, warmupMs: 300 },
    );
    const commandsBefore = await commandsProcessed(redis.port);
    const started = Date.now();
    for (let i = 0; i < COUNTED_CALLS; i += 1) await redisResolver.resolve(request);
    const seconds = (Date.now() - started) / 1000;
    // Minus the INFO command of the second reading; the store's watch polls the version once a second.
    const commands = (await commandsProcessed(redis.port)) - commandsBefore - 1;
    const watchPolls = Math.ceil(seconds) + 1;
    const runs: UpdateRun[] = [];
    for (const processes of UPDATE_PROCESSES) {
      const prefix = `${keyPrefix}u${processes}:`;
      const seed = createRedisProfileStore({ url: redis.url, keyPrefix: prefix });
      try {
        await seed.update(() => ({ data: apiKeyStore(3), result: undefined }));
        const { outputs, ms } = await runWorkers("update-worker.ts", processes, () => ["redis", redis.url, prefix, String(UPDATE_RUN_MS)]);
        const counter = (await seed.read())["counter"];
        runs.push(updateRunOf(processes, outputs, ms, typeof counter === "number" ? counter : 0));
      } finally {
        await seed.close();
      }
    }
    const fig = figuresOf(SECTION);
    const redisOps = ops["redis"]?.opsPerSec ?? Number.NaN;
    const fileOps = ops["file"]?.opsPerSec ?? Number.NaN;
    const figures: Figure[] = [
      fig("warm resolve, Redis store (1 profile)", redisOps, "ops/s", "-", "INFO"),
      fig("warm resolve, file store (1 profile)", fileOps, "ops/s", "-", "INFO"),
      fig("Redis ÷ file store warm throughput", redisOps / fileOps, "×", "≥ 0.9 (no I/O either way)", verdictOf(redisOps / fileOps >= 0.9)),
      fig("Redis commands during warm resolves", commands, `commands in ${COUNTED_CALLS.toLocaleString("en-US")} resolves`, `≤ ${watchPolls} (watch polls only)`, verdictOf(commands <= watchPolls)),
      ...updateFigures(SECTION, "Redis store", "optimistic (CAS)", runs),
    ];
    const eight = runs[runs.length - 1] as UpdateRun;
    return {
      figures,
      notes: [
        `redis: a real redis-server ${redisVersion()} on 127.0.0.1 (test/helpers/redis-server.ts, no persistence); warm resolve = createAuthResolver({ store: createRedisProfileStore(...) }) vs the file store, 5 interleaved rounds, median; Redis commands counted with INFO stats (total_commands_processed). Updates: node --import tsx children (bench/fixtures/update-worker.ts redis), each with its own store, optimistic compare-and-set retried with jittered backoff on conflict, for ${UPDATE_RUN_MS / 1000} s after a common "go"; updates per process with ${eight.processes} processes: ${eight.perProcess.join(", ")}.`,
      ],
    };
  } finally {
    await store.close();
    await ws.cleanup();
    await redis.dispose();
  }
}

function skipped(reason: string): SectionResult {
  return { figures: [figuresOf(SECTION)("Redis store figures", null, "-", "-", "SKIP")], notes: [`redis: skipped: ${reason}`] };
}

function redisVersion(): string {
  const out = spawnSync("redis-server", ["--version"], { encoding: "utf8" }).stdout;
  return /v=(\S+)/.exec(out)?.[1] ?? "";
}

/** `total_commands_processed` of the server, read over a raw connection (no client library needed). */
async function commandsProcessed(port: number): Promise<number> {
  const { createConnection } = await import("node:net");
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.once("error", reject);
    socket.once("connect", () => socket.write("INFO stats\r\n"));
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString();
      const match = /total_commands_processed:(\d+)/.exec(reply);
      if (match === null || !reply.includes("\r\n\r\n", reply.indexOf("total_commands_processed"))) return;
      socket.destroy();
      resolve(Number(match[1]));
    });
  });
}
