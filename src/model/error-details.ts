/**
 * The structured facts each error code carries, by code. Every value is secret-free (secrets are
 * masked before an error is built). Known fields are typed; a code may carry further facts, typed
 * `unknown`, so a new fact never breaks a caller.
 */

/**
 * Facts of any code beyond the typed ones (typed `unknown`: check before use).
 *
 * @category Errors
 */
export interface ErrorFacts {
  readonly [fact: string]: unknown;
}

/**
 * One profile that cannot be used now, as carried by `NO_AVAILABLE_PROFILE`.
 *
 * @category Errors
 */
export interface UnavailableProfileInfo {
  /** The profile id. */
  readonly profileId: string;
  /** `cooldown` or `disabled`. */
  readonly kind: "cooldown" | "disabled";
  /** The failure reason behind it, when known. */
  readonly reason: string | null;
  /** Epoch ms at which it becomes usable again. */
  readonly until: number;
  /** Milliseconds left. */
  readonly remainingMs: number;
}

/**
 * Facts of a file or store location.
 *
 * @category Errors
 */
export interface FileDetails extends ErrorFacts {
  /** The file (or the Redis URL, credentials masked) concerned. */
  readonly file: string;
}

/**
 * Facts of the Claude Code login errors.
 *
 * @category Errors
 */
export interface ClaudeCliDetails extends ErrorFacts {
  /** Always `anthropic:claude-cli`. */
  readonly profileId?: string | undefined;
  /** Claude Code's credentials file. */
  readonly file?: string | undefined;
  /** The Keychain service looked at, or `null`. */
  readonly keychainService?: string | null | undefined;
  /** Where the login was read. */
  readonly origin?: "file" | "keychain" | undefined;
  /** What is wrong: `missing`, `signed_out`, `expired`, `invalid` or `unreadable`. */
  readonly reason?: "missing" | "signed_out" | "expired" | "invalid" | "unreadable" | undefined;
  /** With `expired`: the login's expiry, epoch ms. */
  readonly expiresAt?: number | undefined;
  /** With `invalid`: the JSON path of the problem (`(root)` when the file does not parse). */
  readonly jsonPath?: string | undefined;
}

/**
 * The details type of each {@link ErrorCode}: `error.details` of an error narrowed with
 * `isAuthProfilesError(e, code)` (or by `e.code === code`) has this type.
 *
 * @category Errors
 */
