/** `fetch` as the SDK calls it. */
type SdkFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Reads a JSON answer whole before handing it to the SDK, so that a body cut off mid-way (a reset
 * connection, a proxy timeout) becomes a failed `fetch`, which the SDK reports as an
 * `APIConnectionError` and retries, instead of undici's bare `TypeError: terminated` surfacing from
 * the SDK's own body read. Streams (`text/event-stream`) pass through untouched: the SDK already
 * types their failures.
 *
 * @param fetchImpl - the underlying fetch
 * @returns a fetch with whole JSON bodies
 * @internal
 */
export function readJsonBodiesWhole(fetchImpl: SdkFetch): SdkFetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (response.body === null || !(response.headers.get("content-type") ?? "").includes("application/json")) return response;
    let body: ArrayBuffer;
    try {
      body = await response.arrayBuffer();
    } catch (error) {
      throw new Error(`The response body was cut off (HTTP ${response.status}).`, { cause: error });
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
