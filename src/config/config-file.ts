import { readFile, stat } from "node:fs/promises";
import { AuthProfilesError } from "../model/errors.js";
import { PRIVATE_FILE_MODE, writeFileAtomically } from "../io/atomic-write.js";
import { hasJson5Comments } from "./json5-comments.js";

/**
 * Reads a config file as UTF-8.
 *
 * @param path - the config file
 * @returns the text, or `undefined` when the file does not exist
 * @throws AuthProfilesError `STORE_IO` when the file exists but cannot be read
 * @internal
 */
export async function readConfigFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw new AuthProfilesError("STORE_IO", `Could not read config ${path} (${errnoCode(error) ?? "I/O error"}).`, {
      hint: `Check that ${path} is a readable file.`,
      cause: error,
      details: { file: path },
    });
  }
}

/**
 * Rewrites a config file as JSON with 2-space indentation, atomically, keeping the file's mode
 * (0600 for a new file). JSON5 comments cannot survive the rewrite, so when the previous text had
 * comments its exact bytes are first saved to `<path>.bak`. Call it under the file's lock.
 *
 * @param path - the config file
 * @param value - the new top-level object
 * @param previous - the text the file had when it was read under the lock (`undefined`: new file)
 * @throws AuthProfilesError `STORE_IO` when the file cannot be written
 * @internal
 */
export async function writeConfigFile(path: string, value: unknown, previous: string | undefined): Promise<void> {
  try {
    const mode = previous === undefined ? PRIVATE_FILE_MODE : await existingMode(path);
    if (previous !== undefined && hasJson5Comments(previous)) {
      await writeFileAtomically(`${path}.bak`, previous, { mode });
    }
    await writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`, { mode });
  } catch (error) {
    throw new AuthProfilesError("STORE_IO", `Could not write config ${path} (${errnoCode(error) ?? "I/O error"}).`, {
      hint: `Check that ${path} and its directory are writable.`,
      cause: error,
      details: { file: path },
    });
  }
}

async function existingMode(path: string): Promise<number> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return PRIVATE_FILE_MODE;
  }
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
