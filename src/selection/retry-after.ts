import { prop } from "./error-facts.js";

const MS_PER_SECOND = 1_000;
const NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;
/** RFC 9110 HTTP-date: IMF-fixdate, obsolete RFC 850, and asctime. */
const HTTP_DATE: readonly RegExp[] = [
  /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/**
 * Reads how long the server asked to wait from a failed call's headers: `retry-after-ms` first,
 * then `retry-after` (seconds, or an HTTP date relative to `now`), like the SDK's own retry logic.
 *
 * @remarks
 * Headers come from `error.headers` or `error.response.headers`: a `Headers` instance or a plain
 * record (any letter case; array values use their first item). The value is not capped here;
 * {@link recordFailure} caps it with the policy's `retryAfterCapMs`.
 *
 * @param error - anything thrown by a model call
 * @param now - epoch ms, for HTTP dates
 * @returns the wait in ms (`0` for a date in the past), or `null` when there is no usable header
 *
 * @example
 * ```ts
 * retryAfterMsFromError(rateLimitError, now); // 30_000 for "retry-after: 30"
 * ```
 *
 * @category Selection
 */
export function retryAfterMsFromError(error: unknown, now: number): number | null {
  const headers = prop(error, "headers") ?? prop(prop(error, "response"), "headers");
  if (typeof headers !== "object" || headers === null) return null;
  const milliseconds = header(headers, "retry-after-ms");
  if (milliseconds !== null && NUMBER.test(milliseconds)) return Math.round(Number(milliseconds));
  const retryAfter = header(headers, "retry-after");
  if (retryAfter === null) return null;
  if (NUMBER.test(retryAfter)) return Math.round(Number(retryAfter) * MS_PER_SECOND);
  // Date.parse is lenient ("soon 12" parses), so only the three HTTP-date forms are accepted.
  const value = retryAfter.trim();
  if (!HTTP_DATE.some((form) => form.test(value))) return null;
  // asctime carries no zone but is GMT by definition; without the suffix Date.parse reads local time.
  const at = Date.parse(value.endsWith("GMT") ? value : `${value} GMT`);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

function header(headers: object, name: string): string | null {
  const get = prop(headers, "get");
  if (typeof get === "function") {
    try {
      return text(get.call(headers, name));
    } catch {
      return null;
    }
  }
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : text(prop(headers, key));
}

function text(value: unknown): string | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === "string") return first;
  return typeof first === "number" && Number.isFinite(first) ? String(first) : null;
}
