import { AuthProfilesError } from "../model/errors.js";

/**
 * The API key handed to the SDK so that it never resolves a credential of its own (env, its own
 * profiles). Not a key: the auth middleware replaces it on every request.
 *
 * @internal
 */
export const PLACEHOLDER_API_KEY = "auth-profiles-placeholder-not-a-key";

/** The `fetch` signature the SDK accepts. */
type SdkFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Refuses a request that still carries the placeholder (it would only happen if the auth
 * middleware were removed from the client, e.g. `client.middleware = []`).
 *
 * @param input - the `fetch` input
 * @param init - the `fetch` init
 * @throws AuthProfilesError `INVALID_ARGUMENT` naming the header
 * @internal
 */
export function checkPlaceholder(input: string | URL | Request, init: RequestInit | undefined): void {
  const source = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  // The SDK hands over a Headers object: read it in place rather than copying every header.
  const headers = source instanceof Headers ? source : new Headers(source);
  if (carries(headers, "authorization")) refuse("authorization");
  if (carries(headers, "x-api-key")) refuse("x-api-key");
}

function carries(headers: Headers, name: string): boolean {
  const value = headers.get(name);
  return value !== null && value.includes(PLACEHOLDER_API_KEY);
}

function refuse(header: string): never {
  throw new AuthProfilesError("INVALID_ARGUMENT", "A request reached fetch without an auth-profiles credential; it was not sent.", {
    hint: "Keep the auth middleware in the client's middleware list (do not replace `middleware` on the client or in withOptions).",
    details: { header },
  });
}

/**
 * Wraps the client's `fetch` with {@link checkPlaceholder}.
 *
 * @param fetchImpl - the real `fetch`
 * @returns a `fetch` that rejects such a request with `INVALID_ARGUMENT`
 * @internal
 */
export function guardPlaceholder(fetchImpl: SdkFetch): SdkFetch {
  return async (input, init) => {
    checkPlaceholder(input, init);
    return fetchImpl(input, init);
  };
}
