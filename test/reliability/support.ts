import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { nodeChild, REPO_ROOT } from "../helpers/node-child.js";

export { REPO_ROOT } from "../helpers/node-child.js";
export { NOW, seededRandom, storePathIn } from "./shared.js";

const CHILD_SCRIPTS = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** A private temp dir (0700), removed by the returned cleanup. */
export async function makeTempDir(prefix = "auth-profiles-reliability-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o700);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `text` as a private file (0600 in a 0700 dir). */
export async function writePrivate(path: string, text: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** Writes a JSON document as OpenClaw does (2-space, final newline), 0600. */
export function writeJsonPrivate(path: string, value: unknown): Promise<void> {
  return writePrivate(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The names in `dir` that start with `<base>.` (temp files, lock directories), sorted. */
export async function siblingsOf(path: string): Promise<string[]> {
  const base = path.slice(dirname(path).length + 1);
  return (await readdir(dirname(path))).filter((name) => name.startsWith(`${base}.`)).sort();
}

/**
 * Starts `test/reliability/fixtures/<script>` in a child Node process (stdin, stdout and stderr
 * piped), from the repository root, optionally as another OS user (`ids`, needs root). The script
 * runs bundled, with a plain `node` (see {@link nodeChild}): the first call for a script bundles it.
 */
export function startChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, ids?: { uid: number; gid: number }): ChildProcess {
  const command = nodeChild(join(CHILD_SCRIPTS, script), args);
  return spawn(command.command, command.args, {
    cwd: REPO_ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
    ...ids,
  });
}

/** What a child printed, line by line, and how it ended. */
export interface WatchedChild {
  /** The process. */
  readonly child: ChildProcess;
  /** Every complete stdout line so far. */
  readonly lines: readonly string[];
  /** Everything on stderr so far. */
  readonly stderr: () => string;
  /** Resolves once a stdout line equal to `line` was seen; rejects if the child ends first. */
  waitForLine(line: string): Promise<void>;
  /** Resolves when the process has exited and its streams are closed. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Collects a child's stdout lines and stderr; see {@link WatchedChild}. */
export function watchChild(child: ChildProcess): WatchedChild {
  const lines: string[] = [];
  let stderr = "";
  const waiters: { line: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A child killed before reading its stdin must not fail the run with EPIPE.
  child.stdin?.on("error", () => undefined);
  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.line === line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`child ended (${code ?? signal}) before printing "${waiter.line}": ${stderr}`));
      resolve({ code, signal });
    });
  });
  return {
    child,
    lines,
    stderr: () => stderr,
    waitForLine(line) {
      if (lines.includes(line)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`child already ended before printing "${line}": ${stderr}`));
        else waiters.push({ line, resolve, reject });
      });
    },
    closed,
  };
}

/** Runs a fixture to completion and returns its output. */
export async function runChild(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const watched = watchChild(startChild(script, args, env));
  watched.child.stdin?.end();
  const { code } = await watched.closed;
  return { code, stdout: watched.lines.join("\n"), stderr: watched.stderr() };
}

/** Resolves after `ms` of wall time (pauses between steps, never an assertion). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
