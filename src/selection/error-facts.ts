// Reads facts out of an unknown thrown value (SDK errors, fetch errors, plain objects) without
// importing the SDK and without ever throwing.
import { isAuthProfilesError, type ErrorCode } from "../model/errors.js";

/** How deep `cause` chains are followed. */
const MAX_CAUSE_DEPTH = 4;

/**
 * Reads one property of an unknown value; a throwing getter reads as `undefined`.
 *
 * @param value - anything
 * @param key - the property name
 * @returns the property value, or `undefined`
 * @internal
 */
export function prop(value: unknown, key: string): unknown {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * The HTTP status of a failed call: `status`, `statusCode` or `response.status`.
 *
 * @param error - anything thrown
 * @returns an integer status 100–599, or `null`
 * @internal
 */
export function statusOf(error: unknown): number | null {
  for (const value of [prop(error, "status"), prop(error, "statusCode"), prop(prop(error, "response"), "status")]) {
    const status = typeof value === "string" && /^\d{3}$/.test(value) ? Number(value) : value;
    if (typeof status === "number" && Number.isInteger(status) && status >= 100 && status <= 599) return status;
  }
  return null;
}

/**
 * The class names of an error: its `name` and its constructor's name.
 *
 * @param error - anything thrown
 * @returns the names found, `name` first
 * @internal
 */
export function classNamesOf(error: unknown): readonly string[] {
  const names = [prop(error, "name"), prop(prop(error, "constructor"), "name")];
  return names.filter((name): name is string => typeof name === "string" && name.length > 0);
}

/**
 * Anthropic error types carried by an error: `type`, `error.type`, and the SDK's body `error.error.type`.
 *
 * @param error - anything thrown
 * @returns the type strings found, outermost first
 * @internal
 */
export function errorTypesOf(error: unknown): readonly string[] {
  const body = prop(error, "error");
  const types = [prop(error, "type"), prop(body, "type"), prop(prop(body, "error"), "type")];
  return types.filter((type): type is string => typeof type === "string" && type !== "error");
}

/**
 * Anthropic's `error.details.error_code`, from an SDK `APIError` (`errorCode`) or a raw body.
 *
 * @param error - anything thrown
 * @returns the code, or `null`
 * @internal
 */
export function errorCodeOf(error: unknown): string | null {
  const body = prop(error, "error");
  const candidates = [
    prop(error, "errorCode"),
    prop(prop(prop(body, "error"), "details"), "error_code"),
    prop(prop(body, "details"), "error_code"),
  ];
  return candidates.find((code): code is string => typeof code === "string") ?? null;
}

/**
 * System / undici error codes along the `cause` chain (`ECONNRESET`, `UND_ERR_CONNECT_TIMEOUT`, …).
 *
 * @param error - anything thrown
 * @returns the string codes found, outermost first
 * @internal
 */
export function codesOf(error: unknown): readonly string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== undefined && current !== null; depth += 1) {
    const code = prop(current, "code");
    if (typeof code === "string") codes.push(code);
    current = prop(current, "cause");
  }
  return codes;
}

/**
 * All message text of an error: a string error, `message`, and the API body's `message`s.
 *
 * @param error - anything thrown
 * @returns the texts joined by newlines (possibly empty)
 * @internal
 */
export function messageOf(error: unknown): string {
  if (typeof error === "string") return error;
  const body = prop(error, "error");
  const texts = [prop(error, "message"), prop(error, "apiMessage"), prop(body, "message"), prop(prop(body, "error"), "message")];
  const unique = new Set(texts.filter((text): text is string => typeof text === "string" && text.length > 0));
  return [...unique].join("\n");
}

/**
 * The code of this library's own error, read without throwing: `isAuthProfilesError` reads a
 * property and checks the prototype, and a revoked or trapping `Proxy` throws on either.
 *
 * @param error - anything thrown
 * @returns the `AuthProfilesError` code, or `null` for anything else
 * @internal
 */
export function libraryErrorCodeOf(error: unknown): ErrorCode | null {
  try {
    return isAuthProfilesError(error) ? error.code : null;
  } catch {
    return null;
  }
}
