/**
 * Timing helpers: throughput of an async operation, sequential or at a fixed concurrency, with
 * interleaved rounds so slow drifts of the machine hit every case alike.
 *
 * @module
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** An operation under test. */
export type Op = () => Promise<unknown>;

/** Calls completed in a wall time. */
export interface Run {
  /** Completed calls. */
  readonly calls: number;
  /** Wall time, ms. */
  readonly ms: number;
}

/** Calls per batch are doubled until one batch takes at least this long, so the clock is read rarely. */
const MIN_BATCH_MS = 2;
const MAX_BATCH = 1024;

/**
 * Runs `op` one call after another for about `durationMs`.
 *
 * @param op - the operation
 * @param durationMs - how long to run
 * @returns calls and wall time
 */
export async function runSequential(op: Op, durationMs: number): Promise<Run> {
  let batch = 1;
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    const batchStart = performance.now();
    for (let i = 0; i < batch; i += 1) await op();
    calls += batch;
    const now = performance.now();
    if (now - batchStart < MIN_BATCH_MS && batch < MAX_BATCH) batch *= 2;
    elapsed = now - start;
  }
  return { calls, ms: elapsed };
}

/**
 * Keeps `concurrency` calls of `op` in flight for about `durationMs`.
 *
 * @param op - the operation
 * @param concurrency - calls in flight
 * @param durationMs - how long to start new calls
 * @returns completed calls and wall time
 */
export async function runConcurrent(op: Op, concurrency: number, durationMs: number): Promise<Run> {
  let calls = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await op();
      calls += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { calls, ms: performance.now() - start };
}

/** How {@link interleavedRounds} runs. */
export interface RoundsOptions {
  /** Measured rounds per case. */
  readonly rounds: number;
  /** Length of one round of one case. */
  readonly roundMs: number;
  /** Unmeasured run of each case first (JIT, connections). */
  readonly warmupMs: number;
  /** Runs one round: default {@link runSequential}. */
  readonly run?: (op: Op, durationMs: number) => Promise<Run>;
  /** Runs before every measured round, after the garbage of the previous one was collected. */
  readonly between?: () => Promise<void>;
}

/** Medians of one case over its rounds. */
export interface CaseFigures {
  /** Calls per second. */
  readonly opsPerSec: number;
  /** CPU time of this process (user + system) per call, µs. */
  readonly cpuUsPerCall: number;
}

/**
 * Measures several cases in alternating rounds (A B, B A, A B, …) and keeps the median of each.
 *
 * @param cases - name → operation
 * @param options - rounds, round length, warm-up
 * @returns name → median calls per second and CPU µs per call
 */
export async function interleavedRounds(cases: Readonly<Record<string, Op>>, options: RoundsOptions): Promise<Record<string, CaseFigures>> {
  const run = options.run ?? runSequential;
  const names = Object.keys(cases);
  const ops = new Map<string, number[]>(names.map((n) => [n, []]));
  const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const name of names) await run(cases[name] as Op, options.warmupMs);
  for (let round = 0; round < options.rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      await settle();
      await options.between?.();
      const before = process.cpuUsage();
      const result = await run(cases[name] as Op, options.roundMs);
      const used = process.cpuUsage(before);
      ops.get(name)?.push(result.calls / (result.ms / 1000));
      cpu.get(name)?.push((used.user + used.system) / result.calls);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { opsPerSec: median(ops.get(n) ?? []), cpuUsPerCall: median(cpu.get(n) ?? []) }]));
}

/**
 * A short pause between rounds. No forced GC here: a forced collection before each round would
 * promote the allocating case's garbage and tax some cases more than others; every case pays its
 * own garbage, the way it would in production.
 */
export async function settle(): Promise<void> {
  await sleep(5);
}

/**
 * @param values - samples
 * @returns their median (`NaN` for none)
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Times one async call.
 *
 * @param run - the call
 * @returns its result and the wall time in ms
 */
export async function timed<T>(run: () => Promise<T>): Promise<{ readonly result: T; readonly ms: number }> {
  const start = performance.now();
  const result = await run();
  return { result, ms: performance.now() - start };
}
