import { APIConnectionError } from "@anthropic-ai/sdk";
import { redactDeep, redactText } from "../model/redact.js";

/** `fetch` as the SDK calls it. */
type SdkFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const BODY_READERS = ["json", "text", "arrayBuffer"] as const;

/**
 * Types a JSON answer whose body is cut off mid-way (a reset connection, a proxy timeout): the
 * SDK reads the body after `fetch` returned, and undici's bare `TypeError: terminated` would reach
 * the caller looking like a programming error. The body readers of the response are wrapped in
 * place (building a new `Response` costs ~10 µs per request) so such a failure becomes an SDK
 * `APIConnectionError`. Streams (`text/event-stream`) pass through: the SDK types their failures.
 *
 * An error answer (HTTP 400 and above) is masked as it is read: an API or a proxy in front of it
 * may echo the credential it refused, and the SDK would put that body into the `APIError` it hands
 * to the caller (message, `error`, logs). Every secret this process knows is masked there.
 *
 * @param fetchImpl - the underlying fetch
 * @returns a fetch whose JSON answers fail with a typed error when cut
 * @internal
 */
export function typeCutJsonBodies(fetchImpl: SdkFetch): SdkFetch {
  return async (input, init) => typeCutJsonBody(await fetchImpl(input, init));
}

/**
 * Wraps the body readers of one response as {@link typeCutJsonBodies} does.
 *
 * @remarks The readers come from a prototype made once per response class (one prototype switch
 * per response instead of three own properties); a response that carries its own readers (or has
 * no prototype) gets them wrapped as own properties instead.
 *
 * @param response - what `fetch` returned
 * @returns the same response
 * @internal
 */
export function typeCutJsonBody(response: Response): Response {
  if (response.body === null || !(response.headers.get("content-type") ?? "").includes("application/json")) return response;
  const proto = Object.getPrototypeOf(response) as object | null;
  if (proto === null || Object.hasOwn(response, "json") || Object.hasOwn(response, "text") || Object.hasOwn(response, "arrayBuffer")) {
    for (const name of BODY_READERS) {
      // The instance's own reader (a custom fetch may return its own Response class), called
      // without a bound copy per reader.
      const read = response[name] as (this: Response) => Promise<unknown>;
      Object.defineProperty(response, name, { configurable: true, value: () => guardedRead(response, name, read) });
    }
    return response;
  }
  let wrapped = wrappedPrototypes.get(proto);
  if (wrapped === undefined) {
    wrapped = wrapPrototype(proto);
    wrappedPrototypes.set(proto, wrapped);
  }
  Object.setPrototypeOf(response, wrapped);
  return response;
}

/** Per response prototype: a prototype over it whose body readers are guarded. */
const wrappedPrototypes = new WeakMap<object, object>();

function wrapPrototype(proto: object): object {
  const wrapped: PropertyDescriptorMap = {};
  for (const name of BODY_READERS) {
    if (typeof (proto as Record<string, unknown>)[name] !== "function") continue;
    wrapped[name] = {
      configurable: true,
      writable: true,
      value(this: Response) {
        // Looked up per read, as an own-property wrapper made per response would have seen it.
        return guardedRead(this, name, (proto as Record<string, (this: Response) => Promise<unknown>>)[name] as (this: Response) => Promise<unknown>);
      },
    };
  }
  return Object.create(proto, wrapped) as object;
}

function guardedRead(response: Response, name: (typeof BODY_READERS)[number], read: (this: Response) => Promise<unknown>): Promise<unknown> {
  // One reaction per read: the success branch catches what masking throws, as a `.catch` would.
  return read.call(response).then(
    (body) => {
      if (response.status < 400) return body;
      try {
        return maskErrorBody(response, name, body);
      } catch (error) {
        return cutOff(response, error);
      }
    },
    (error: unknown) => cutOff(response, error),
  );
}

function cutOff(response: Response, error: unknown): never {
  if (error instanceof SyntaxError) throw error;
  throw new APIConnectionError({ message: `The response body was cut off (HTTP ${response.status}).`, cause: error instanceof Error ? error : undefined });
}

function maskErrorBody(response: Response, reader: (typeof BODY_READERS)[number], body: unknown): unknown {
  if (response.status < 400) return body;
  if (reader === "text") return redactText(body as string);
  return reader === "json" ? redactDeep(body) : body;
}

/**
 * Masks the `text()` and `json()` of an error answer (HTTP 400 and above) that the failover code
 * rebuilt (a new `Response` over the same body), as {@link typeCutJsonBodies} does for the original.
 *
 * @param response - a rebuilt response
 * @returns `response`
 * @internal
 */
export function maskErrorReaders(response: Response): Response {
  if (response.status < 400) return response;
  for (const name of ["text", "json"] as const) {
    const read = response[name].bind(response) as () => Promise<unknown>;
    Object.defineProperty(response, name, { configurable: true, value: () => read().then((body) => maskErrorBody(response, name, body)) });
  }
  return response;
}
