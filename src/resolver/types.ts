import type { Logger } from "../model/logger.js";
import type { Clock } from "../model/clock.js";
import type { CacheControlTtl } from "../config/types.js";
import type { AuthProfilesConfigInput } from "../config/input-types.js";
import type { CredentialMode, CredentialSource } from "../model/credential.js";
import type { CooldownPolicy, FailureOutcome } from "../model/failure.js";
import type { AuthStatus } from "../status/types.js";
import type { ProfileStore } from "../model/store.js";
import type { AuthEventListener } from "../model/events.js";
import type { ModelFamilyRule } from "../selection/model-family.js";
import type { HeadersLike } from "../selection/rate-limit-headers.js";
import type { HintCommands } from "../model/hints.js";

/**
 * How the Claude Code login (`anthropic:claude-cli`) is read.
 *
 * @remarks
 * Anthropic's terms limit subscription OAuth (Claude Code logins and setup-tokens) to Claude Code
 * and Anthropic's own apps, and its server-side checks change often; using a subscription from a
 * bot is the user's call and responsibility. This library sends plain SDK requests with only the
 * OAuth beta and never impersonates Claude Code.
 *
 * An API key is the supported, safer default; a setup-token is next best (static, nothing to
 * refresh). A Claude Code login carries a refresh token that rotates on every use, so two programs
 * refreshing it log each other out: it is read live and, unless `refresh: "write-back"` is chosen,
 * never refreshed here.
 *
 * @category Resolving
 */
export interface ClaudeCliOptions {
  /** Overrides `$CLAUDE_CONFIG_DIR/.credentials.json` / `~/.claude/.credentials.json`. */
  readonly credentialsPath?: string | undefined;
  /** Read the macOS Keychain item. Default: `true` on macOS only. */
  readonly keychain?: boolean | undefined;
  /**
   * `never` (default): never refresh Claude Code's token (a second refresher logs Claude Code out).
   * `write-back`: refresh under a lock on Claude Code's file and write the result back.
   */
  readonly refresh?: "never" | "write-back" | undefined;
}

/**
 * OAuth refresh settings.
 *
 * @category Resolving
 */
export interface OAuthOptions {
  /** Token endpoint; https only (http on loopback for tests). @defaultValue `"https://platform.claude.com/v1/oauth/token"` */
  readonly tokenUrl?: string | undefined;
  /** OAuth client id. @defaultValue Claude Code's public client id, `"9d1c250a-e61b-44d9-88ed-5944d1962f5e"` */
  readonly clientId?: string | undefined;
  /** Refresh when the token expires within this many ms (5 min). @defaultValue `300000` */
  readonly refreshMarginMs?: number | undefined;
  /** Timeout of one token request, in ms (15 s). @defaultValue `15000` */
  readonly timeoutMs?: number | undefined;
}

/**
 * Options of {@link createAuthResolver}. Every field is optional.
 *
 * @category Resolving
 */
