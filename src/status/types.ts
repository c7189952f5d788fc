import type { CacheControlTtl } from "../config/types.js";
import type { Credential, CredentialMode, CredentialSource } from "../model/credential.js";
import type { AuthProfilesError } from "../model/errors.js";
import type { UnusableProfile } from "../model/failure.js";

/**
 * Where a provider's credential effectively comes from.
 *
 * @category Status
 */
export interface EffectiveAuth {
  /** `profiles` (the store), `env` (an environment variable) or `missing`. */
  readonly kind: "profiles" | "env" | "missing";
  /** `profiles:<store path>`, `env: ANTHROPIC_API_KEY`, or a hint for `missing`. */
  readonly detail: string;
}

/**
 * Counts and masked labels of a provider's profiles.
 *
 * @category Status
 */
export interface ProfileCounts {
  /** Number of usable-or-cooling profiles for the provider. */
  readonly count: number;
  /** How many are OAuth logins. */
  readonly oauth: number;
  /** How many are static tokens (setup-tokens). */
  readonly token: number;
  /** How many are API keys. */
  readonly apiKey: number;
  /** One masked label per profile, e.g. `anthropic:default=sk-ant-api03-…wxyz`. */
  readonly labels: readonly string[];
}

/**
 * The state of one profile, most pressing first: `expired`, `missing` (nothing stored, or the Claude
 * Code login is absent), `excluded` (stored but unusable: wrong mode, provider, type or empty),
 * `invalid` (stored, but its key or token cannot be sent in a header: a trailing newline, an inner
 * space, a NUL or non-ASCII character; skipped until it is saved again),
 * `ignored` (not in the explicit order or the configured profiles, so never tried), `disabled`
 * (billing), `cooldown`, `expiring` (within 24 h), `ok`.
 *
 * @category Status
 */
export type ProfileState = "ok" | "expiring" | "cooldown" | "disabled" | "expired" | "missing" | "excluded" | "invalid" | "ignored";

/**
 * One profile as the status report shows it (secret-free).
 *
 * @category Status
 */
export interface ProfileStatus {
  /** The profile id. */
  readonly profileId: string;
  /** The stored type, the live Claude Code login's mode, or the config mode when nothing is stored; `null` when unknown. */
  readonly type: CredentialMode | null;
  /** `store`, or `claude-cli` for the live Claude Code login. */
  readonly source: CredentialSource;
  /** The masked credential: `sk-ant-api03-…wxyz`, `token:sk-ant-oat01-…wxyz`, `OAuth (me@example.com)`, `missing`. */
  readonly masked: string;
  /** What state it is in. */
  readonly state: ProfileState;
  /** For `cooldown` / `disabled`: until when and why; else `null`. */
  readonly unusable: UnusableProfile | null;
  /** Epoch ms at which the token expires, or `null` (API keys, static tokens). */
  readonly expiresAt: number | null;
  /** `true` for a stored OAuth login with a refresh token: its access token renews automatically. */
  readonly refreshable: boolean;
  /** A secret-free sentence explaining `expired`, `missing`, `excluded`, `invalid` (with the fix) or `ignored`; else `null`. */
  readonly detail: string | null;
  /**
   * What to do about it, with the bot's command names when it passed `commands` (else the library
   * call), and the agent named; `""` when nothing is needed.
   */
  readonly action: string;
}

/** A profile row before its action is written. @internal */
export type ProfileRow = Omit<ProfileStatus, "action">;

/**
 * The env credential of a provider, masked.
 *
 * @category Status
 */
export interface EnvCredentialStatus {
  /** The variable, e.g. `ANTHROPIC_API_KEY`. */
  readonly variable: string;
  /** How it is sent. */
  readonly mode: CredentialMode;
  /** The masked value, e.g. `sk-ant-api03-…wxyz`. */
  readonly masked: string;
  /** `true` when it is the effective source (no profile is eligible). */
  readonly used: boolean;
}

/**
 * One provider's block of the status report.
 *
 * @category Status
 */
export interface ProviderStatus {
  /** The provider id. */
  readonly provider: string;
  /** The effective credential source. */
  readonly effective: EffectiveAuth;
  /** Profile counts and labels. */
  readonly profiles: ProfileCounts;
  /** Every profile of the provider (eligible ones in resolution order first), with its state. */
  readonly entries: readonly ProfileStatus[];
  /** The provider's env credential, or `null` when none is set. */
  readonly env: EnvCredentialStatus | null;
}

/**
 * Expiry status of a bearer-token profile.
 *
 * @category Status
 */
