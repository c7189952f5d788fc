/**
 * How a credential is sent: `x-api-key` for `api_key`, a bearer token for `token` and `oauth`.
 *
 * @category Resolving
 */
export type CredentialMode = "api_key" | "token" | "oauth";

/**
 * Where a resolved credential came from.
 *
 * @category Resolving
 */
export type CredentialSource = "store" | "env" | "claude-cli";

/**
 * A usable credential, as produced by a provider.
 *
 * @category Credential sources
 */
export interface Credential {
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** The profile id, or `null` for an env credential. */
  readonly profileId: string | null;
  /** How the credential is sent. */
  readonly mode: CredentialMode;
  /** Where the credential came from. */
  readonly source: CredentialSource;
  /** The API key or access token. */
  readonly secret: string;
  /** Epoch ms, or `null` when it does not expire. */
  readonly expiresAt: number | null;
  /** The account e-mail, when known. */
  readonly email?: string | undefined;
}

/**
 * Options a provider accepts.
 *
 * @category Credential sources
 */
export interface CredentialProviderOptions {
  /** Refresh even when the cached credential has not expired (after a 401). */
  readonly forceRefresh?: boolean;
}