export interface AuthResolverOptions {
  /** The agent whose profiles are used, normalised as OpenClaw does (`"Work"` → `work`, `"my agent"` → `my-agent`; see `normalizeAgentId`). Default `main`. */
  readonly agentId?: string | undefined;
  /** Overrides the state dir (`$OPENCLAW_STATE_DIR`, `~/.openclaw`, …). */
  readonly stateDir?: string | undefined;
  /** Overrides `<stateDir>/agents/<agentId>/agent`. */
  readonly agentDir?: string | undefined;
  /** The config file; `false` for none. Default `$OPENCLAW_CONFIG_PATH` or `<stateDir>/openclaw.json`. */
  readonly configPath?: string | false | undefined;
  /**
   * A config object used instead of a file: the shape of OpenClaw's `openclaw.json`, deep-partial
   * (see {@link AuthProfilesConfigInput}), so a misspelled key is a compile error. Checked at run
   * time too (`CONFIG_INVALID`).
   */
  readonly config?: AuthProfilesConfigInput | undefined;
  /** The environment to read. Default `process.env` (never written). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The home dir used for default paths. Default `os.homedir()`. */
  readonly homeDir?: string | undefined;
  /** Any profile store. Default: the agent's `auth-profiles.json`. */
  readonly store?: ProfileStore | undefined;
  /** Reuse of the Claude Code login; `false` disables it. */
  readonly claudeCli?: false | ClaudeCliOptions | undefined;
  /** `fetch` used for the OAuth token endpoint. Default the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
  /** Clock, epoch ms. Every time decision uses it. */
  readonly now?: Clock | undefined;
  /** Cooldown policy overrides. */
  readonly cooldown?: Partial<CooldownPolicy> | undefined;
  /** OAuth refresh settings. */
  readonly oauth?: OAuthOptions | undefined;
  /**
   * The embedding bot's command names, used in every error hint and status row instead of the
   * library calls (e.g. `{ pasteToken: "mybot models auth paste-token --provider anthropic" }`).
   */
  readonly commands?: HintCommands | undefined;
  /** Receives debug/info/warn/error lines (secret-free). Default silent. */
  readonly logger?: Logger | undefined;
  /**
   * Skip the ownership and permission checks on the store, Claude Code's credentials file and a
   * config holding secrets (owned by another user, accessible by group/others, or in a directory
   * another user owns or can write to). Symbolic links at those files are refused regardless.
   * Default `false` (`FILE_UNSAFE`).
   */
  readonly allowUnsafePermissions?: boolean | undefined;
  /**
   * Extra model-family rules, tried before `DEFAULT_MODEL_FAMILIES` (Opus, Sonnet, Haiku, Fable,
   * Mythos; fast mode apart). A family is the scope of rate-limit cooldowns and headroom.
   */
  readonly modelFamilies?: readonly ModelFamilyRule[] | undefined;
  /** Unified (subscription) utilization from which a profile counts as out of headroom. Default 0.98. */
  readonly utilizationThreshold?: number | undefined;
  /**
   * Half-open recovery: when every profile is cooling or disabled, the one whose window ends
   * soonest is tried with one real request (at most once per 30 s per profile) instead of failing
   * with `NO_AVAILABLE_PROFILE`; a success clears its state. Default `true`; `false` turns it off.
   */
  readonly halfOpen?: boolean | undefined;
  /**
   * Apply a configured `cacheControlTtl` to subscription auth (`token`, `oauth`) too. Default
   * `false`: the TTL is written on API-key requests only (the documented default); Anthropic's
   * current docs say subscription requests honour `ttl` as well, so this opts in.
   */
  readonly cacheTtlForSubscription?: boolean | undefined;
  /**
   * Receives the resolver's decisions as typed events (`selected`, `cooldown`, `cooldownCleared`,
   * `limitsUpdated`, `refresh`; the client adds `failover`), with profile id, mode, model family,
   * reason and retry time: never a secret. Called synchronously; a listener that throws is logged
   * and ignored.
   */
  readonly onEvent?: AuthEventListener | undefined;
  /**
   * How OpenClaw secret references in the store (`keyRef` / `tokenRef`) are read: `env` and `file`
   * references always (a file under the store's safety rules), `exec` references only with
   * `allowExec`. Resolved values stay in memory: never written, never in status or errors.
   */
  readonly secretRefs?: SecretRefOptions | undefined;
}

/**
 * What one `resolve()` call asks for.
 *
 * @category Resolving
 */
export interface ResolveRequest {
  /** The provider. Default `anthropic`. */
  readonly provider?: string | undefined;
  /** The model about to be called (`claude-…` or `anthropic/claude-…`); picks the cache TTL. */
  readonly model?: string | undefined;
  /** Use exactly this profile, or fail. */
  readonly profileId?: string | undefined;
  /** Sticks a conversation to one profile until it fails or cools down. */
  readonly sessionId?: string | undefined;
  /** Profile ids to skip (already failed in this call). */
  readonly exclude?: readonly string[] | undefined;
  /** The call uses fast mode (`speed: "fast"`), whose rate limits are separate. */
  readonly fast?: boolean | undefined;
}

