import { spawn, type ChildProcess } from "node:child_process";
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeChild, REPO_ROOT } from "../helpers/node-child.js";

export { REPO_ROOT } from "../helpers/node-child.js";
const FIXTURE_STORES = fileURLToPath(new URL("../fixtures/store/", import.meta.url));
const CHILD_SCRIPTS = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** A private temp dir, removed by the returned cleanup. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "auth-profiles-store-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies `test/fixtures/store/<name>` to `target` with mode 0600. */
export async function copyFixture(name: string, target: string): Promise<void> {
  await copyFile(join(FIXTURE_STORES, name), target);
  await chmod(target, 0o600);
}

/** Writes `text` to a new or existing file and sets its mode to 0600. */
export async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  await chmod(path, 0o600);
}

/**
 * Starts `test/store/fixtures/<script>` in a child Node process (bundled, with a plain `node`: see
 * {@link nodeChild}) from the repository root.
 */
export function startChild(script: string, args: readonly string[]): ChildProcess {
  const command = nodeChild(join(CHILD_SCRIPTS, script), args);
  return spawn(command.command, command.args, {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** What a finished child printed and how it ended. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Resolves when `child` exits, with its output. */
export function waitForExit(child: ChildProcess): Promise<ChildResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves once `child` printed `line` on stdout; rejects if it exits first. */
export function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    let stderr = "";
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.split("\n").includes(line)) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before printing "${line}": ${stderr}`)));
  });
}

/** Runs a child to completion. */
export function runChild(script: string, args: readonly string[]): Promise<ChildResult> {
  return waitForExit(startChild(script, args));
}
