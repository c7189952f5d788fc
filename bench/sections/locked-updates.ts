/**
 * Locked read-modify-write updates of the file store per second, from 1 process and from 8
 * processes on the same file.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { runWorkers } from "../children.js";
import { figuresOf, verdictOf, type Figure, type SectionResult } from "../report.js";
import { apiKeyStore, makeWorkspace } from "../workspace.js";

/** How long each worker keeps updating after "go". */
export const UPDATE_RUN_MS = 2500;
/** Process counts compared. */
export const UPDATE_PROCESSES = [1, 8] as const;

/** Updates made by a group of workers, and whether the shared counter saw every one. */
export interface UpdateRun {
  /** Processes. */
  readonly processes: number;
  /** Updates per second, all processes together. */
  readonly perSecond: number;
  /** Updates the workers reported. */
  readonly updates: number;
  /** The counter in the store afterwards. */
  readonly counter: number;
  /** Updates made by each process, fewest first (fairness). */
  readonly perProcess: readonly number[];
  /** The longest single update any process waited for, ms. */
  readonly longestMs: number;
}

/**
 * Turns worker outputs (`<updates> <longest ms>`) into an {@link UpdateRun}.
 *
 * @param processes - how many workers ran
 * @param outputs - each worker's `done` text
 * @param ms - wall time after "go"
 * @param counter - the store's counter afterwards
 * @returns the run
 */
export function updateRunOf(processes: number, outputs: readonly string[], ms: number, counter: number): UpdateRun {
  const counts = outputs.map((text) => Number(text.split(" ")[0]));
  const longestMs = Math.max(...outputs.map((text) => Number(text.split(" ")[1] ?? "0")));
  const updates = counts.reduce((a, b) => a + b, 0);
  return { processes, perSecond: updates / (ms / 1000), updates, counter, perProcess: [...counts].sort((a, b) => a - b), longestMs };
}

/**
 * Figures of update runs: rate per process count, and whether no update was lost.
 *
 * @param section - the section name
 * @param store - "file store" or "Redis store"
 * @param kind - how updates exclude each other: "locked", "optimistic (CAS)"
 * @param runs - the runs
 * @returns the figures
 */
export function updateFigures(section: string, store: string, kind: string, runs: readonly UpdateRun[]): Figure[] {
  const fig = figuresOf(section);
  const figures: Figure[] = [];
  for (const run of runs) {
    figures.push(fig(`${store} ${kind} updates, ${run.processes} process${run.processes === 1 ? "" : "es"}`, run.perSecond, "updates/s", "-", "INFO"));
    figures.push(fig(`${store} lost updates, ${run.processes} process${run.processes === 1 ? "" : "es"}`, run.updates - run.counter, "updates", "0", verdictOf(run.updates === run.counter && run.updates > 0)));
    figures.push(fig(`${store} longest single update, ${run.processes} process${run.processes === 1 ? "" : "es"}`, run.longestMs, "ms", "-", "INFO"));
  }
  return figures;
}

/** @returns the file-store update figures */
export async function benchLockedUpdates(): Promise<SectionResult> {
  const runs: UpdateRun[] = [];
  for (const processes of UPDATE_PROCESSES) {
    const ws = await makeWorkspace();
    try {
      await ws.writeStore(apiKeyStore(3));
      const { outputs, ms } = await runWorkers("update-worker.ts", processes, () => ["file", ws.storePath, String(UPDATE_RUN_MS)]);
      const stored = JSON.parse(await readFile(ws.storePath, "utf8")) as { counter?: unknown };
      runs.push(updateRunOf(processes, outputs, ms, typeof stored.counter === "number" ? stored.counter : 0));
    } finally {
      await ws.cleanup();
    }
  }
  const eight = runs[runs.length - 1] as UpdateRun;
  const mean = eight.updates / eight.processes;
  const minShare = (eight.perProcess[0] ?? 0) / mean;
  return {
    figures: [
      ...updateFigures("store updates", "file store", "locked", runs),
      figuresOf("store updates")(`fewest updates of one writer ÷ mean, ${eight.processes} processes`, minShare, "× mean share", "≥ 0.25", verdictOf(minShare >= 0.25)),
    ],
    notes: [
      `store updates (file): node --import tsx children (bench/fixtures/update-worker.ts file), each with its own createFileProfileStore on one auth-profiles.json (3 API-key profiles), call update() one after another for ${UPDATE_RUN_MS / 1000} s after a common "go", each incrementing a top-level counter (lock dir, re-read, validate, write temp + fsync + rename + dir fsync, unlock). Rate = all updates ÷ wall time from "go" to the last worker's end; lost updates = updates reported − final counter. Updates per process with ${eight.processes} processes: ${eight.perProcess.join(", ")}.`,
    ],
  };
}
