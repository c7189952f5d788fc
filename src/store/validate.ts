import * as v from "valibot";
import { AuthProfilesError } from "../model/errors.js";
import { formatJsonPath, summarizeIssue, type JsonPathSegment } from "../config/issue-path.js";
import { SECTION_ENTRY_SCHEMAS, STORE_VERSION, type StoreSectionName } from "./schema.js";
import { KEPT_ENTRIES, type KeptEntry, type StoreData } from "../model/store.js";
import { rememberSecrets } from "../model/redact.js";
import { resolvedRefMark } from "../model/secret-ref.js";
import { isCheckedEntry, isCheckedSection, markCheckedEntry, markCheckedSection } from "./checked-entries.js";

/** How many issues are listed in an error's details. */
const MAX_LISTED_ISSUES = 10;

/** One problem found in a store document; holds no value from the document. @internal */
export interface StoreIssue {
  /** The JSON path, e.g. `profiles["anthropic:work"].key`. */
  readonly path: string;
  /** What is wrong there, e.g. `must be a string`. Never contains the value. */
  readonly problem: string;
  /** The JSON type found there (`missing`, `string`, `number`, …), never the value. */
  readonly found: string;
  /** The error's `details.reason` when it is not `schema` (e.g. `non_finite`). */
  readonly reason?: string;
}

/**
 * Checks a parsed document against the version 1 store schema, one entry at a time.
 *
 * @remarks
 * Only a document that is not an object, has a version other than 1, or holds a number JSON cannot
 * represent (`1e309` reads as `Infinity` and would be written back as `null`) is rejected. When
 * reading, an entry this version cannot use (a profile with a bad shape, a usage entry with a
 * hand-edited non-number, an order that is not a list) is set aside as a {@link KeptEntry} under
 * {@link KEPT_ENTRIES}: selection skips it, status shows it with the reason, and `serializeStore`
 * writes it back exactly as it was read. When checking a document about to be written, a bad entry
 * in the document itself is a bug in the mutator and fails; kept entries carried over from the read
 * stay set aside unless the mutator wrote an entry under the same key.
 *
 * @param value - what `JSON.parse` returned (or what a mutator built)
 * @param file - the store path, for messages
 * @param context - `read` for a file on disk, `write` for a document about to be written
 * @returns the document with unknown fields kept and the input's key order
 * @throws AuthProfilesError `STORE_INVALID` naming the file and the first bad JSON path
 * @internal
 */
export function validateStore(value: unknown, file: string, context: "read" | "write" = "read"): StoreData {
  rememberStoredSecrets(value);
  assertVersion(value, file, context);
  assertFiniteNumbers(value, file, context);
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // A profile resolved from a secret reference (in memory only) is written as it was stored: the
  // reference, never the value, whoever built the document.
  const restored = context === "write" ? restoreSecretRefEntries(input) : [];
  const kept: KeptEntry[] = [...restored];
  const issues: StoreIssue[] = [];
  for (const key of Object.keys(input)) {
    const section = input[key];
    if (!isSectionName(key)) setOwn(out, key, section);
    else if (key === "profiles" && restored.length > 0 && isPlainRecord(section)) checkSection(key, withoutKeys(section, restored), out, { issues });
    else checkSection(key, section, out, context === "read" ? { kept } : { issues });
  }
  if (!Object.hasOwn(out, "profiles")) out["profiles"] = {};
  if (issues.length > 0) throw invalidError(file, context, issues);
  const carried = context === "write" ? carriedKeptEntries(input, out).filter((entry) => !restored.some((own) => own.section === entry.section && own.key === entry.key)) : [];
  const all = [...carried, ...kept];
  if (all.length > 0) Object.defineProperty(out, KEPT_ENTRIES, { value: all, enumerable: true, writable: false, configurable: true });
  return out as unknown as StoreData;
}

/** Where {@link checkSection} puts bad entries: set aside when reading, reported when writing. */
type BadEntrySink = { readonly kept: KeptEntry[] } | { readonly issues: StoreIssue[] };

