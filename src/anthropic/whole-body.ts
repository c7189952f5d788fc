import { APIConnectionError } from "@anthropic-ai/sdk";

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
 * @param fetchImpl - the underlying fetch
 * @returns a fetch whose JSON answers fail with a typed error when cut
 * @internal
 */
export function typeCutJsonBodies(fetchImpl: SdkFetch): SdkFetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.body === null || !(response.headers.get("content-type") ?? "").includes("application/json")) return response;
    for (const name of BODY_READERS) {
      const read = response[name].bind(response) as () => Promise<unknown>;
      Object.defineProperty(response, name, {
        configurable: true,
        value: () =>
          read().catch((error: unknown) => {
            if (error instanceof SyntaxError) throw error;
            throw new APIConnectionError({ message: `The response body was cut off (HTTP ${response.status}).`, cause: error instanceof Error ? error : undefined });
          }),
      });
    }
    return response;
  };
}
