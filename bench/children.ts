/**
 * Worker child processes (`bench/fixtures/*.ts` under `node --import tsx`) started together: each
 * prints `ready` once loaded, all get `go` at once, each prints one `done …` line and exits.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./fake-api.js";

/** What a group of workers reported. */
export interface WorkerGroupResult {
  /** The text after `done ` of each worker, in start order. */
  readonly outputs: readonly string[];
  /** Wall time from `go` to the last `done`, ms. */
  readonly ms: number;
}

const WORKER_TIMEOUT_MS = 120_000;

/**
 * Starts `count` copies of a fixture, waits until all are ready, sends `go` to all, and waits for
 * every `done` line.
 *
 * @param fixture - file name under `bench/fixtures/`
 * @param count - how many processes
 * @param args - arguments of each (by index)
 * @returns the outputs and the wall time after `go`
 * @throws Error when a worker exits early, fails, or takes longer than 2 minutes
 */
export async function runWorkers(fixture: string, count: number, args: (index: number) => readonly string[]): Promise<WorkerGroupResult> {
  const script = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const workers = Array.from({ length: count }, (_, index) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args(index)], { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const waiters: Array<() => void> = [];
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const check of [...waiters]) check();
    });
    const lineStarting = (prefix: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const line = stdout.split("\n").find((l) => l.startsWith(prefix));
          if (line === undefined) return;
          waiters.splice(waiters.indexOf(check), 1);
          resolve(line.slice(prefix.length));
        };
        waiters.push(check);
        // "close" comes after the last stdout data, unlike "exit".
        child.once("close", (code) => reject(new Error(`bench worker ${fixture} exited (${String(code)}) before "${prefix.trim()}": ${stderr.slice(-2000)}`)));
      });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), WORKER_TIMEOUT_MS);
    child.once("exit", () => clearTimeout(timer));
    const ready = lineStarting("ready");
    const done = lineStarting("done ");
    done.catch(() => undefined); // awaited later; a worker that dies early fails `ready` first
    return { child, ready, done };
  });
  try {
    await Promise.all(workers.map((w) => w.ready));
    const start = performance.now();
    for (const w of workers) w.child.stdin.write("go\n");
    const outputs = await Promise.all(workers.map((w) => w.done));
    const ms = performance.now() - start;
    for (const w of workers) w.child.stdin.end();
    await Promise.all(workers.map((w) => (w.child.exitCode === null ? new Promise((resolve) => w.child.once("exit", resolve)) : null)));
    return { outputs, ms };
  } catch (error) {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    throw error;
  }
}