/** Checks one keyed section entry by entry. */
function checkSection(name: StoreSectionName, section: unknown, out: Record<string, unknown>, sink: BadEntrySink): void {
  if (section === undefined) return;
  if (!isPlainRecord(section)) {
    const issue: StoreIssue = { path: name, problem: "must be an object", found: jsonType(section) };
    if ("kept" in sink) sink.kept.push({ section: name, key: null, raw: section, index: 0, problem: describe(issue) });
    else sink.issues.push(issue);
    if (name === "profiles") out[name] = {};
    return;
  }
  // A section whose every entry was checked before is kept as the very same object: an update
  // that changed only other sections hands its consumers the section they already hold.
  if (isCheckedSection(section, name)) {
    setOwn(out, name, section);
    return;
  }
  const keys = Object.keys(section);
  if (Object.getPrototypeOf(section) === Object.prototype && keys.every((key) => isCheckedEntry(section[key], name))) {
    // A copy: the caller's own container stays theirs (and unfrozen).
    const copy: Record<string, unknown> = {};
    for (const key of keys) setOwn(copy, key, section[key]);
    markCheckedSection(copy, name);
    setOwn(out, name, copy);
    return;
  }
  const checked: Record<string, unknown> = {};
  let clean = true;
  keys.forEach((key, index) => {
    const entry = section[key];
    // valibot's objects accept arrays; an entry of profiles or usageStats must be a plain object.
    if ((name === "profiles" || name === "usageStats") && !isPlainRecord(entry)) {
      clean = false;
      const issue: StoreIssue = { path: formatJsonPath([name, key]), problem: "must be an object", found: jsonType(entry) };
      if ("kept" in sink) sink.kept.push({ section: name, key, raw: entry, index, problem: describe(issue) });
      else sink.issues.push(issue);
      return;
    }
    if (isCheckedEntry(entry, name)) {
      setOwn(checked, key, entry);
      return;
    }
    const parsed = v.safeParse(SECTION_ENTRY_SCHEMAS[name], entry);
    if (parsed.success) {
      const output = withKeyOrderOf(parsed.output, entry);
      if (typeof output === "object" && output !== null) markCheckedEntry(output, name);
      else clean = false;
      setOwn(checked, key, output);
      return;
    }
    clean = false;
    if ("kept" in sink) sink.kept.push({ section: name, key, raw: entry, index, problem: describe(toStoreIssue(parsed.issues[0], [name, key])) });
    else sink.issues.push(...parsed.issues.map((each) => toStoreIssue(each, [name, key])));
  });
  if (clean) markCheckedSection(checked, name);
  setOwn(out, name, checked);
}

/** The profiles of a document about to be written that were resolved from a reference, as kept entries of their stored form. */
function restoreSecretRefEntries(input: Record<string, unknown>): KeptEntry[] {
  const profiles = input["profiles"];
  if (!isPlainRecord(profiles) || isCheckedSection(profiles)) return [];
  return Object.keys(profiles).flatMap((key, index) => {
    const mark = resolvedRefMark(profiles[key]);
    return mark === undefined ? [] : [{ section: "profiles", key, raw: mark.raw, index, problem: `profiles entry resolved from ${mark.label}` }];
  });
}

function withoutKeys(section: Record<string, unknown>, entries: readonly KeptEntry[]): Record<string, unknown> {
  const skip = new Set(entries.map((entry) => entry.key));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(section)) if (!skip.has(key)) setOwn(out, key, section[key]);
  return out;
}

/** Kept entries of the document a mutator started from, minus those it replaced. */
function carriedKeptEntries(input: Record<string, unknown>, out: Record<string, unknown>): KeptEntry[] {
  const carried = (input as { [KEPT_ENTRIES]?: unknown })[KEPT_ENTRIES];
  if (!Array.isArray(carried)) return [];
  return (carried as KeptEntry[]).filter((entry) => {
    const section = out[entry.section];
    if (entry.key === null) return !isPlainRecord(section) || Object.keys(section).length === 0;
    return !(isPlainRecord(section) && Object.hasOwn(section, entry.key));
  });
}

function invalidError(file: string, context: "read" | "write", issues: readonly StoreIssue[]): AuthProfilesError {
  const first = issues[0] as StoreIssue;
  const found = first.found === "missing" ? "" : ` (found ${first.found})`;
  const more = issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return new AuthProfilesError(
    "STORE_INVALID",
    `${subject(file, context)} is invalid: ${first.path} ${first.problem}${found}${more}.`,
    {
      hint:
        context === "read"
          ? `Fix ${first.path} in ${file} by hand or restore a backup; the file was not changed.`
          : "A store update produced an invalid document; nothing was written. This is a bug in the caller's mutator.",
      details: { file, jsonPath: first.path, reason: first.reason ?? "schema", issues: issues.slice(0, MAX_LISTED_ISSUES) },
    },
  );
}

/**
 * `JSON.parse` reads `1e309` as `Infinity`, and `JSON.stringify` writes it back as `null`: a value
 * the library could never read again. Walked with an explicit stack so that deep nesting cannot
 * overflow the call stack.
 */
