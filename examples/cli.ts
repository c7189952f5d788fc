/**
 * The example CLI: `npm run cli -- <command>` (see `npm run cli -- --help`).
 *
 * @example
 * ```sh
 * npm run cli -- onboard --anthropic-api-key "$KEY" --agent main
 * claude setup-token | npm run cli -- models auth paste-token --provider anthropic
 * npm run cli -- models status --check
 * ```
 *
 * @module
 */
import { runCli } from "./cli/run.js";

process.exitCode = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stdin.isTTY === true && process.stdout.isTTY === true,
});
