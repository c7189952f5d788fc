import { AuthProfilesError } from "../model/errors.js";
import { isLoopbackHostname } from "../model/loopback.js";

/** The `fetch` signature the SDK accepts. */
type SdkFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Checks that a credential may be sent to `url`: `https:` anywhere, plain `http:` only to a
 * loopback host (a local proxy or a test server), anything else only when `allowInsecure` is set.
 *
 * @param url - the client's base URL or a request URL
 * @param allowInsecure - the caller's `allowInsecureBaseUrl` opt-in
 * @throws AuthProfilesError `INVALID_ARGUMENT` naming the origin (never a user name or password)
 * @internal
 */
export function checkCredentialTransport(url: string | URL, allowInsecure: boolean): void {
  if (allowInsecure) return;
  let parsed: URL;
  try {
    parsed = url instanceof URL ? url : new URL(url);
  } catch (cause) {
    throw new AuthProfilesError("INVALID_ARGUMENT", "The Anthropic base URL is not a valid URL.", {
      hint: "Pass clientOptions.baseURL (or ANTHROPIC_BASE_URL) as an absolute https:// URL.",
      cause,
      details: { option: "baseURL" },
    });
  }
  if (parsed.protocol === "https:") return;
  if (parsed.protocol === "http:" && isLoopbackHostname(parsed.hostname)) return;
  // The origin carries no user name or password: a URL's userinfo is never echoed.
  const origin = `${parsed.protocol}//${parsed.host}`;
  throw new AuthProfilesError("INVALID_ARGUMENT", `Refusing to send an Anthropic credential to ${origin}: it is not https.`, {
    hint: "Use an https:// base URL. Plain http:// is allowed only to 127.0.0.1, ::1 or localhost; for a trusted plain-http proxy elsewhere, set allowInsecureBaseUrl: true in the client options.",
    details: { option: "baseURL", origin },
  });
}

/**
 * Creates the check that no request goes to a non-https, non-loopback URL, whatever set it:
 * `clientOptions.baseURL`, `ANTHROPIC_BASE_URL` read by the SDK itself, or a clone made with
 * `withOptions({ baseURL })`.
 *
 * @param allowInsecure - the caller's `allowInsecureBaseUrl` opt-in
 * @returns a synchronous check of a request's URL (throws AuthProfilesError `INVALID_ARGUMENT`),
 *   or `null` when every URL is allowed
 * @internal
 */
export function transportCheck(allowInsecure: boolean): ((input: string | URL | Request) => void) | null {
  if (allowInsecure) return null;
  // The origin of the last URL that passed (`scheme://host[:port]`): a request to it again skips
  // the URL parse. Only an exact origin followed by "/" (or nothing) matches, so a userinfo trick
  // such as `http://127.0.0.1:9@elsewhere/` is parsed and checked like any other URL.
  let approved: string | null = null;
  return (input) => {
    const url = input instanceof Request ? input.url : input;
    if (typeof url === "string" && approved !== null && url.startsWith(approved) && (url.length === approved.length || url.charCodeAt(approved.length) === 47)) return;
    checkCredentialTransport(url, false);
    if (typeof url === "string") {
      const parsed = new URL(url);
      approved = parsed.username === "" && parsed.password === "" && url.startsWith(`${parsed.protocol}//${parsed.host}`) ? `${parsed.protocol}//${parsed.host}` : null;
    }
  };
}

/**
 * Wraps the client's `fetch` with {@link transportCheck}.
 *
 * @param fetchImpl - the real `fetch`
 * @param allowInsecure - the caller's `allowInsecureBaseUrl` opt-in
 * @returns a `fetch` that rejects such a request with `INVALID_ARGUMENT` before it is sent
 * @internal
 */
export function guardTransport(fetchImpl: SdkFetch, allowInsecure: boolean): SdkFetch {
  const check = transportCheck(allowInsecure);
  if (check === null) return fetchImpl;
  return async (input, init) => {
    check(input);
    return fetchImpl(input, init);
  };
}
