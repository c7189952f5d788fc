import * as v from "valibot";
import { AuthProfilesError } from "./errors.js";

/**
 * Argument checks for the public API: a wrong-typed argument from plain JavaScript (or a config
 * value passed through) fails at once with `INVALID_ARGUMENT`, naming the function and the option,
 * instead of a bare `TypeError` deep inside, or a refresh failure that cools a profile down later.
 *
 * The schemas are loose objects: they check the options they know and let other keys through, so
 * an option added in a later release never breaks an older caller's object. Messages name the
 * option and the expected type, never the value given (it may be a secret).
 */

/** A non-empty string. @internal */
export const nonEmptyString = v.pipe(v.string(), v.minLength(1, "must be a non-empty string"));

/** A finite number ≥ 0 (milliseconds, counts). @internal */
export const nonNegativeNumber = v.pipe(v.number(), v.finite("must be a finite number"), v.minValue(0, "must be ≥ 0"));

/** A finite number > 0. @internal */
export const positiveNumber = v.pipe(v.number(), v.finite("must be a finite number"), v.gtValue(0, "must be > 0"));

/** Any function. @internal */
export const func = v.custom<(...args: never[]) => unknown>((value) => typeof value === "function", "must be a function");

/** A plain or class object (not null, not an array, not a function). @internal */
export const anyObject = v.custom<object>((value) => typeof value === "object" && value !== null && !Array.isArray(value), "must be an object");

/**
 * An options object: a non-array object whose known entries match `entries`; other keys pass.
 *
 * @param entries - the known options
 * @internal
 */
export function optionsObject<TEntries extends v.ObjectEntries>(entries: TEntries) {
  return v.pipe(anyObject, v.looseObject(entries));
}

/** An optional entry: absent, `undefined`, or matching `schema`. @internal */
export function opt<TSchema extends v.GenericSchema>(schema: TSchema): v.OptionalSchema<TSchema, undefined> {
  return v.optional(schema);
}

const TYPE_WORDS: Readonly<Record<string, string>> = { string: "a string", number: "a number", boolean: "a boolean", Object: "an object", Array: "an array", null: "null" };

function describeIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === "validation" || issue.type === "custom") return issue.message;
  const expected = issue.expected === null ? "" : issue.expected.split(" | ").map((word) => TYPE_WORDS[word] ?? word).join(" or ");
  return expected === "" ? "is invalid" : `must be ${expected}`;
}

function pathOf(issue: v.BaseIssue<unknown>, root: string): string {
  const keys = (issue.path ?? []).map((item) => (typeof item.key === "string" || typeof item.key === "number" ? item.key : "?"));
  return [root, ...keys].reduce<string>((path, key) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? String(key) : `${path}.${String(key)}`), "");
}

/**
 * Checks one argument of a public function against its schema.
 *
 * @param fn - the public function's name, e.g. `createAuthResolver`
 * @param name - the argument's name, e.g. `options`
 * @param schema - what it must be
 * @param value - what was passed
 * @returns the value, typed
 * @throws AuthProfilesError `INVALID_ARGUMENT` with `details.function`, `details.argument` and
 *   `details.path` (e.g. `options.oauth.timeoutMs`); the value itself is never shown
 * @internal
 */
export function checkArgument<TSchema extends v.GenericSchema>(fn: string, name: string, schema: TSchema, value: unknown): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value, { abortPipeEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = pathOf(issue, name);
  throw new AuthProfilesError("INVALID_ARGUMENT", `${fn}: ${path} ${describeIssue(issue)}.`, {
    hint: `Fix ${path} in the call to ${fn} (see its documentation for the accepted values).`,
    details: { function: fn, argument: name, path },
  });
}

/** An environment: an object of strings (values are read as given). @internal */
export const envRecord = v.custom<Readonly<Record<string, string | undefined>>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "must be an object of strings",
);

/** A {@link ProfileStore}-shaped object. @internal */
export const profileStoreShape = optionsObject({ path: v.string(), read: func, update: func, watch: func, withRefreshLock: opt(func), close: opt(func) });

/** A store document: an object with a `profiles` object. @internal */
export const storeDataShape = optionsObject({ profiles: anyObject });

/** A config object (validated in depth where it is read). @internal */
export const configShape = anyObject;

/** A credential mode. @internal */
export const credentialMode = v.picklist(["api_key", "token", "oauth"]);

/**
 * A non-array object: the allocation-free pre-check that hot functions make before they fall back
 * to {@link checkArgument} for the message.
 *
 * @param value - anything
 * @internal
 */
export function isObjectArgument(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Requires a string argument (allocation-free when it is one).
 *
 * @param fn - the public function's name
 * @param name - the argument's name
 * @param value - what was passed
 * @throws AuthProfilesError `INVALID_ARGUMENT`
 * @internal
 */
export function requireString(fn: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== "string") checkArgument(fn, name, v.string(), value);
}

/**
 * Requires an object argument (not null, not an array; allocation-free when it is one).
 *
 * @param fn - the public function's name
 * @param name - the argument's name
 * @param value - what was passed
 * @throws AuthProfilesError `INVALID_ARGUMENT`
 * @internal
 */
export function requireObject(fn: string, name: string, value: unknown): asserts value is object {
  if (!isObjectArgument(value)) checkArgument(fn, name, anyObject, value);
}

/**
 * Requires a finite number argument (allocation-free when it is one).
 *
 * @param fn - the public function's name
 * @param name - the argument's name
 * @param value - what was passed
 * @throws AuthProfilesError `INVALID_ARGUMENT`
 * @internal
 */
export function requireNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) checkArgument(fn, name, v.pipe(v.number(), v.finite("must be a finite number")), value);
}
