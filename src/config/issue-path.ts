import type * as v from "valibot";
import { redactText } from "../model/redact.js";

/** One step of a JSON path: an object key or an array index. @internal */
export type JsonPathSegment = string | number;

/** A secret-free description of one valibot issue. @internal */
export interface IssueSummary {
  /** Where the problem is, e.g. `auth.profiles["anthropic:work"].mode`. */
  readonly path: string;
  /** What is wrong, e.g. `must be one of "api_key", "token", "oauth"`. Never contains the input. */
  readonly problem: string;
}

/**
 * Messages of our own `v.check` actions. They are fixed texts (never built from the input), so they
 * may be shown; any other check message could quote the input and is replaced by "is invalid".
 *
 * @internal
 */
export const SAFE_CHECK_PROBLEMS: ReadonlySet<string> = new Set(["must be an object", "must be a string or an object"]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  boolean: "a boolean",
  Object: "an object",
  Array: "an array",
  null: "null",
};

/**
 * Formats a JSON path the way people write it in JavaScript: a dot before identifiers,
 * `["…"]` around other keys, `[0]` for indices.
 *
 * @remarks
 * Keys come from the input, and a key can be a pasted credential (a profile keyed by its API key,
 * say). Paths also land in error `details`, which are not redacted on the way out, so secret-shaped
 * keys are masked here with {@link redactText}.
 *
 * @param segments - keys and indices from the root
 * @returns e.g. `auth.profiles["anthropic:work"].mode`; `(root)` for an empty path
 * @internal
 */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(redactText(segment))}]`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * Extracts the JSON path segments of a valibot issue.
 *
 * @param issue - a valibot issue
 * @returns the keys and indices from the root to the offending value
 * @internal
 */
export function issuePathSegments(issue: v.BaseIssue<unknown>): JsonPathSegment[] {
  return (issue.path ?? []).map((item) => {
    const key: unknown = item.key;
    return typeof key === "number" ? key : String(key);
  });
}

/**
 * Describes a valibot issue without its input (which may be a secret): the JSON path and the
 * allowed values or type.
 *
 * @param issue - a valibot issue
 * @param prefix - segments to put before the issue's own path (when a sub-tree was validated)
 * @returns the path and the problem, both safe to show
 * @internal
 */
export function summarizeIssue(issue: v.BaseIssue<unknown>, prefix: readonly JsonPathSegment[] = []): IssueSummary {
  const path = formatJsonPath([...prefix, ...issuePathSegments(issue)]);
  const last = issue.path?.at(-1);
  if (last !== undefined && last.origin === "key" && issue.kind === "schema") {
    return { path, problem: "is required" };
  }
  return { path, problem: describeExpected(issue) };
}

function describeExpected(issue: v.BaseIssue<unknown>): string {
  const expected = issue.expected;
  if (issue.type === "check" && SAFE_CHECK_PROBLEMS.has(issue.message)) return issue.message;
  if (expected === null || expected === "") return "is invalid";
  if (issue.type === "min_value") return `must be ${expected.replace(/^>=/, ">= ")}`;
  const parts = expected.replace(/^\((.*)\)$/, "$1").split(" | ");
  if (parts.every((part) => part.startsWith('"'))) {
    return parts.length === 1 ? `must be ${parts[0]}` : `must be one of ${parts.join(", ")}`;
  }
  const words = parts.map((part) => TYPE_WORDS[part] ?? part);
  const list = words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : words.join("");
  return `must be ${list}`;
}
