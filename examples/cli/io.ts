import { Writable, type Readable } from "node:stream";
import { redactText } from "../../src/index.js";

/** The streams, environment and clock the CLI runs with, so the demo and tests can drive it in-process. */
export interface CliIo {
  /** Where piped secrets are read from. */
  readonly stdin: Readable;
  /** Reports and results. */
  readonly stdout: Writable;
  /** Errors, hints and warnings. */
  readonly stderr: Writable;
  /** The environment the library reads (never written). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `true` when stdin and stdout are a terminal: prompts are allowed. */
  readonly isTTY: boolean;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Writes one line to a stream. Every line passes through `redactText` as a last safety net: the
 * commands never print secrets, and this makes sure a slip would still be masked.
 *
 * @param stream - stdout or stderr
 * @param line - the text, without the newline
 */
export function writeLine(stream: Writable, line = ""): void {
  stream.write(`${redactText(line)}\n`);
}

/**
 * Reads all of stdin as text (a piped secret), as piped: the library trims it and says when it did.
 *
 * @param stdin - the stream
 * @returns the text
 */
export async function readAll(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The streams for an `@inquirer/prompts` prompt. Inquirer pipes its output into ours, and `pipe`
 * ends its destination when done (except `process.stdout`); a pass-through that forwards writes but
 * not the end keeps `io.stdout` usable after the prompt when the CLI runs in-process.
 *
 * @param io - the CLI's streams
 * @returns the prompt context
 */
export function promptContext(io: CliIo): { readonly input: Readable; readonly output: Writable } {
  const output = new Writable({
    write(chunk: Buffer | string, encoding, done) {
      io.stdout.write(chunk, encoding, done);
    },
  });
  return { input: io.stdin, output };
}
