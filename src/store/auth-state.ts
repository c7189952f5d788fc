/**
 * OpenClaw ≥ 2026.4.7 keeps a store in two documents: the credentials (`auth-profiles.json`,
 * `{ version, profiles }`) and the runtime state (`auth-state.json`, `{ version, order, lastGood,
 * usageStats }`); OpenClaw 2026.6+ keeps the same two documents in SQLite rows. This module merges
 * and splits them, as plain JSON values, the way OpenClaw does. Pure: no I/O.
 *
 * @internal
 */

/** The top-level fields OpenClaw keeps in the state document. @internal */
export const AUTH_STATE_FIELDS = ["order", "lastGood", "usageStats"] as const;

/** A parsed JSON object. @internal */
export type JsonObject = Record<string, unknown>;

/**
 * Merges the two documents into one store document, as OpenClaw's loader does: for `order`,
 * `lastGood` and `usageStats` the state document's value wins per key (per provider, per profile
 * id); the credentials document's own copies (a store written before the split) count only where
 * the state document has nothing. Every other field comes from the credentials document.
 *
 * @param credentials - the credentials document (`auth-profiles.json`)
 * @param state - the state document, or `undefined` when there is none
 * @returns a new object; the inputs are not changed
 * @internal
 */
export function mergeAuthState(credentials: Readonly<JsonObject>, state: Readonly<JsonObject> | undefined): JsonObject {
  const merged: JsonObject = {};
  for (const key of Object.keys(credentials)) setOwn(merged, key, credentials[key]);
  if (state === undefined) return merged;
  for (const field of AUTH_STATE_FIELDS) {
    const fromState = state[field];
    if (fromState === undefined) continue;
    const legacy = credentials[field];
    if (!isRecord(fromState) || !isRecord(legacy)) {
      // A section that is not an object is kept as written (validation sets it aside).
      setOwn(merged, field, fromState);
      continue;
    }
    const section: JsonObject = {};
    for (const key of Object.keys(fromState)) setOwn(section, key, fromState[key]);
    for (const key of Object.keys(legacy)) if (!Object.hasOwn(section, key)) setOwn(section, key, legacy[key]);
    setOwn(merged, field, section);
  }
  return merged;
}

/**
 * Splits a store document (as it goes to disk: kept entries already put back) into the two
 * documents OpenClaw ≥ 2026.4.7 writes: `order`, `lastGood` and `usageStats` into the state
 * document, everything else into the credentials document.
 *
 * @remarks
 * The state document keeps the layout of `previousState` (the one read from disk): its `version`,
 * its key order and any field of its own this version does not know, written back as it was.
 *
 * @param document - the merged document
 * @param previousState - the state document as read, or `undefined` when there was none
 * @returns both documents
 * @internal
 */
export function splitAuthState(document: Readonly<JsonObject>, previousState: Readonly<JsonObject> | undefined): { readonly credentials: JsonObject; readonly state: JsonObject } {
  const credentials: JsonObject = {};
  for (const key of Object.keys(document)) if (!isStateField(key)) setOwn(credentials, key, document[key]);
  const state: JsonObject = {};
  const layout = previousState ?? { version: document["version"] ?? 1 };
  for (const key of Object.keys(layout)) {
    if (!isStateField(key)) setOwn(state, key, layout[key]);
    else if (document[key] !== undefined) setOwn(state, key, document[key]);
  }
  if (!Object.hasOwn(state, "version")) setOwn(state, "version", document["version"] ?? 1);
  for (const key of Object.keys(document)) if (isStateField(key) && !Object.hasOwn(state, key) && document[key] !== undefined) setOwn(state, key, document[key]);
  return { credentials, state };
}

/**
 * Whether a credentials document still carries state of its own (written before the split, or by
 * a program that does not know it), which a split write would strip.
 *
 * @param credentials - the credentials document
 * @returns `true` when it has `order`, `lastGood` or `usageStats`
 * @internal
 */
export function hasLegacyState(credentials: Readonly<JsonObject>): boolean {
  return AUTH_STATE_FIELDS.some((field) => Object.hasOwn(credentials, field));
}

function isStateField(key: string): boolean {
  return (AUTH_STATE_FIELDS as readonly string[]).includes(key);
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Plain assignment would treat a `__proto__` key from JSON as the prototype. */
function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
