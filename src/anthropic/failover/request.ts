import type { APIRequest } from "@anthropic-ai/sdk";
import type { ResolvedAuth } from "../../resolver/types.js";
import { applyHeaderDecoration, credentialHeaders } from "../../request/auth-headers.js";
import { EXTENDED_CACHE_TTL_BETA, mergeBetaHeader } from "../../request/betas.js";
import { decorateJsonBody } from "../../request/decorate-json-body.js";

/**
 * Builds the request of one attempt: the credential's auth header (any `authorization` or
 * `x-api-key` already present, such as the SDK's placeholder, is removed), its betas merged into the
 * caller's `anthropic-beta`, and for API keys the cache TTL written into the JSON body.
 *
 * @remarks The original request is never changed, so a failover can decorate it again for the next
 * credential.
 *
 * @param request - the request the SDK built
 * @param auth - the credential of this attempt
 * @returns a new request
 * @throws AuthProfilesError `INVALID_ARGUMENT` when the secret cannot be sent in a header
 * @internal
 */
export function decorateAttempt(request: APIRequest, auth: ResolvedAuth): APIRequest {
  const credential = credentialHeaders(auth);
  const body = typeof request.body === "string" ? decorateJsonBody(auth, request.body) : null;
  // Removes the other credential header (the SDK's placeholder travels as `authorization`) and
  // overwrites the credential's own one, whoever set it.
  const headers = applyHeaderDecoration(request.headers, credential);
  const betas = mergeBetaHeader(headers.get("anthropic-beta"), [...credential.betas, ...(body === null ? [] : [EXTENDED_CACHE_TTL_BETA])]);
  if (betas.length > 0) headers.set("anthropic-beta", betas);
  if (body === null) return { ...request, headers };
  headers.delete("content-length");
  return { ...request, headers, body };
}

/**
 * Reads the model of a call: from the SDK's pre-encoded body when there is one, else from a JSON
 * text body.
 *
 * @param optionsBody - `ctx.options.body`, when the SDK made the call
 * @param requestBody - the encoded request body
 * @returns the model id, or `undefined` (GET requests, non-JSON bodies)
 * @internal
 */
export function modelOf(optionsBody: unknown, requestBody: unknown): string | undefined {
  const fromOptions = stringField(optionsBody, "model");
  if (fromOptions !== undefined || typeof requestBody !== "string") return fromOptions;
  try {
    return stringField(JSON.parse(requestBody), "model");
  } catch {
    return undefined;
  }
}

/**
 * Tells whether a call asks for fast mode (`speed: "fast"`), whose rate limits are separate.
 *
 * @param optionsBody - `ctx.options.body`, when the SDK made the call
 * @param requestBody - the encoded request body
 * @returns `true` for fast mode
 * @internal
 */
export function isFastMode(optionsBody: unknown, requestBody: unknown): boolean {
  if (typeof optionsBody === "object" && optionsBody !== null) return stringField(optionsBody, "speed") === "fast";
  if (typeof requestBody !== "string" || !requestBody.includes('"speed"')) return false;
  try {
    return stringField(JSON.parse(requestBody), "speed") === "fast";
  } catch {
    return false;
  }
}

/**
 * Tells whether a request can be sent a second time: a one-shot stream body cannot.
 *
 * @param request - the request
 * @returns `false` for `ReadableStream` and async-iterable bodies
 * @internal
 */
export function isReplayable(request: APIRequest): boolean {
  const body: unknown = request.body;
  if (typeof body !== "object" || body === null) return true;
  return !(body instanceof ReadableStream) && !(Symbol.asyncIterator in body);
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === "string" && field.length > 0 ? field : undefined;
}
