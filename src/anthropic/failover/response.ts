import { APIError } from "@anthropic-ai/sdk";
import { classifyFailure, isFailoverReason } from "../../selection/classify.js";
import { retryAfterMsFromError } from "../../selection/retry-after.js";
import { maskErrorReaders } from "../whole-body.js";

/** Statuses that move a call to the next profile: auth (401/403), billing (402), rate limit, overloaded. */
const FAILOVER_STATUSES: ReadonlySet<number> = new Set([401, 402, 403, 429, 529]);

/**
 * Reads a failed response as the SDK would throw it, when it calls for a failover: a 401, 402, 403,
 * 429 or 529, or a 400 that is really about the credential ("credit balance is too low", "only
 * authorized for use with Claude Code").
 *
 * @remarks Reads a clone: the response itself stays unread, so it can still be returned to the SDK.
 *
 * @param response - a non-2xx response
 * @returns the SDK error (`RateLimitError`, …) with `status`, `headers` and the parsed body as
 *   `error`, or `null` when the response is not a reason to change profile
 * @internal
 */
export async function failoverError(response: Response): Promise<APIError | null> {
  if (!FAILOVER_STATUSES.has(response.status) && response.status !== 400) return null;
  const text = await response
    .clone()
    .text()
    .catch(() => "");
  const body = parseJson(text);
  const error = APIError.generate(response.status, body, body === undefined ? text : undefined, response.headers);
  if (FAILOVER_STATUSES.has(response.status)) return error;
  return isFailoverReason(classifyFailure(error)) ? error : null;
}

/**
 * Shortens a `retry-after` / `retry-after-ms` longer than `capMs`, so that the SDK's own retry never
 * sleeps for hours (it obeys any value up to about 24.8 days).
 *
 * @param response - the response about to be returned to the SDK (its body is not read)
 * @param capMs - the longest wait the SDK may take
 * @param nowMs - epoch ms, for an HTTP-date `retry-after`
 * @returns the same response, or a copy with the capped headers
 * @internal
 */
export function capRetryAfter(response: Response, capMs: number, nowMs: number): Response {
  const waitMs = retryAfterMsFromError({ headers: response.headers }, nowMs);
  if (waitMs === null || waitMs <= capMs) return response;
  return withHeaders(response, { "retry-after-ms": String(capMs), "retry-after": String(Math.ceil(capMs / 1_000)) });
}

/**
 * Marks a response `x-should-retry: false`, which the SDK obeys before any other retry rule.
 *
 * @remarks Used once a failed profile was reported and no other profile is left: it is cooling
 * down, so an SDK retry could not succeed, and its `retry-after` (kept intact for the caller) may be
 * hours long.
 *
 * @param response - the response about to be returned (its body is not read)
 * @returns a copy with the header set
 * @internal
 */
export function withoutSdkRetry(response: Response): Response {
  return withHeaders(response, { "x-should-retry": "false" });
}

/**
 * Releases a response that will not be returned, so its connection can be reused.
 *
 * @param response - a response whose body nobody reads
 * @internal
 */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function withHeaders(response: Response, set: Readonly<Record<string, string>>): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(set)) headers.set(name, value);
  return maskErrorReaders(new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
}

function parseJson(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
