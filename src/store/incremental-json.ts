/**
 * The text of a store document (`auth-profiles.json`, `auth-state.json`) built from cached pieces:
 * exactly `JSON.stringify(document, null, 2)`, but each entry of a section (a profile, a usage
 * entry, an order list) is stringified once per object and its text reused while the object is
 * the same. Only objects that validation produced are cached (`checked-entries.ts`: they are frozen,
 * so their text cannot go stale); anything else, such as a document a caller built and may change
 * later, is stringified afresh. A write re-stringifies only the entries that changed. Pure: no I/O.
 *
 * @internal
 */
import { isCheckedEntry, isCheckedSection } from "./checked-entries.js";

/**
 * The 2-space text of an entry object at depth 2 (inside a section inside the document), and the
 * whole line (`"key": text`) last built with it under `key`.
 */
const entryTexts = new WeakMap<object, { readonly text: string; key: string; line: string }>();
/** The 2-space text of a section object at depth 1 (a section an update did not change is one look-up). */
const sectionTexts = new WeakMap<object, string>();

/** Returned by a part that cannot be built from pieces with certainty: the whole document is stringified instead. */
const WHOLE = Symbol("whole");

/**
 * `JSON.stringify(document, null, 2)`, reusing the text of every section entry (depth 2) already
 * stringified: the cost of a write is the entries that changed plus one pass over the keys.
 *
 * @remarks
 * Anything that `JSON.stringify` treats specially at the document, section or entry level (a
 * `toJSON` method, an object that is not plain) makes the whole document go through
 * `JSON.stringify`, so the result is always the same text. Below an entry, `JSON.stringify` itself
 * does the work. The text of an entry or section is cached by object identity, and only for the
 * frozen objects validation produced, so a caller's object changed in place is never answered with
 * its old text.
 *
 * @param document - a parsed or built JSON document
 * @returns the text, without a final newline
 * @internal
 */
export function stringifyDocument(document: Readonly<Record<string, unknown>>): string {
  const text = piecewise(document);
  return text === WHOLE ? (JSON.stringify(document, null, 2) as string) : text;
}

function piecewise(document: Readonly<Record<string, unknown>>): string | typeof WHOLE {
  if (!isPlainObject(document)) return WHOLE;
  // Concatenation, not Array.join: V8 builds a rope in O(parts) and copies it once, when written.
  let out = "";
  for (const key of Object.keys(document)) {
    const text = sectionText(document[key]);
    if (text === WHOLE) return WHOLE;
    if (text !== undefined) out += `${out === "" ? "{\n" : ",\n"}  ${JSON.stringify(key)}: ${text}`;
  }
  return out === "" ? "{}" : `${out}\n}`;
}

function sectionText(section: unknown): string | undefined | typeof WHOLE {
  if (typeof section === "object" && section !== null && !Array.isArray(section)) {
    // A checked section is frozen and holds only checked (frozen) entries: its text cannot change.
    const frozen = isCheckedSection(section);
    if (frozen) {
      const cached = sectionTexts.get(section);
      if (cached !== undefined) return cached;
    }
    if (!isPlainObject(section)) return WHOLE;
    const record = section as Readonly<Record<string, unknown>>;
    let out = "";
    for (const key of Object.keys(record)) {
      const line = entryLine(key, record[key], frozen);
      if (line === WHOLE) return WHOLE;
      if (line !== undefined) out += out === "" ? `{\n${line}` : `,\n${line}`;
    }
    const text = out === "" ? "{}" : `${out}\n  }`;
    if (frozen) sectionTexts.set(section, text);
    return text;
  }
  if (hasToJson(section)) return WHOLE;
  return indent(JSON.stringify(section, null, 2), "\n  ");
}

function entryLine(key: string, entry: unknown, inCheckedSection: boolean): string | undefined | typeof WHOLE {
  if (typeof entry !== "object" || entry === null) {
    const text = JSON.stringify(entry, null, 2);
    return text === undefined ? undefined : `    ${JSON.stringify(key)}: ${text}`;
  }
  if (!inCheckedSection && !isCheckedEntry(entry)) {
    if (hasToJson(entry)) return WHOLE;
    return `    ${JSON.stringify(key)}: ${indent(JSON.stringify(entry, null, 2), "\n    ") as string}`;
  }
  const cached = entryTexts.get(entry);
  if (cached !== undefined) {
    if (cached.key !== key) {
      cached.key = key;
      cached.line = `    ${JSON.stringify(key)}: ${cached.text}`;
    }
    return cached.line;
  }
  if (hasToJson(entry)) return WHOLE;
  const text = indent(JSON.stringify(entry, null, 2), "\n    ") as string;
  const line = `    ${JSON.stringify(key)}: ${text}`;
  entryTexts.set(entry, { text, key, line });
  return line;
}

/** JSON strings never hold a raw newline (it is escaped), so every newline starts a line. */
function indent(text: string | undefined, newline: string): string | undefined {
  return text === undefined || !text.includes("\n") ? text : text.replaceAll("\n", newline);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !hasToJson(value);
}

function hasToJson(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { toJSON?: unknown }).toJSON === "function";
}
