import * as v from "valibot";
import { AuthProfilesError } from "../model/errors.js";
import { summarizeIssue } from "../config/issue-path.js";
import { STORE_VERSION, StoreDataSchema } from "./schema.js";
import type { StoreData } from "../model/store.js";

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
}

/**
 * Checks a parsed document against the version 1 store schema.
 *
 * @param value - what `JSON.parse` returned (or what a mutator built)
 * @param file - the store path, for messages
 * @param context - `read` for a file on disk, `write` for a document about to be written
 * @returns the document with unknown fields kept and the input's key order
 * @throws AuthProfilesError `STORE_INVALID` naming the file and the first bad JSON path
 * @internal
 */
export function validateStore(value: unknown, file: string, context: "read" | "write" = "read"): StoreData {
  assertVersion(value, file, context);
  const parsed = v.safeParse(StoreDataSchema, value);
  if (parsed.success) return withKeyOrderOf(parsed.output, value) as StoreData;

  const issues = parsed.issues.map(toStoreIssue);
  const first = issues[0] as StoreIssue;
  const found = first.found === "missing" ? "" : ` (found ${first.found})`;
  const more = issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  throw new AuthProfilesError(
    "STORE_INVALID",
    `${subject(file, context)} is invalid: ${first.path} ${first.problem}${found}${more}.`,
    {
      hint:
        context === "read"
          ? `Fix ${first.path} in ${file} by hand or restore a backup; the file was not changed.`
          : "A store update produced an invalid document; nothing was written. This is a bug in the caller's mutator.",
      details: { file, jsonPath: first.path, reason: "schema", issues: issues.slice(0, MAX_LISTED_ISSUES) },
    },
  );
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

function toStoreIssue(issue: v.BaseIssue<unknown>): StoreIssue {
  return { ...summarizeIssue(issue), found: jsonType(issue.input) };
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
