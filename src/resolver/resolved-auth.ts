import type { CacheControlTtl } from "../config/types.js";
import type { Credential } from "../credentials/types.js";
import { attachRedactedView, defineHidden, redactSecret } from "../redact.js";
import { credentialHeaders, hideCredential } from "../request/auth-headers.js";
import type { ResolvedAuth } from "./types.js";

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
  const decoration = credentialHeaders(credential);
  const headers = Object.freeze(
    hideCredential({ ...decoration.headers, ...(decoration.betas.length === 0 ? {} : { "anthropic-beta": decoration.betas.join(",") }) }),
  );
  const auth = defineHidden(defineHidden(visible, "secret", credential.secret), "headers", headers);
  attachRedactedView(auth, () => ({
    ...visible,
    secret: redactSecret(credential.secret),
    headers: JSON.parse(JSON.stringify(headers)) as unknown,
  }));
  return Object.freeze(auth) as unknown as ResolvedAuth;
}
