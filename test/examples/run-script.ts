import { spawn } from "node:child_process";
import { nodeChild, REPO_ROOT } from "../helpers/node-child.js";

/** The repository root (scripts run from there). */
export { REPO_ROOT } from "../helpers/node-child.js";

/** What a finished child process left behind. */
export interface ScriptResult {
  /** Exit code (`null` when killed). */
  readonly code: number | null;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** Options of {@link runScript}. */
export interface RunScriptOptions {
  /** The child's whole environment. */
  readonly env: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed. Default: closed at once. */
  readonly stdin?: string;
  /** Kills the child after this long (a hung child must not hang the suite). Default 100 s (the test timeout is 120 s). */
  readonly killAfterMs?: number;
}

/**
 * Runs `<script> …args` from the repository root as a real child process: bundled, with a plain
 * `node` (see {@link nodeChild}).
 *
 * @param script - path relative to the repository root, e.g. `examples/cli.ts`
 * @param args - its arguments
 * @param options - env and stdin
 * @returns exit code and output
 */
export function runScript(script: string, args: readonly string[], options: RunScriptOptions): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const command = nodeChild(script, args);
    const child = spawn(command.command, command.args, { cwd: REPO_ROOT, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 100_000);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
    });
    // A child that exits before reading its stdin must not fail the run with EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
}
