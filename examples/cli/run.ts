import { CommanderError } from "commander";
import { reportError, USAGE_EXIT_CODE } from "./errors.js";
import type { CliIo } from "./io.js";
import { buildProgram } from "./program.js";

export type { CliIo } from "./io.js";

/**
 * Runs the example CLI on the given arguments and streams, in-process (the demo and tests use it;
 * `examples/cli.ts` passes the real process streams).
 *
 * @param argv - the arguments after the script name, e.g. `["models", "status", "--json"]`
 * @param io - stdin, stdout, stderr, env, whether a terminal is attached, and an optional clock
 * @returns the exit code: 0 success, 1 failure, 2 usage error (or `models status --check`'s verdict)
 *
 * @example
 * ```ts
 * const code = await runCli(["onboard", "--anthropic-api-key", key, "--state-dir", dir], { stdin, stdout, stderr, env: {}, isTTY: false });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(
    io,
    (code) => {
      exitCode = code;
    },
    argv,
  );
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    return reportError(error, io);
  }
}
