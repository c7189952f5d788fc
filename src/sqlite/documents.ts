import { AuthProfilesError } from "../model/errors.js";
import type { StoreData } from "../model/store.js";
import { mergeAuthState, splitAuthState } from "../store/auth-state.js";
import { emptyStore } from "../store/format.js";
import { materializeStore } from "../store/kept-entries.js";
import { validateStore } from "../store/validate.js";

/**
 * Merges OpenClaw's two documents into one store document, as OpenClaw does: for `order`,
 * `lastGood` and `usageStats` the state document wins per key (per provider, per profile); the
 * credentials document's own copies count only where the state has nothing.
 *
 * @param storeText - the credentials document's JSON, or `undefined`
 * @param stateText - the state document's JSON, or `undefined`
 * @param where - the database path, for messages
 * @returns the validated document (entries it cannot use are set aside, not fatal)
 * @throws AuthProfilesError `STORE_INVALID` when a row is not a JSON object
 * @internal
 */
export function mergeDocuments(storeText: string | undefined, stateText: string | undefined, where: string): StoreData {
  if (storeText === undefined && stateText === undefined) return emptyStore();
  const store = storeText === undefined ? { version: 1, profiles: {} } : parseRow(storeText, `${where} (credentials row)`);
  const state = stateText === undefined ? undefined : parseRow(stateText, `${where} (state row)`);
  const merged = mergeAuthState(store, state);
  return validateStore(merged, where, "read");
}

/**
 * Splits a store document into OpenClaw's two documents: credentials and every other top-level
 * field in the first, `order`, `lastGood` and `usageStats` in the second (each with `version`).
 * Entries set aside on read are put back as they were; the state row keeps its own layout and
 * any field of its own this version does not know.
 *
 * @param data - the document to write
 * @param previousState - the state row's JSON as read, if any
 * @returns both documents as compact JSON
 * @internal
 */
export function splitDocument(data: StoreData, previousState?: string): { readonly store: string; readonly state: string } {
  const { credentials: store, state } = splitAuthState(materializeStore(data), previousStateObject(previousState));
  return { store: JSON.stringify(store), state: JSON.stringify(state) };
}

/**
 * Whether two JSON texts hold the same value (so an unchanged row is not rewritten).
 *
 * @param a - JSON text or `undefined`
 * @param b - JSON text
 * @internal
 */
export function sameJson(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  try {
    return JSON.stringify(JSON.parse(a)) === b;
  } catch {
    return false;
  }
}

function parseRow(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AuthProfilesError("STORE_INVALID", `Profile store ${where} does not hold valid JSON.`, {
      hint: "Let OpenClaw repair its database (openclaw doctor), or restore a backup; nothing was changed.",
      cause,
      details: { file: where, jsonPath: "(root)", reason: "syntax" },
    });
  }
  if (!isRecord(value)) {
    throw new AuthProfilesError("STORE_INVALID", `Profile store ${where} does not hold a JSON object.`, {
      hint: "Let OpenClaw repair its database (openclaw doctor), or restore a backup; nothing was changed.",
      details: { file: where, jsonPath: "(root)", reason: "not_object" },
    });
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The state row as an object, or `undefined` when there is none (a bad row failed the read before). */
function previousStateObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
