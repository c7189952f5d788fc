import { password } from "@inquirer/prompts";
import { CliUsageError } from "./errors.js";
import { promptContext, readAll, type CliIo } from "./io.js";

/** Options of {@link readSecret}. */
export interface ReadSecretOptions {
  /** The prompt shown on a terminal, e.g. `Paste Anthropic setup-token`. */
  readonly message: string;
  /** A value given as a flag, used as is. */
  readonly given?: string | undefined;
  /** `false` with `--non-interactive`: never prompt. */
  readonly interactive: boolean;
  /** What to tell a person who gave nothing. */
  readonly hint: string;
  /** Checks the value while it is typed; returns an error text or `true`. */
  readonly validate?: (value: string) => string | true;
}

/**
 * Reads a secret: the flag value, else a hidden prompt on a terminal, else piped stdin. The value
 * is never echoed.
 *
 * @param io - the CLI's streams
 * @param options - prompt text, flag value, whether prompting is allowed
 * @returns the secret as given (the library trims it and says when it did)
 * @throws CliUsageError when nothing was given and the CLI cannot ask
 */
export async function readSecret(io: CliIo, options: ReadSecretOptions): Promise<string> {
  if (options.given !== undefined) return options.given;
  if (io.isTTY) {
    if (!options.interactive) throw new CliUsageError("No secret given and --non-interactive forbids asking for one.", options.hint);
    const validate = options.validate;
    const value = await password(
      { message: options.message, mask: "*", ...(validate === undefined ? {} : { validate: (v: string) => validate(v) }) },
      promptContext(io),
    );
    return value;
  }
  const piped = await readAll(io.stdin);
  if (piped.trim() === "") throw new CliUsageError("Nothing was piped on stdin.", options.hint);
  return piped;
}
