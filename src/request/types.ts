import type { CacheControlTtl } from "../config/types.js";
import type { CredentialMode } from "../model/credential.js";

/**
 * What request decoration needs to know about a credential. A `ResolvedAuth` satisfies it.
 *
 * @category Request decoration
 */
export interface DecorationAuth {
  /** How the credential is sent: `x-api-key` for `api_key`, a bearer token for `token` and `oauth`. */
  readonly mode: CredentialMode;
  /** The API key or access token. */
  readonly secret: string;
  /** The effective prompt-cache TTL; only honoured for `api_key` unless `cacheTtlForSubscription` is `true`. */
  readonly cacheControlTtl: CacheControlTtl | null;
  /** Honour `cacheControlTtl` for `token` and `oauth` too. Default `false`. */
  readonly cacheTtlForSubscription?: boolean | undefined;
}

/**
 * Headers to lay over an outgoing request: set every entry of `headers`, delete every name in
 * `removeHeaders`.
 *
 * @category Request decoration
 */
export interface HeaderDecoration {
  /**
   * Header values to set (lowercase names). Hidden from `JSON.stringify` / `util.inspect`, which show
   * the credential redacted.
   */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Lowercase names the request must not carry, so that an SDK default (for instance the
   * `Authorization: Bearer` that SDK 1.x sends for `apiKey`) cannot leak a second credential.
   */
  readonly removeHeaders: readonly string[];
}

/**
 * Caller headers as accepted by {@link decorateRequest}: a plain record (a `null`/`undefined` value
 * means "not set") or a `Headers` instance.
 *
 * @category Request decoration
 */
export type HeadersInput = Readonly<Record<string, string | null | undefined>> | Headers;

/**
 * A `cache_control` marker as the Messages API accepts it.
 *
 * @category Request decoration
 */
export interface CacheControlMarker {
  /** Always `ephemeral`. */
  readonly type: "ephemeral";
  /** `5m` (the API default) or `1h`. */
  readonly ttl?: CacheControlTtl;
}
