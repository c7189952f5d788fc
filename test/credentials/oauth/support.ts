import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeChild, REPO_ROOT } from "../../helpers/node-child.js";

export { REPO_ROOT } from "../../helpers/node-child.js";
const CHILD_SCRIPTS = fileURLToPath(new URL("./fixtures/", import.meta.url));

/** A private temp dir, removed by the returned cleanup. */
export async function makeTempDir(prefix = "auth-profiles-oauth-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o700);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes JSON (2-space, final newline) with mode 0600 and returns the exact text written. */
export async function writeJson(path: string, value: unknown, mode = 0o600): Promise<string> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(path, text);
  await chmod(path, mode);
  return text;
}

/** Reads a file as UTF-8. */
export function readText(path: string): Promise<string> {
  return readFile(path, "utf8");
}

/** What a finished child printed and how it ended. */
export interface ChildResult {
  /** Exit code. */
  readonly code: number | null;
  /** Everything on stdout. */
  readonly stdout: string;
  /** Everything on stderr. */
  readonly stderr: string;
}

/**
 * Runs `test/credentials/oauth/fixtures/<script>` in a child Node process (bundled, with a plain
 * `node`: see {@link nodeChild}) from the repository root, and waits for it.
 */
export function runChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildResult> {
  const command = nodeChild(join(CHILD_SCRIPTS, script), args);
  const child = spawn(command.command, command.args, {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