function assertFiniteNumbers(value: unknown, file: string, context: "read" | "write"): void {
  const stack: { readonly value: unknown; readonly path: readonly JsonPathSegment[] }[] = [{ value, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (typeof current === "number" && !Number.isFinite(current)) {
      const path = formatJsonPath(item.path);
      throw invalidError(file, context, [
        { path, problem: "is a number outside what JSON can hold (it reads as Infinity or NaN)", found: "number", reason: "non_finite" },
      ]);
    }
    if (typeof current !== "object" || current === null) continue;
    // An entry or section checked before holds only finite numbers (it was walked when it was checked).
    if (isCheckedSection(current)) continue;
    if (Array.isArray(current)) current.forEach((each: unknown, index) => isCheckedEntry(each) || stack.push({ value: each, path: [...item.path, index] }));
    else for (const key of Object.keys(current)) {
      const each = (current as Record<string, unknown>)[key];
      if (!isCheckedEntry(each)) stack.push({ value: each, path: [...item.path, key] });
    }
  }
}

function assertVersion(value: unknown, file: string, context: "read" | "write"): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AuthProfilesError("STORE_INVALID", `${subject(file, context)} is not a JSON object (found ${jsonType(value)}).`, {
      hint: `An auth-profiles.json file is an object like {"version": 1, "profiles": {}}. Fix or restore ${file}; it was not changed.`,
      details: { file, jsonPath: "(root)", reason: "schema" },
    });
  }
  const version = (value as { version?: unknown }).version;
  if (version === STORE_VERSION) return;
  if (version === undefined) {
    throw new AuthProfilesError("STORE_INVALID", `${subject(file, context)} has no "version" field.`, {
      hint: `Add "version": 1 at the top of ${file} if it is an OpenClaw auth-profiles.json; the file was not changed.`,
      details: { file, jsonPath: "version", reason: "version" },
    });
  }
  const shown = typeof version === "number" ? String(version) : `a ${jsonType(version)}`;
  throw new AuthProfilesError("STORE_INVALID", `${subject(file, context)} has version ${shown}; only version 1 is supported.`, {
    hint:
      typeof version === "number" && version > STORE_VERSION
        ? `${file} was written by a newer program; upgrade auth-profiles, or point this agent at another store. The file was not changed.`
        : `Set "version": 1 in ${file} or restore a backup; the file was not changed.`,
    details: { file, jsonPath: "version", reason: "version" },
  });
}

function subject(file: string, context: "read" | "write"): string {
  return context === "read" ? `Profile store ${file}` : `The update of profile store ${file}`;
}

function toStoreIssue(issue: v.BaseIssue<unknown> | undefined, prefix: readonly JsonPathSegment[]): StoreIssue {
  if (issue === undefined) return { path: formatJsonPath(prefix), problem: "is invalid", found: "unknown" };
  return { ...summarizeIssue(issue, prefix), found: jsonType(issue.input) };
}

/** One line for a kept entry: the path, the problem and the JSON type found, never the value. */
function describe(issue: StoreIssue): string {
  return `${issue.path} ${issue.problem}${issue.found === "missing" ? "" : ` (found ${issue.found})`}`;
}

function isSectionName(key: string): key is StoreSectionName {
  return Object.hasOwn(SECTION_ENTRY_SCHEMAS, key);
}

/** Plain assignment would treat a `__proto__` key from JSON as the prototype (and is much faster for every other key). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The JSON type of a value, for messages that must not show the value itself. */
function jsonType(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * valibot's loose objects put schema keys before unknown ones; a rewrite must keep the file's own
 * key order so diffs stay small and OpenClaw's layout survives.
 */
function withKeyOrderOf(output: unknown, input: unknown): unknown {
  if (Array.isArray(output)) {
    return output.map((item: unknown, index) => withKeyOrderOf(item, Array.isArray(input) ? input[index] : undefined));
  }
  if (!isPlainRecord(output)) return output;
  const source = isPlainRecord(input) ? input : {};
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (Object.hasOwn(output, key)) ordered[key] = withKeyOrderOf(output[key], source[key]);
  }
  for (const key of Object.keys(output)) {
    if (!Object.hasOwn(ordered, key)) ordered[key] = output[key];
  }
  return ordered;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The fields of a stored profile that hold a secret (OpenClaw's names). */
const SECRET_FIELDS = ["key", "token", "access", "refresh"] as const;

/**
 * Remembers every secret value of the document before anything can fail, so that an error about it
 * (a profile keyed by its own key, say) masks it whatever its shape.
 */
function rememberStoredSecrets(value: unknown): void {
  const profiles = typeof value === "object" && value !== null ? (value as { profiles?: unknown }).profiles : undefined;
  if (typeof profiles !== "object" || profiles === null || isCheckedSection(profiles)) return;
  for (const entry of Object.values(profiles as Record<string, unknown>)) {
    // A checked entry's secrets were remembered when it was checked.
    if (typeof entry !== "object" || entry === null || isCheckedEntry(entry)) continue;
    rememberSecrets(...SECRET_FIELDS.map((field) => (Object.hasOwn(entry, field) ? (entry as Record<string, unknown>)[field] : undefined)));
  }
}
