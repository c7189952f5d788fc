import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { AuthProfilesError, isAuthProfilesError } from "../model/errors.js";
import { emptyStore, parseStore } from "./format.js";
import type { StoreData } from "../model/store.js";

/** How often a store that does not parse is read again before the error is reported. */
const PARSE_RETRIES = 3;

/** A store as read from disk. @internal */
export interface StoreSnapshot {
  /** The parsed document (an empty one when the file is missing). */
  readonly data: StoreData;
  /** The exact file content, or `null` when the file is missing. */
  readonly text: string | null;
}

/**
 * Reads and parses a store file. A missing file reads as an empty store.
 *
 * @remarks
 * OpenClaw writes the store in place (truncate, then write), so a reader can catch it empty or
 * half written. An empty or syntactically broken file is therefore read again
 * {@link PARSE_RETRIES} times spread over `parseRetryMs` before `STORE_INVALID` is thrown. A file
 * that parses but has a bad shape fails at once. The file is opened without following symbolic
 * links, closing the gap between the safety check and the read.
 *
 * @param path - the store file
 * @param parseRetryMs - total time to keep retrying a torn read (0: no retry)
 * @returns the snapshot
 * @throws AuthProfilesError `STORE_INVALID`, `FILE_UNSAFE` (the path became a link), `STORE_IO`
 * @internal
 */
export async function readStoreFile(path: string, parseRetryMs: number): Promise<StoreSnapshot> {
  for (let attempt = 0; ; attempt += 1) {
    const text = await readTextOrNull(path);
    if (text === null) return { data: emptyStore(), text: null };
    try {
      return { data: parseStore(text, path), text };
    } catch (error) {
      if (!isTornRead(error) || attempt >= PARSE_RETRIES || parseRetryMs <= 0) throw error;
      await sleep(parseRetryMs / PARSE_RETRIES);
    }
  }
}

function isTornRead(error: unknown): boolean {
  return isAuthProfilesError(error, "STORE_INVALID") && (error.details.reason === "empty" || error.details.reason === "syntax");
}

async function readTextOrNull(path: string): Promise<string | null> {
  let handle;
  try {
    // O_NOFOLLOW is undefined on Windows; 0 leaves the flags unchanged there.
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    return await handle.readFile({ encoding: "utf8" });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT") return null;
    if (code === "ELOOP") {
      throw new AuthProfilesError("FILE_UNSAFE", `Refusing to use ${path}: it is a symbolic link.`, {
        hint: "Point the store option at the real file, or replace the link with the file itself.",
        details: { file: path, reason: "symlink" },
      });
    }
    throw new AuthProfilesError("STORE_IO", `Could not read profile store ${path}.`, {
      hint: code === "EACCES" ? `Check the owner and mode of ${path} (this user must be able to read it).` : `Check that ${path} is a readable file.`,
      cause: error,
      details: { file: path },
    });
  } finally {
    await handle?.close();
  }
}