export interface OAuthProfileStatus {
  /** The profile id. */
  readonly profileId: string;
  /** The provider id. */
  readonly provider: string;
  /** `oauth` or `token`. */
  readonly type: Exclude<CredentialMode, "api_key">;
  /** `ok`, `expiring` (within 24 h), `expired`, `static` (never expires) or `missing`. */
  readonly status: "ok" | "expiring" | "expired" | "static" | "missing";
  /** Epoch ms, or `null`. */
  readonly expiresAt: number | null;
  /** `expiresAt - now`, or `null`. */
  readonly remainingMs: number | null;
  /** Where the credential lives. */
  readonly source: CredentialSource;
  /** A masked label. */
  readonly label: string;
  /** `true` for a stored OAuth login with a refresh token: an expired access token is renewed on use, so it reads `ok`. */
  readonly refreshable: boolean;
}

/**
 * Whether a prompt-cache TTL is applied for a model, and why (not).
 *
 * @category Status
 */
export interface CacheStatus {
  /** The model id (`anthropic/<model>`). */
  readonly model: string;
  /** The configured TTL, or `null`. */
  readonly cacheControlTtl: CacheControlTtl | null;
  /** `true` when requests for this model get the TTL. */
  readonly applied: boolean;
  /** A short human explanation. */
  readonly why: string;
}

/**
 * A refreshed OAuth login the store does not hold yet: the store write failed (full disk, lost
 * lock, stalled Redis) or a previous process was killed before it, so the resolver serves it from
 * memory or from the recovery journal and keeps trying to save it.
 *
 * @category Status
 */
export interface HeldLoginStatus {
  /** The profile. */
  readonly profileId: string;
  /** Epoch ms at which its access token expires. */
  readonly expires: number;
  /** Epoch ms at which the token endpoint issued it. */
  readonly since: number;
  /** `journal`: also in the recovery journal on disk (survives a restart); `memory`: only in this process. */
  readonly heldIn: "journal" | "memory";
  /** `true` when it was recovered from the journal. */
  readonly recovered: boolean;
}

/**
 * The `auth` block of {@link AuthStatus}, shaped like OpenClaw's `models status --json`.
 *
 * @category Status
 */
export interface AuthStatusBlock {
  /** The store path. */
  readonly storePath: string;
  /** One entry per provider. */
  readonly providers: readonly ProviderStatus[];
  /** Profiles in cooldown or disabled, sorted by time left. */
  readonly unusableProfiles: readonly UnusableProfile[];
  /** Expiry of bearer-token profiles. */
  readonly oauth: {
    /** The "expiring" window (24 h). */
    readonly warnAfterMs: number;
    /** One entry per token or OAuth profile. */
    readonly profiles: readonly OAuthProfileStatus[];
  };
  /** Prompt-cache TTL per configured model. */
  readonly cache: readonly CacheStatus[];
  /** Refreshed OAuth logins not yet saved in the store (empty when every write landed). */
  readonly heldLogins: readonly HeldLoginStatus[];
  /**
   * Configured profiles that belong to other agents: named by the config's `auth.profiles` or
   * `auth.order` (shared by every agent), not stored by this agent, stored by another. They are not
   * rows of `providers[].entries` (nor counted there). Other agents' stores are found on disk (JSON
   * or SQLite) or, for a Redis store, under its key prefix; empty when there are none, or when the
   * resolver was given a custom store without `profileIdsOfAgent`.
   */
  readonly otherAgentProfiles: readonly OtherAgentProfile[];
}

/**
 * A configured profile that another agent stores (ids only, never a secret).
 *
 * @category Status
 */
export interface OtherAgentProfile {
  /** The profile id. */
  readonly profileId: string;
  /** The provider whose rows it was left out of. */
  readonly provider: string;
  /** The agents whose stores hold it, e.g. `["main"]`. */
  readonly agentIds: readonly string[];
}

/**
 * What `resolver.status()` returns: secret-free, JSON-ready.
 *
 * @category Status
 */
export interface AuthStatus {
  /** The agent id. */
  readonly agentId: string;
  /** The config file path, or `null` when none is used. */
  readonly configPath: string | null;
  /** The store path. */
  readonly storePath: string;
  /** The agent's primary model, or `null`. */
  readonly defaultModel: string | null;
  /** Epoch ms at which the report was made. */
  readonly generatedAt: number;
  /** The auth block. */
  readonly auth: AuthStatusBlock;
}

/** The Claude Code login as read for the status report: the credential, or why there is none. @internal */
export interface ClaudeCliReading {
  /** The credential that would be sent, or `null`. */
  readonly credential: Credential | null;
  /** Why there is none (`CLAUDE_CLI_EXPIRED`, whose details may carry `expiresAt`, or `CLAUDE_CLI_INVALID`), or `null`. */
  readonly error: AuthProfilesError | null;
}