/**
 * What a report knows about the call besides the profile: used to scope cooldowns and read limits.
 *
 * @category Resolving
 */
export interface ReportContext {
  /** The model id of the call; its family scopes rate-limit, overloaded and timeout cooldowns. */
  readonly model?: string | null | undefined;
  /** The call used fast mode. */
  readonly fast?: boolean | undefined;
  /**
   * The response headers (a success's; a failure's are read from the error): their
   * `anthropic-ratelimit-*` values update the profile's known headroom.
   */
  readonly headers?: HeadersLike | undefined;
}

/**
 * Options of {@link resolveAuth}: resolver options and one request.
 *
 * @category Resolving
 */
export interface ResolveAuthOptions extends AuthResolverOptions, ResolveRequest {}

/**
 * A credential chosen for one request. `secret` and `headers` are real properties but never appear
 * in `JSON.stringify`, spreads or `util.inspect` output.
 *
 * @category Resolving
 */
export interface ResolvedAuth {
  /** The provider. */
  readonly provider: string;
  /** The profile id, or `null` when the credential came from env. */
  readonly profileId: string | null;
  /** How it is sent. */
  readonly mode: CredentialMode;
  /** Where it came from. */
  readonly source: CredentialSource;
  /** The API key or access token. Hidden from serialization. */
  readonly secret: string;
  /** Epoch ms, or `null`. */
  readonly expiresAt: number | null;
  /** The model id as asked (e.g. `claude-sonnet-4-6`, which the Messages API accepts; an `anthropic/` prefix is dropped), else the agent's primary model, or `null`. */
  readonly model: string | null;
  /**
   * Effective prompt-cache TTL: `null` unless one is configured and the mode is `api_key` (or any
   * mode with the resolver option `cacheTtlForSubscription: true`).
   */
  readonly cacheControlTtl: CacheControlTtl | null;
  /** `true` when the resolver applies the TTL to subscription auth too (`cacheTtlForSubscription`). */
  readonly cacheTtlForSubscription?: boolean;
  /** Auth and beta headers for this credential. Hidden from serialization. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A resolver: caches what it read, notices external changes, reports outcomes.
 *
 * @category Resolving
 */
export interface AuthResolver {
  /** Picks a credential. */
  resolve(request?: ResolveRequest): Promise<ResolvedAuth>;
  /**
   * Records a success: clears cooldown and counters (of the call's family), marks the profile used,
   * and reads the response's rate-limit headers when `context.headers` is given.
   */
  reportSuccess(profileId: string, context?: ReportContext): Promise<void>;
  /**
   * Records a failure and cools the profile down per policy: for the call's model family when the
   * reason is a rate limit, overload or timeout and `context.model` is given, else profile-wide.
   */
  reportFailure(profileId: string, error: unknown, context?: ReportContext): Promise<FailureOutcome>;
  /** Clears cooldown and billing disable early, e.g. after a top-up; `NO_CREDENTIALS` for an unknown id. */
  clearCooldown(profileId: string): Promise<void>;
  /** A secret-free report of every profile. */
  status(): Promise<AuthStatus>;
  /**
   * Waits until every outcome reported so far is written to the store. Failures are applied in
   * memory at once and written behind (a crash in those few milliseconds loses an advisory
   * cooldown, never a credential); `close()` flushes too. Never rejects: a failed write is logged
   * and retried.
   */
  flush(): Promise<void>;
  /** Writes what is pending (see `flush`), then stops watchers and timers. Idempotent. */
  close(): Promise<void>;
}

/**
 * How a resolver reads OpenClaw secret references (`keyRef` / `tokenRef`).
 *
 * @category Resolving
 */
export interface SecretRefOptions {
  /**
   * Let `exec` references run their provider's command (`secrets.providers.<alias>.command`):
   * `true` for any configured command, or the absolute command paths allowed. Default `false`: an
   * `exec` reference leaves its profile unusable, with the reason in status. `env` and `file`
   * references need no opt-in.
   */
  readonly allowExec?: boolean | readonly string[] | undefined;
}
