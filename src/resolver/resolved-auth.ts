import type { CacheControlTtl } from "../config/types.js";
import type { Credential } from "../credentials/types.js";
import { attachRedactedView, defineHidden, redactSecret } from "../redact.js";
import type { ResolvedAuth } from "./types.js";

/** The beta every bearer (setup-token / OAuth) request must carry. */
export const OAUTH_BETA = "oauth-2025-04-20";

/**
 * The auth headers of a credential: `x-api-key` for API keys, `authorization: Bearer` plus the
 * OAuth beta for tokens.
 *
 * @param credential - mode and secret
 * @returns lower-case header names and values
 * @internal
 */
export function authHeadersFor(credential: Pick<Credential, "mode" | "secret">): Record<string, string> {
  return credential.mode === "api_key"
    ? { "x-api-key": credential.secret }
    : { authorization: `Bearer ${credential.secret}`, "anthropic-beta": OAUTH_BETA };
}

/**
 * Wraps a credential as a {@link ResolvedAuth} whose `secret` and `headers` are non-enumerable and
 * masked in `toJSON()` / `util.inspect`.
 *
 * @param credential - the chosen credential
 * @param model - the model the request is for, or `null`
 * @param cacheControlTtl - the configured TTL for that model (dropped unless the mode is `api_key`)
 * @returns a frozen resolved auth
 * @internal
 */
export function createResolvedAuth(credential: Credential, model: string | null, cacheControlTtl: CacheControlTtl | null): ResolvedAuth {
  const visible = {
    provider: credential.provider,
    profileId: credential.profileId,
    mode: credential.mode,
    source: credential.source,
    expiresAt: credential.expiresAt,
    model,
    cacheControlTtl: credential.mode === "api_key" ? cacheControlTtl : null,
  };
  const headers = Object.freeze(authHeadersFor(credential));
  const auth = defineHidden(defineHidden(visible, "secret", credential.secret), "headers", headers);
  attachRedactedView(auth, () => ({
    ...visible,
    secret: redactSecret(credential.secret),
    headers: Object.fromEntries(Object.keys(headers).map((name) => [name, name === "anthropic-beta" ? headers[name] : "[redacted]"])),
  }));
  return Object.freeze(auth) as unknown as ResolvedAuth;
}
