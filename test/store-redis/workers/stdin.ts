import { createInterface } from "node:readline";

/**
 * Resolves with the next line the parent test writes to stdin.
 *
 * @returns the line
 */
export async function nextStdinLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  const line = await new Promise<string>((resolve) => lines.once("line", resolve));
  lines.close();
  return line;
}
