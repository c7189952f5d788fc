import { stat } from "node:fs/promises";
import { AuthProfilesError } from "../model/errors.js";
import { PRIVATE_FILE_MODE, writeFileAtomically } from "../io/atomic-write.js";
import { assertSafeDirectory, assertSafeOpenedFile } from "../io/file-safety.js";
import { readCheckedFile, UnreadableFileError } from "../io/read-checked-file.js";
import { hasJson5Comments } from "./json5-comments.js";

/** The largest config file read (4 MiB): a larger one is `CONFIG_PARSE`, not a stalled process. */
export const CONFIG_MAX_BYTES = 4 * 1024 * 1024;

/** Options of {@link readConfigFile}. @internal */
export interface ReadConfigFileOptions {
  /** Accept a config holding secrets that another user owns or could replace. Default `false`. */
  readonly allowUnsafePermissions?: boolean | undefined;
}

/**
 * Reads a config file as strict UTF-8, refusing anything but a regular file of at most
 * {@link CONFIG_MAX_BYTES}.
 *
 * @remarks
 * A config that holds a secret literal (see {@link holdsSecretLiteral}) gets the checks of a
 * credential file, made on the opened file: owned by this user, no group/other permission bits,
 * in a directory no other user can write to. A config without one (keys come from `${VAR}`, or
 * live in the store) is bot configuration only, often shared read-only, and is not refused.
 *
 * @param path - the config file
 * @param options - the permission opt-out
 * @returns the text, or `undefined` when the file does not exist
 * @throws AuthProfilesError `STORE_IO` when the file exists but cannot be read or is not a regular
 *   file; `CONFIG_PARSE` when it is too large or not UTF-8; `FILE_UNSAFE`
 * @internal
 */
export async function readConfigFile(path: string, options: ReadConfigFileOptions = {}): Promise<string | undefined> {
  let file;
  try {
    file = await readCheckedFile(path, { maxBytes: CONFIG_MAX_BYTES, allowUnsafePermissions: true });
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    throw configReadError(path, error);
  }
  if (file === null) return undefined;
  if (options.allowUnsafePermissions !== true && holdsSecretLiteral(file.text)) {
    await assertSafeDirectory(path);
    assertSafeOpenedFile(path, file.stats);
  }
  return file.text;
}

/**
 * Tells whether config text holds a secret literal: an `sk-ant-` value, or a string value (not a
 * `${VAR}` reference) under a key named like `apiKey`, `*_KEY`, `*token*`, `*secret*` or
 * `*password*`.
 *
 * @param text - the config text
 * @returns `true` when a secret seems written in the file itself
 * @internal
 */
export function holdsSecretLiteral(text: string): boolean {
  return /sk-ant-[A-Za-z0-9]/.test(text) || /(?:key|token|secret|password)["']?\s*:\s*["'](?!\$\{)[^"'\s]/i.test(text);
}

function configReadError(path: string, error: UnreadableFileError): AuthProfilesError {
  switch (error.reason) {
    case "not-regular":
      return new AuthProfilesError("STORE_IO", `Config ${path} is a ${error.fact}, not a regular file.`, {
        hint: `Remove ${path} (nothing was read from it), or pass configPath pointing at the real config (false: none).`,
        cause: error,
        details: { file: path, reason: "not-regular", kind: error.fact },
      });
    case "too-large":
    case "not-utf8":
      return new AuthProfilesError("CONFIG_PARSE", `Config ${path} ${error.reason === "too-large" ? `is larger than ${error.fact} bytes` : "is not valid UTF-8"}; it was not read.`, {
        hint: `Restore ${path} from a backup, or pass configPath pointing at the real config.`,
        cause: error,
        details: { file: path, jsonPath: "(root)", reason: error.reason },
      });
    case "io":
      return new AuthProfilesError("STORE_IO", `Could not read config ${path} (${error.fact}).`, {
        hint: `Check that ${path} is a readable file.`,
        cause: error.cause ?? error,
        details: { file: path, errno: error.fact },
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
