import type { APIRequest } from "@anthropic-ai/sdk";
import type { ResolvedAuth } from "../../resolver/types.js";
import { credentialHeaders } from "../../request/auth-headers.js";
import { EXTENDED_CACHE_TTL_BETA, mergeBetaHeader } from "../../request/betas.js";
import type { AttemptBody } from "./body-ttl.js";

/** A credential's headers, ready to lay over a request. */
interface PreparedCredential {
  readonly set: ReadonlyArray<readonly [string, string]>;
  readonly remove: readonly string[];
  readonly betas: readonly string[];
}

/**
 * Creates the function that dresses one attempt: the credential's auth header (any `authorization`
 * or `x-api-key` already present, such as the SDK's placeholder, is removed), its betas merged
 * into the caller's `anthropic-beta`, and the body chosen by `BodyTtl`.
 *
 * @remarks The SDK builds a fresh `Headers` object per attempt, so the headers are set in place
 * rather than copied; the caller's own `anthropic-beta` value is remembered per `Headers` object,
 * so a failover can dress the same request again for the next credential. Each credential's
 * headers are built (and its secret checked) once per resolved auth object, not per attempt.
 *
 * @returns `(request, auth, body) => request to send`; throws AuthProfilesError
 *   `INVALID_ARGUMENT` when the secret cannot be sent in a header
 * @internal
 */
export function createAttemptDecorator(): (request: APIRequest, auth: ResolvedAuth, body: AttemptBody) => APIRequest {
  const credentials = new WeakMap<ResolvedAuth, PreparedCredential>();
  const callerBetas = new WeakMap<Headers, string | null>();
  return (request, auth, body) => {
    let credential = credentials.get(auth);
    if (credential === undefined) {
      const decoration = credentialHeaders(auth);
      credential = { set: Object.entries(decoration.headers), remove: decoration.removeHeaders, betas: decoration.betas };
      credentials.set(auth, credential);
    }
    const { headers } = request;
    for (const name of credential.remove) headers.delete(name);
    for (const [name, value] of credential.set) headers.set(name, value);
    // No beta of ours on headers never dressed with one (an API key without a TTL, the common
    // case): the caller's beta header stays as it is, unread.
    if (credential.betas.length === 0 && !body.ttlWritten && !callerBetas.has(headers)) return withBody(request, body);
    // The caller's own beta list: remembered only once this function changed the header.
    let caller = callerBetas.get(headers);
    if (caller === undefined) caller = headers.get("anthropic-beta");
    const betas = credential.betas.length === 0 && !body.ttlWritten ? (caller ?? "") : mergeBetaHeader(caller, body.ttlWritten ? [...credential.betas, EXTENDED_CACHE_TTL_BETA] : credential.betas);
    if (betas !== (caller ?? "")) {
      if (!callerBetas.has(headers)) callerBetas.set(headers, caller);
      if (betas.length > 0) headers.set("anthropic-beta", betas);
      else headers.delete("anthropic-beta");
    } else if (callerBetas.has(headers)) {
      // Dressed before with other betas (a failover): back to the caller's own value.
      if (betas.length > 0) headers.set("anthropic-beta", betas);
      else headers.delete("anthropic-beta");
    }
    return withBody(request, body);
  };
}

function withBody(request: APIRequest, body: AttemptBody): APIRequest {
  if (body.body === null) return request;
  request.headers.delete("content-length");
  return { ...request, body: body.body };
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
