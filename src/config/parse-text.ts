import { lazyRequire } from "../io/lazy-require.js";
import { configInvalidError, configParseError } from "./config-errors.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../model/json-depth.js";
import { formatJsonPath, type JsonPathSegment } from "./issue-path.js";

/** json5 is loaded only for a config that is not plain JSON (OpenClaw writes plain JSON). */
const json5 = lazyRequire<{ parse(text: string): unknown }>("json5");

/** The OpenClaw directive we deliberately do not support. */
const INCLUDE_KEY = "$include";

/**
 * Parses config text as JSON5 without substituting `${VAR}` or validating keys. Whitespace-only
 * text is an empty config. `$include` anywhere in the tree is rejected: this library reads a single
 * file, and silently ignoring the directive would drop settings.
 *
 * @param text - the file's content
 * @param file - the file name, for messages
 * @returns the top-level object, exactly as written
 * @throws AuthProfilesError `CONFIG_PARSE` (not JSON5, with line and column) or `CONFIG_INVALID`
 *   (the top level is not an object, nesting deeper than 64 levels, or `$include` is used)
 * @internal
 */
export function parseConfigText(text: string, file: string | undefined): Record<string, unknown> {
  if (text.trim() === "") return {};
  // json5 parses recursively: a deep enough file would end in a bare RangeError.
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw configInvalidError(file, [{ path: "(root)", problem: `nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels` }]);
  }
  let value: unknown;
  try {
    value = parseJsonOrJson5(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw toParseError(error, file);
  }
  if (!isPlainRecord(value)) {
    throw configInvalidError(file, [{ path: "(root)", problem: "must be an object" }]);
  }
  const include = findInclude(value, []);
  if (include !== undefined) {
    throw configInvalidError(
      file,
      [{ path: formatJsonPath(include), problem: "is not supported ($include)" }],
      `auth-profiles reads a single config file and does not support $include; copy the included auth/agents/env keys into ${file ?? "the config"}, or pass a config object.`,
    );
  }
  return value;
}

/**
 * Tells whether a value is a plain object (not an array, not null).
 *
 * @param value - anything
 * @returns `true` for `{…}` values
 * @internal
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function findInclude(value: unknown, path: readonly JsonPathSegment[]): JsonPathSegment[] | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findInclude(item, [...path, index]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isPlainRecord(value)) return undefined;
  if (Object.hasOwn(value, INCLUDE_KEY)) return [...path, INCLUDE_KEY];
  for (const [key, item] of Object.entries(value)) {
    const found = findInclude(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function toParseError(error: unknown, file: string | undefined): Error {
  const { lineNumber, columnNumber, message } = error as { lineNumber?: unknown; columnNumber?: unknown; message?: unknown };
  const line = typeof lineNumber === "number" ? lineNumber : 1;
  const column = typeof columnNumber === "number" ? columnNumber : 1;
  // The parser quotes the offending character; drop it so no input reaches the message.
  const reason =
    typeof message === "string"
      ? message
          .replace(/^JSON5: /, "")
          .replace(/ at \d+:\d+$/, "")
          .replace(/\s*'(?:[^'\\]|\\.)*'/g, "")
          .trim()
      : "syntax error";
  return configParseError(file, { line, column }, reason || "syntax error", error);
}

/** Plain JSON is JSON5 too, and parses to the same value: JSON5 (and its errors) only when JSON fails. */
function parseJsonOrJson5(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return json5().parse(text);
  }
}
