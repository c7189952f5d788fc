import { AuthProfilesError } from "../model/errors.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../model/json-depth.js";
import { STORE_VERSION } from "./schema.js";
import type { StoreData } from "../model/store.js";
import { validateStore } from "./validate.js";
import { materializeStore } from "./kept-entries.js";
import { stringifyDocument } from "./incremental-json.js";
import { requireObject, requireString } from "../model/arguments.js";

/**
 * Parses the text of an `auth-profiles.json` file (version 1).
 *
 * @remarks
 * Unknown fields (top level, per profile, per usage entry) are kept with their key order, and a
 * profile whose `type` is unknown is kept as an {@link UnknownProfile}, so {@link serializeStore}
 * writes back what another program stored. Error messages name the file and the JSON path, never a
 * value from the file.
 *
 * @param text - the file content
 * @param file - the file path, used in messages
 * @returns the validated document
 * @throws AuthProfilesError `STORE_INVALID` for an empty file, invalid JSON, nesting deeper than
 * `MAX_JSON_DEPTH` (64), a document that is not an object, a version other than 1, or a number JSON
 * cannot hold (`1e309`). An entry with a bad shape is set aside instead (see `KeptEntry`).
 *
 * @example
 * ```ts
 * const store = parseStore(await readFile(path, "utf8"), path);
 * ```
 *
 * @category Store
 */
export function parseStore(text: string, file: string): StoreData {
  requireString("parseStore", "text", text);
  requireString("parseStore", "file", file);
  return validateStore(parseStoreJson(text, file), file, "read");
}

/**
 * The JSON value of a store file's text, before any schema check: what {@link parseStore} checks.
 *
 * @param text - the file content
 * @param file - the file path, used in messages
 * @returns the parsed value
 * @throws AuthProfilesError `STORE_INVALID` for an empty file, invalid JSON or nesting deeper than `MAX_JSON_DEPTH`
 * @internal
 */
export function parseStoreJson(text: string, file: string): unknown {
  // Windows editors like to add a byte order mark; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") {
    throw new AuthProfilesError("STORE_INVALID", `Profile store ${file} is empty.`, {
      hint: `If a program is writing ${file} right now, retry. Otherwise delete the empty file or restore a backup; it was not changed.`,
      details: { file, jsonPath: "(root)", reason: "empty" },
    });
  }
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw new AuthProfilesError("STORE_INVALID", `Profile store ${file} nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels; it was not changed.`, {
      hint: `No program writes an auth-profiles.json like this: restore a backup of ${file}.`,
      details: { file, jsonPath: "(root)", reason: "depth", maxDepth: MAX_JSON_DEPTH },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw syntaxError(body, file, error);
  }
  return value;
}

/**
 * Serializes a store document the way OpenClaw writes it: 2-space JSON with a final newline, key
 * order and unknown fields as they are in `data`, and every entry that was set aside on read
 * (`KeptEntry`) put back where it was.
 *
 * @remarks
 * The text is exactly `JSON.stringify(document, null, 2)`; the text of each profile, usage entry
 * and order list is kept per object, so serializing a document that shares most entries with one
 * serialized before costs only the entries that changed.
 *
 * @param data - the document
 * @returns the file content
 *
 * @category Store
 */
export function serializeStore(data: StoreData): string {
  requireObject("serializeStore", "data", data);
  return `${stringifyDocument(materializeStore(data))}\n`;
}

/**
 * A new, empty store document: what a missing `auth-profiles.json` reads as.
 *
 * @returns `{ version: 1, profiles: {} }` (a fresh object on every call)
 *
 * @category Store
 */
export function emptyStore(): StoreData {
  return { version: STORE_VERSION, profiles: {} };
}

/**
 * V8's JSON errors quote part of the input, which may be a secret: keep only the position.
 */
function syntaxError(body: string, file: string, error: unknown): AuthProfilesError {
  const raw = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(raw)?.[1];
  let where = "";
  if (position !== undefined) {
    const before = body.slice(0, Number(position));
    const line = before.split("\n").length;
    const column = Number(position) - before.lastIndexOf("\n");
    where = ` at line ${line}, column ${column}`;
  } else if (/end of JSON input/i.test(raw)) {
    where = " (it ends too early: truncated?)";
  }
  return new AuthProfilesError("STORE_INVALID", `Profile store ${file} is not valid JSON${where}.`, {
    hint: `If a program is writing ${file} right now, retry. Otherwise fix the JSON by hand or restore a backup; the file was not changed.`,
    cause: new SyntaxError(`Invalid JSON${where}`),
    details: { file, jsonPath: "(root)", reason: "syntax", ...(position === undefined ? {} : { position: Number(position) }) },
  });
}
