import { setTimeout as sleep } from "node:timers/promises";
import { AuthProfilesError, isAuthProfilesError } from "../model/errors.js";
import type { FileIdentity } from "../io/file-identity.js";
import type { FileSafetyOptions } from "../io/file-safety.js";
import { readCheckedFile, UnreadableFileError } from "../io/read-checked-file.js";
import { emptyStore, parseStore } from "./format.js";
import type { StoreData } from "../model/store.js";

/** How often a store that does not parse is read again before the error is reported. */
const PARSE_RETRIES = 3;

/**
 * The largest store file read (32 MiB, about 100,000 profiles): a larger one is `STORE_INVALID`
 * instead of a process that runs out of memory.
 */
export const STORE_MAX_BYTES = 32 * 1024 * 1024;

/** A store as read from disk. @internal */
export interface StoreSnapshot {
  /** The parsed document (an empty one when the file is missing). */
  readonly data: StoreData;
  /** The exact file content, or `null` when the file is missing. */
  readonly text: string | null;
  /** The file's identity when it was opened, or `null` when it was missing. */
  readonly identity: FileIdentity | null;
}

/**
 * Reads and parses a store file. A missing file reads as an empty store.
 *
 * @remarks
 * The file is read with `readCheckedFile`: its directory and the opened file are checked (owner,
 * mode, a regular file, at most {@link STORE_MAX_BYTES}, strict UTF-8) before it is parsed.
 * OpenClaw writes the store in place (truncate, then write), so a reader can catch it empty or
 * half written. An empty or syntactically broken file is therefore read again
 * {@link PARSE_RETRIES} times spread over `parseRetryMs` before `STORE_INVALID` is thrown. A file
 * that parses but has a bad shape fails at once.
 *
 * @param path - the store file
 * @param parseRetryMs - total time to keep retrying a torn read (0: no retry)
 * @param safety - the permission opt-out
 * @returns the snapshot
 * @throws AuthProfilesError `STORE_INVALID` (content, size, encoding, nesting), `FILE_UNSAFE`,
 *   `STORE_IO` (unreadable, or not a regular file)
 * @internal
 */
export async function readStoreFile(path: string, parseRetryMs: number, safety: FileSafetyOptions = {}): Promise<StoreSnapshot> {
  for (let attempt = 0; ; attempt += 1) {
    const file = await readOrNull(path, safety);
    if (file === null) return { data: emptyStore(), text: null, identity: null };
    try {
      return { data: parseStore(file.text, path), text: file.text, identity: file.identity };
    } catch (error) {
      if (!isTornRead(error) || attempt >= PARSE_RETRIES || parseRetryMs <= 0) throw error;
      await sleep(parseRetryMs / PARSE_RETRIES);
    }
  }
}

function isTornRead(error: unknown): boolean {
  return isAuthProfilesError(error, "STORE_INVALID") && (error.details.reason === "empty" || error.details.reason === "syntax");
}

async function readOrNull(path: string, safety: FileSafetyOptions): ReturnType<typeof readCheckedFile> {
  try {
    return await readCheckedFile(path, { ...safety, maxBytes: STORE_MAX_BYTES });
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    throw storeReadError(path, error);
  }
}

function storeReadError(path: string, error: UnreadableFileError): AuthProfilesError {
  const unchanged = "; it was not changed";
  switch (error.reason) {
    case "not-regular":
      return new AuthProfilesError("STORE_IO", `Profile store ${path} is a ${error.fact}, not a regular file.`, {
        hint: `Remove ${path} (nothing was read from it), or point the store option at the real auth-profiles.json.`,
        cause: error,
        details: { file: path, reason: "not-regular", kind: error.fact },
      });
    case "too-large":
      return new AuthProfilesError("STORE_INVALID", `Profile store ${path} is larger than ${error.fact} bytes${unchanged}.`, {
        hint: `An auth-profiles.json this large is not one this library or OpenClaw wrote; restore a backup of ${path}.`,
        cause: error,
        details: { file: path, jsonPath: "(root)", reason: "too-large", maxBytes: Number(error.fact) },
      });
    case "not-utf8":
      return new AuthProfilesError("STORE_INVALID", `Profile store ${path} is not valid UTF-8${unchanged}.`, {
        hint: `Restore a backup of ${path}, or re-save it as UTF-8 JSON.`,
        cause: error,
        details: { file: path, jsonPath: "(root)", reason: "encoding" },
      });
    case "io":
      return new AuthProfilesError("STORE_IO", `Could not read profile store ${path} (${error.fact}).`, {
        hint: error.fact === "EACCES" ? `Check the owner and mode of ${path} (this user must be able to read it).` : `Check that ${path} is a readable file.`,
        cause: error.cause ?? error,
        details: { file: path, errno: error.fact },
      });
  }
}
