import { KEPT_ENTRIES, type KeptEntry, type StoreData } from "../model/store.js";
import { requireObject } from "../model/arguments.js";
import { resolvedRefMark } from "../model/secret-ref.js";
import { isCheckedSection } from "./checked-entries.js";

/**
 * The entries of a store document that this version set aside when reading it.
 *
 * @param data - a document from `parseStore`, a store's `read()` or a mutator
 * @returns the kept entries (empty when every entry was usable)
 *
 * @example
 * ```ts
 * for (const entry of keptEntriesOf(await store.read())) console.warn(`${entry.problem}; kept unchanged`);
 * ```
 *
 * @category Store
 */
export function keptEntriesOf(data: StoreData): readonly KeptEntry[] {
  requireObject("keptEntriesOf", "data", data);
  const kept = data[KEPT_ENTRIES];
  return Array.isArray(kept) ? kept : [];
}

/**
 * The kept entry of one profile id, if that profile was set aside.
 *
 * @param data - the store document
 * @param profileId - the profile id
 * @returns the entry, or `undefined`
 * @internal
 */
export function keptProfile(data: StoreData, profileId: string): KeptEntry | undefined {
  return keptEntriesOf(data).find((entry) => entry.section === "profiles" && entry.key === profileId);
}

/**
 * The document as it goes to disk: every kept entry put back at its original position in its
 * section, unless the document now holds an entry under the same key.
 *
 * @param data - the document
 * @returns a plain object (no symbol keys) ready for `JSON.stringify`
 * @internal
 */
export function materializeStore(data: StoreData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) setOwn(out, key, data[key]);
  if (isPlainRecord(out["profiles"])) setOwn(out, "profiles", storedProfiles(out["profiles"]));
  const kept = keptEntriesOf(data);
  if (kept.length === 0) return out;
  const sections = new Set(kept.map((entry) => entry.section));
  for (const section of sections) {
    const entries = kept.filter((entry) => entry.section === section);
    const current = out[section];
    const whole = entries.find((entry) => entry.key === null);
    if (whole !== undefined) {
      if (!isPlainRecord(current) || Object.keys(current).length === 0) setOwn(out, section, whole.raw);
      continue;
    }
    setOwn(out, section, mergeAtPositions(isPlainRecord(current) ? current : {}, entries));
  }
  return out;
}

/** The profiles as stored: an entry resolved from a secret reference goes back to its stored form. */
function storedProfiles(profiles: Record<string, unknown>): Record<string, unknown> {
  // A section validation produced holds no in-memory resolved entry: nothing to look for.
  if (isCheckedSection(profiles) || !Object.keys(profiles).some((key) => resolvedRefMark(profiles[key]) !== undefined)) return profiles;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(profiles)) setOwn(out, key, resolvedRefMark(profiles[key])?.raw ?? profiles[key]);
  return out;
}

/** Inserts each kept entry at its original index among the section's current keys. */
function mergeAtPositions(section: Readonly<Record<string, unknown>>, entries: readonly KeptEntry[]): Record<string, unknown> {
  const rows: [string, unknown][] = Object.keys(section).map((key) => [key, section[key]]);
  const missing = entries.filter((entry) => entry.key !== null && !Object.hasOwn(section, entry.key));
  for (const entry of [...missing].sort((a, b) => a.index - b.index)) {
    rows.splice(Math.min(entry.index, rows.length), 0, [entry.key as string, entry.raw]);
  }
  const merged: Record<string, unknown> = {};
  for (const [key, value] of rows) setOwn(merged, key, value);
  return merged;
}

/** Plain assignment would treat a `__proto__` key from JSON as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
