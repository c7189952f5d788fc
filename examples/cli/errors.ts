import { isAuthProfilesError, redactText } from "../../src/index.js";
import { writeLine, type CliIo } from "./io.js";

/** Exit code of a usage error. */
export const USAGE_EXIT_CODE = 2;

/** A mistake in how the CLI was called: code `USAGE`, exit code 2 unless told otherwise. */
export class CliUsageError extends Error {
  /** The fix to suggest. */
  readonly hint: string | undefined;
  /** The code printed in `Error [CODE]`. */
  readonly code: string;
  /** The process exit code. */
  readonly exitCode: number;

  /**
   * @param message - what is wrong
   * @param hint - what to run instead
   * @param options - another code / exit code (e.g. `NOT_FOUND`, 1)
   */
  constructor(message: string, hint?: string, options: { readonly code?: string; readonly exitCode?: number } = {}) {
    super(message);
    this.name = "CliUsageError";
    this.hint = hint;
    this.code = options.code ?? "USAGE";
    this.exitCode = options.exitCode ?? USAGE_EXIT_CODE;
  }
}

/**
 * Prints an error as `Error [CODE]: message` and `Hint: …` on stderr, never a stack trace unless
 * `DEBUG` is set, and returns the exit code.
 *
 * @param error - anything thrown
 * @param io - the CLI's streams and env
 * @returns 2 for usage errors, 130 for a cancelled prompt, else 1
 */
export function reportError(error: unknown, io: CliIo): number {
  const { code, message, hint, exitCode } = describe(error);
  writeLine(io.stderr, `Error [${code}]: ${message}`);
  if (hint !== undefined) writeLine(io.stderr, `Hint: ${hint}`);
  const debug = io.env["DEBUG"];
  if (debug !== undefined && debug !== "" && error instanceof Error && error.stack !== undefined) writeLine(io.stderr, error.stack);
  return exitCode;
}

function describe(error: unknown): { code: string; message: string; hint: string | undefined; exitCode: number } {
  if (isAuthProfilesError(error)) return { code: error.code, message: error.message, hint: error.hint, exitCode: 1 };
  if (error instanceof CliUsageError) return { code: error.code, message: error.message, hint: error.hint, exitCode: error.exitCode };
  if (error instanceof Error && error.name === "ExitPromptError") return { code: "CANCELLED", message: "Cancelled.", hint: undefined, exitCode: 130 };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "UNEXPECTED", message: redactText(message), hint: "Run again with DEBUG=1 to see the stack trace.", exitCode: 1 };
}
