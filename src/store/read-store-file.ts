import { setTimeout as sleep } from "node:timers/promises";
import { AuthProfilesError, isAuthProfilesError } from "../model/errors.js";
import type { FileIdentity } from "../io/file-identity.js";
import { assertSafeDirectory, type FileSafetyOptions } from "../io/file-safety.js";
import { readCheckedFile, UnreadableFileError } from "../io/read-checked-file.js";
import { emptyStore, parseStoreJson } from "./format.js";
import type { StoreData } from "../model/store.js";
import { mergeAuthState, type JsonObject } from "./auth-state.js";
import { STORE_VERSION } from "./schema.js";
import { validateStore } from "./validate.js";

/** How often a store that does not parse is read again before the error is reported. */
const PARSE_RETRIES = 3;

/**
 * The largest store file read (32 MiB, about 100,000 profiles): a larger one is `STORE_INVALID`
 * instead of a process that runs out of memory.
 */
export const STORE_MAX_BYTES = 32 * 1024 * 1024;

/** A store as read from disk. @internal */
export interface StoreSnapshot {
  /** The parsed document (an empty one when the file is missing); merged with the state file when one was read. */
  readonly data: StoreData;
  /** The exact file content, or `null` when the file is missing. */
  readonly text: string | null;
  /** The file's identity when it was opened, or `null` when it was missing. */
  readonly identity: FileIdentity | null;
  /** The credentials file's JSON object as parsed, or `null` when the file is missing. */
  readonly raw: JsonObject | null;
  /** The state file (`auth-state.json`), when the caller asked for it. */
  readonly state?: StateFileSnapshot | undefined;
}

/** `auth-state.json` as read from disk. @internal */
export interface StateFileSnapshot {
  /** The state file. */
  readonly path: string;
  /** The exact content, or `null` when the file is missing. */
  readonly text: string | null;
  /** Its identity when it was opened, or `null` when it was missing. */
  readonly identity: FileIdentity | null;
  /** Its JSON object as parsed, or `null` when the file is missing. */
  readonly raw: JsonObject | null;
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
  const file = await readJsonFile(path, parseRetryMs, safety);
  if (file === null) return { data: emptyStore(), text: null, identity: null, raw: null };
  const data = validateStore(file.value, path, "read");
  return { data, text: file.text, identity: file.identity, raw: file.value as JsonObject };
}

/**
 * Reads a store file and the `auth-state.json` beside it (OpenClaw ≥ 2026.4.7), and merges them as
 * OpenClaw does (see `mergeAuthState`): the state file wins per provider and per profile.
 *
 * @remarks
 * The state file is read first, then the credentials. An update writes them in the other order
 * (credentials, then state), so a reader that races an update sees the new state only together
 * with the new credentials. Both files are checked like a store file; the state file is checked on
 * its own too, so that an error in it names it. A state file that is missing reads as none (the
 * result is then {@link readStoreFile}'s).
 *
 * With `previous` (a snapshot of this store read or written earlier, without a state file), a
 * credentials file whose text is exactly `previous.text` while the state file is still missing is
 * not parsed again: `previous.data` is returned with the new identity. The file is still opened,
 * checked and read in full; only the parse and the validation of identical bytes are saved.
 *
 * @param path - the store file
 * @param statePath - the state file
 * @param parseRetryMs - total time to keep retrying a torn read (0: no retry)
 * @param safety - the permission opt-out (and `directoryChecked`: the caller has just checked the directory)
 * @param previous - an earlier snapshot whose document may be reused for identical text
 * @returns the snapshot, with `state`
 * @throws AuthProfilesError `STORE_INVALID`, `FILE_UNSAFE`, `STORE_IO`, naming the file at fault
 * @internal
 */
export async function readStoreFiles(
  path: string,
  statePath: string,
  parseRetryMs: number,
  safety: FileSafetyOptions & { readonly directoryChecked?: boolean } = {},
  previous: StoreSnapshot | null = null,
): Promise<StoreSnapshot> {
  // One directory check for both files, naming the store file: the state file is read first but
  // may not exist, and an unsafe directory is the store's problem. A followed link keeps the state
  // file's own check (its target may lie elsewhere). A caller that has just checked it says so.
  if (safety.directoryChecked !== true) await assertSafeDirectory(path, safety);
  const stateFile = await readJsonFile(statePath, parseRetryMs, { ...safety, directoryChecked: safety.followSymlink !== true });
  // Checked on its own first: a document that is not an object, a wrong version or a number JSON
  // cannot hold is an error naming the state file (single bad entries are set aside later).
  if (stateFile !== null) validateStore(stateFile.value, statePath, "read");
  const state: StateFileSnapshot =
    stateFile === null
      ? { path: statePath, text: null, identity: null, raw: null }
      : { path: statePath, text: stateFile.text, identity: stateFile.identity, raw: stateFile.value as JsonObject };
  const reusable = state.raw === null && previous !== null && previous.text !== null && (previous.state === undefined || previous.state.raw === null) ? previous : null;
  const file = await readJsonFile(path, parseRetryMs, { ...safety, directoryChecked: true }, reusable?.text ?? null);
  if (file !== null && file.same && reusable !== null) return { data: reusable.data, text: file.text, identity: file.identity, raw: reusable.raw, state };
  if (state.raw === null) {
    if (file === null) return { data: emptyStore(), text: null, identity: null, raw: null, state };
    return { data: validateStore(file.value, path, "read"), text: file.text, identity: file.identity, raw: file.value as JsonObject, state };
  }
  // Checks the credentials document's own shape (object, version) with messages naming it.
  if (file !== null && !isRecord(file.value)) validateStore(file.value, path, "read");
  const credentials = file === null ? (emptyStore() as unknown as JsonObject) : (file.value as JsonObject);
  if (file !== null) assertCredentialsVersion(credentials, path);
  const data = validateStore(mergeAuthState(credentials, state.raw), path, "read");
  return { data, text: file?.text ?? null, identity: file?.identity ?? null, raw: file === null ? null : credentials, state };
}

/** A wrong version in the credentials file is named as such, before the merge hides which file held it. */
function assertCredentialsVersion(credentials: JsonObject, path: string): void {
  if (credentials["version"] !== STORE_VERSION) validateStore(credentials, path, "read");
}

async function readJsonFile(
  path: string,
  parseRetryMs: number,
  safety: FileSafetyOptions & { readonly directoryChecked?: boolean },
  sameAs: string | null = null,
): Promise<{ readonly text: string; readonly identity: FileIdentity; readonly value: unknown; readonly same: boolean } | null> {
  for (let attempt = 0; ; attempt += 1) {
    const file = await readOrNull(path, safety);
    if (file === null) return null;
    // Text known to parse (and what it parses to) is not parsed again.
    if (sameAs !== null && file.text === sameAs) return { text: file.text, identity: file.identity, value: undefined, same: true };
    try {
      return { text: file.text, identity: file.identity, value: parseStoreJson(file.text, path), same: false };
    } catch (error) {
      if (!isTornRead(error) || attempt >= PARSE_RETRIES || parseRetryMs <= 0) throw error;
      await sleep(parseRetryMs / PARSE_RETRIES);
    }
  }
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isTornRead(error: unknown): boolean {
  return isAuthProfilesError(error, "STORE_INVALID") && (error.details.reason === "empty" || error.details.reason === "syntax");
}

async function readOrNull(path: string, safety: FileSafetyOptions & { readonly directoryChecked?: boolean }): ReturnType<typeof readCheckedFile> {
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