export interface ErrorDetailsMap {
  /** No credential at all for the provider. */
  readonly NO_API_KEY: ErrorFacts & {
    /** The provider, e.g. `anthropic`. */
    readonly provider?: string | undefined;
    /** The agent id. */
    readonly agentId?: string | undefined;
    /** The agent's store. */
    readonly storePath?: string | null | undefined;
    /** The agent dir, when set. */
    readonly agentDir?: string | null | undefined;
  };
  /** An explicit profile id that has no usable credential. */
  readonly NO_CREDENTIALS: ErrorFacts & {
    /** The profile id. */
    readonly profileId?: string | undefined;
    /** The agent id. */
    readonly agentId?: string | undefined;
    /** The agent's store. */
    readonly storePath?: string | null | undefined;
    /** The store holding the profile. */
    readonly store?: string | undefined;
  };
  /** An explicit profile id that is not a candidate for the provider. */
  readonly PROFILE_NOT_CONFIGURED: ErrorFacts & {
    /** The profile id. */
    readonly profileId?: string | undefined;
    /** The provider, e.g. `anthropic`. */
    readonly provider?: string | undefined;
    /** Why the profile is not a candidate. */
    readonly why?: string | undefined;
  };
  /** Every profile is cooling down or disabled. */
  readonly NO_AVAILABLE_PROFILE: ErrorFacts & {
    /** The provider, e.g. `anthropic`. */
    /** The provider. */
    readonly provider: string;
    /** Epoch ms at which the first profile becomes usable again, or `null`. */
    readonly retryAt: number | null;
    /** The profiles that cannot be used now, soonest first. */
    readonly unusableProfiles: readonly UnavailableProfileInfo[];
  };
  /** The token endpoint refused or failed. */
  readonly OAUTH_REFRESH_FAILED: ErrorFacts & {
    /** The profile id. */
    readonly profileId?: string | undefined;
    /** The HTTP status of the token endpoint, or `null`. */
    readonly status?: number | null | undefined;
    /** The endpoint's OAuth `error` code, or `null`. */
    readonly oauthError?: string | null | undefined;
    /** What failed: `network`, `timeout`, `http`, … */
    readonly kind?: string | undefined;
  };
  /** Claude Code's login is missing, signed out or expired. */
  readonly CLAUDE_CLI_EXPIRED: ClaudeCliDetails;
  /** Claude Code's login cannot be read or parsed. */
  readonly CLAUDE_CLI_INVALID: ClaudeCliDetails;
  /** A setup-token that fails validation. */
  readonly TOKEN_INVALID: ErrorFacts & {
    /** What is wrong with the value (never the value itself). */
    readonly problem?: string | undefined;
  };
  /** An API key refused when saving. */
  readonly API_KEY_INVALID: ErrorFacts & {
    /** What is wrong with the key (never the key itself), e.g. `inner_whitespace` or `admin_key`. */
    readonly problem?: string | undefined;
  };
  /** A stored credential that cannot be sent. */
  readonly CREDENTIAL_INVALID: ErrorFacts & {
    /** The profile id. */
    readonly profileId?: string | undefined;
    /** The stored credential type. */
    readonly type?: string | undefined;
    /** What is wrong with the value (never the value itself). */
    readonly problem?: string | undefined;
  };
  /** The config file does not parse. */
  readonly CONFIG_PARSE: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | undefined;
    /** 1-based line of the syntax error. */
    readonly line?: number | undefined;
    /** 1-based column of the syntax error. */
    readonly column?: number | undefined;
  };
  /** A config value we read is invalid. */
  readonly CONFIG_INVALID: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | null | undefined;
    /** The JSON path (config) or the option path of the bad value. */
    readonly path?: string | undefined;
  };
  /** `${VAR}` names a variable that is not set. */
  readonly CONFIG_ENV_MISSING: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | null | undefined;
    /** The JSON path (config) or the option path of the bad value. */
    readonly path?: string | undefined;
    /** The missing variable. */
    readonly variable?: string | undefined;
  };
  /** The store document is not valid. */
  readonly STORE_INVALID: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | undefined;
    /** The JSON path of the problem (`(root)` for the whole document). */
    readonly jsonPath?: string | undefined;
    /** `empty`, `syntax`, `schema` or `version` (or another fact a store reports). */
    readonly reason?: string | undefined;
  };
  /** The store's lock stayed busy. */
  readonly STORE_LOCKED: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | undefined;
    /** The lock directory. */
    readonly lock?: string | undefined;
    /** The Redis key. */
    readonly key?: string | undefined;
  };
  /** A file system operation failed. */
  readonly STORE_IO: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | undefined;
    /** The lock directory. */
    readonly lock?: string | undefined;
  };
  /** A shared store (Redis) cannot be reached. */
  readonly STORE_UNAVAILABLE: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | undefined;
    /** The Redis key. */
    readonly key?: string | undefined;
    /** What was being done. */
    readonly operation?: string | undefined;
  };
  /** An encrypted value cannot be decrypted. */
  readonly STORE_DECRYPT: ErrorFacts & {
    /** The file concerned. */
    readonly file?: string | undefined;
    /** The profile id. */
    readonly profileId?: string | undefined;
    /** The encrypted field. */
    readonly field?: string | undefined;
    /** The key id the value names, or `null`. */
    readonly keyId?: string | null | undefined;
  };
  /** A file others could read or swap. */
  readonly FILE_UNSAFE: FileDetails & {
    /** `symlink`, `permissions` or `directory` (or another check's name). */
    readonly reason: string;
    /** The offending mode, e.g. `0644`. */
    readonly mode?: string | undefined;
    /** With `directory`: the directory. */
    readonly directory?: string | undefined;
  };
  /** A stored profile's secret reference (`keyRef` / `tokenRef`) whose value could not be read. */
  readonly SECRET_REF_UNRESOLVED: ErrorFacts & {
    /** The profile store holding the reference. */
    readonly file?: string | undefined;
    /** The JSON path of the reference, e.g. `profiles["anthropic:work"].keyRef`. */
    readonly jsonPath?: string | undefined;
    /** The profile id. */
    readonly profileId?: string | undefined;
    /** The reference as `source:provider:id` (never the value). */
    readonly ref?: string | undefined;
    /**
     * What is wrong: `unsupported_source`, `provider_not_configured`, `provider_invalid`,
     * `provider_mismatch`, `invalid_id`, `env_missing`, `not_allowlisted`, `file_unsafe`,
     * `file_missing`, `file_unreadable`, `not_found`, `not_a_string`, `exec_not_allowed`,
     * `command_unsafe`, `exec_failed`.
     */
    readonly reason: string;
    /** With the `file_*` reasons and `command_unsafe`: the secrets file or command concerned. */
    readonly secretFile?: string | undefined;
  };
  /** A wrong-typed or invalid argument or option. */
  readonly INVALID_ARGUMENT: ErrorFacts & {
    /** The public function called. */
    readonly function?: string | undefined;
    /** The argument at fault. */
    readonly argument?: string | undefined;
    /** The JSON path (config) or the option path of the bad value. */
    readonly path?: string | undefined;
    /** The option at fault. */
    readonly option?: string | undefined;
  };
  /** The resolver was closed. */
  readonly RESOLVER_CLOSED: ErrorFacts;
}
