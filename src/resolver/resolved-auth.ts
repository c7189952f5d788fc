import type { CacheControlTtl } from "../config/types.js";
import { credentialFromStored } from "../credentials/stored.js";
import type { Credential } from "../model/credential.js";
import type { StoredCredential } from "../model/store.js";
import { attachRedactedView, defineHidden, redactSecret } from "../model/redact.js";
import { credentialHeaders, hideCredential } from "../request/auth-headers.js";
import type { ModelInfo } from "./model-info.js";
import type { ResolvedAuth } from "./types.js";

/**
 * Wraps a credential as a {@link ResolvedAuth} whose `secret` and `headers` are non-enumerable and
 * masked in `toJSON()` / `util.inspect`.
 *
 * @param credential - the chosen credential
 * @param model - the model the request is for, or `null`
 * @param cacheControlTtl - the configured TTL for that model (dropped unless the mode is `api_key` or `forSubscription`)
 * @param forSubscription - apply the TTL to `token` / `oauth` too (`cacheTtlForSubscription`)
 * @returns a frozen resolved auth
 * @internal
 */
export function createResolvedAuth(credential: Credential, model: string | null, cacheControlTtl: CacheControlTtl | null, forSubscription = false): ResolvedAuth {
  const visible = {
    provider: credential.provider,
    profileId: credential.profileId,
    mode: credential.mode,
    source: credential.source,
    expiresAt: credential.expiresAt,
    model,
    cacheControlTtl: credential.mode === "api_key" || forSubscription ? cacheControlTtl : null,
    ...(forSubscription ? { cacheTtlForSubscription: true } : {}),
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

/**
 * Reuses `ResolvedAuth` objects (frozen, so safe to share) while the credential and model stay the
 * same, so a warm resolve does not rebuild headers and redacted views on every call. Keyed weakly on
 * the stored entry / credential objects, which are replaced whenever the store changes.
 *
 * @internal
 */
export class ResolvedAuthCache {
  readonly #credentials = new WeakMap<StoredCredential, Credential>();
  readonly #auths = new WeakMap<Credential, Map<ModelInfo, { readonly auth: ResolvedAuth; readonly settled: Promise<ResolvedAuth> }>>();
  readonly #forSubscription: boolean;

  /** @param forSubscription - apply the TTL to subscription auth too (`cacheTtlForSubscription`) */
  constructor(forSubscription = false) {
    this.#forSubscription = forSubscription;
  }

  /**
   * The credential a stored entry sends, built once per entry object.
   *
   * @param profileId - the entry's id
   * @param entry - the stored entry (the cache key)
   * @returns the credential it sends
   */
  credentialOf(profileId: string, entry: StoredCredential): Credential {
    let credential = this.#credentials.get(entry);
    if (credential === undefined) {
      credential = credentialFromStored(profileId, entry);
      this.#credentials.set(entry, credential);
    }
    return credential;
  }

  /**
   * @param credential - the chosen credential
   * @param info - the model and its configured TTL (a stable object per config, see `ModelInfoCache`)
   * @returns a shared resolved auth
   */
  resolved(credential: Credential, info: ModelInfo): ResolvedAuth {
    return this.#entry(credential, info).auth;
  }

  /**
   * @param credential - the chosen credential
   * @param info - the model and its configured TTL
   * @returns an already settled promise of the shared resolved auth (the same promise object each
   *   time, so a warm resolve allocates nothing)
   */
  settled(credential: Credential, info: ModelInfo): Promise<ResolvedAuth> {
    return this.#entry(credential, info).settled;
  }

  #entry(credential: Credential, info: ModelInfo): { readonly auth: ResolvedAuth; readonly settled: Promise<ResolvedAuth> } {
    let byModel = this.#auths.get(credential);
    if (byModel === undefined) {
      byModel = new Map();
      this.#auths.set(credential, byModel);
    }
    let entry = byModel.get(info);
    if (entry === undefined) {
      const auth = createResolvedAuth(credential, info.asked, info.cacheControlTtl, this.#forSubscription);
      // Not frozen: async_hooks (AsyncLocalStorage) tag promises with a property of their own.
      entry = { auth, settled: Promise.resolve(auth) };
      if (byModel.size >= 64) byModel.clear(); // bounded: a bot uses a handful of models
      byModel.set(info, entry);
    }
    return entry;
  }
}
