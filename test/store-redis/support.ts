import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { nodeChild, REPO_ROOT } from "../helpers/node-child.js";

/** A test script run as its own process (a "host"), talking line by line on stdin/stdout. */
export interface WorkerProcess {
  /** Resolves with the first stdout line that starts with `prefix`. */
  waitForLine(prefix: string): Promise<string>;
  /** Writes one line to its stdin. */
  send(line: string): void;
  /** Sends a signal. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when it exits, with its exit code and output. */
  readonly exited: Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>;
}

/**
 * Starts `test/store-redis/workers/<name>.ts` from the repository root: bundled, with a plain
 * `node` (see {@link nodeChild}).
 *
 * @param name - the worker file name without extension
 * @param args - its arguments
 * @returns the running worker
 */
export function spawnWorker(name: string, args: readonly string[]): WorkerProcess {
  const script = fileURLToPath(new URL(`./workers/${name}.ts`, import.meta.url));
  const command = nodeChild(script, args);
  const child: ChildProcess = spawn(command.command, command.args, { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { readonly prefix: string; readonly resolve: (line: string) => void; readonly reject: (error: Error) => void }[] = [];
  const scan = (): void => {
    const lines = stdout.split("\n").slice(0, -1);
    for (const waiter of [...waiters]) {
      const line = lines.find((candidate) => candidate.startsWith(waiter.prefix));
      if (line === undefined) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    scan();
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once("exit", (code) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`worker ${name} exited (${String(code)}) before "${waiter.prefix}": ${stderr}`));
      resolve({ code, stdout, stderr });
    });
  });
  return {
    waitForLine: (prefix) =>
      new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve, reject });
        scan();
      }),
    send: (line) => child.stdin?.write(`${line}\n`),
    kill: (signal) => child.kill(signal),
    exited,
  };
}
