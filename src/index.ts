/**
 * auth-profiles: decide which Anthropic credential to use for an agent, and how to send it.
 *
 * The root entry never imports `@anthropic-ai/sdk`; the SDK client lives in `auth-profiles/anthropic`.
 *
 * @packageDocumentation
 */

// Resolving auth
export { createAuthResolver, resolveAuth } from "./resolver/resolver.js";
export type {
  AuthResolver,
  AuthResolverOptions,
  ClaudeCliOptions,
  OAuthOptions,
  ResolveAuthOptions,
  ResolvedAuth,
  ResolveRequest,
} from "./resolver/types.js";
export type { Logger } from "./model/logger.js";

// Writing credentials
export { DEFAULT_API_KEY_PROFILE_ID, DEFAULT_TOKEN_PROFILE_ID, saveApiKey, saveToken } from "./writers/save.js";
export type { SaveApiKeyOptions, SaveTokenOptions } from "./writers/save.js";
export { copyProfiles } from "./writers/copy-profiles.js";
export type { CopyProfilesOptions, CopyProfilesResult, CopySide, SkippedProfile } from "./writers/copy-profiles.js";
export type { WriteResult, WriterLocation } from "./writers/target.js";
export { SETUP_TOKEN_MIN_LENGTH, SETUP_TOKEN_PREFIX, validateSetupToken } from "./credentials/setup-token.js";
export { useClaudeCli } from "./writers/use-claude-cli.js";
export type { UseClaudeCliOptions, UseClaudeCliResult } from "./writers/use-claude-cli.js";

// Store
export { createFileProfileStore, DEFAULT_PARSE_RETRY_MS } from "./store/file-store.js";
export type { FileProfileStore, FileProfileStoreOptions } from "./store/file-store.js";
export { emptyStore, parseStore, serializeStore } from "./store/format.js";
export { DEFAULT_LOCK_WAIT_MS, MIN_LOCK_STALE_MS, STORE_LOCK_STALE_MS } from "./io/lock.js";
export type {
  ApiKeyProfile,
  OAuthProfile,
  ProfileStore,
  StoreData,
  StoredCredential,
  StoreMutation,
  StoreMutator,
  StoreUpdateResult,
  TokenProfile,
  UnknownProfile,
  UsageStats,
} from "./model/store.js";

// Config and locations
export { DEFAULT_AGENT_ID, validateAgentId } from "./config/agent-id.js";
export { agentModel } from "./config/agents.js";
export { effectiveCacheControlTtl } from "./config/cache-ttl.js";
export { configEnv } from "./config/config-env.js";
export type { EnvVars } from "./config/config-env.js";
export { loadConfig } from "./config/load.js";
export type { LoadConfigOptions, LoadedConfig } from "./config/load.js";
export { migrateConfig } from "./config/migrate.js";
export { CLAUDE_CLI_PROFILE_ID } from "./model/ids.js";
export type { MigrateConfigResult } from "./config/migrate.js";
export { parseConfig } from "./config/parse.js";
export type { ParseConfigOptions } from "./config/parse.js";
export { agentStoreLocation } from "./config/agent-location.js";
export type { AgentStoreLocation, AgentStoreLocationOptions } from "./config/agent-location.js";
export { AUTH_PROFILES_FILENAME, resolveAgentDir, resolveConfigPath, resolveStateDir, resolveStorePath } from "./config/paths.js";
export type { ResolveAgentDirOptions, ResolveConfigPathOptions, ResolveStateDirOptions } from "./config/paths.js";
export { recordProfileMeta } from "./writers/profile-meta.js";
export type { ProfileMetaInput, RecordProfileMetaOptions, RecordProfileMetaResult } from "./writers/profile-meta.js";
export type {
  AgentEntry,
  AgentSettings,
  AgentsConfig,
  AuthConfig,
  AuthProfilesConfig,
  CacheControlTtl,
  CooldownConfig,
  ModelChoice,
  ModelEntry,
  ModelParams,
  ModelRef,
  ProfileMeta,
} from "./config/types.js";

// Selection, cooldowns, failure classification (pure)
export { orderProfiles } from "./selection/order.js";
export type { OrderProfilesInput, ProfileOrder } from "./selection/order.js";
export { explainProfiles } from "./selection/candidates.js";
export type { CandidateExplanation, CandidateSource, ExclusionReason, ProfileExplanation, ProfileSelectionInput } from "./selection/candidates.js";
export { clearCooldown, describeUnusable, recordFailure, recordSuccess, unusableUntil } from "./selection/cooldown.js";
export type { RecordFailureOptions } from "./selection/cooldown.js";
export { withClearedCooldown, withFailure, withForceRefresh, withLastUsed, withoutForceRefresh, withSuccess } from "./selection/usage.js";
export type { FailureUpdate } from "./selection/usage.js";
export { classifyFailure, classifyFailureDetail, isFailoverReason, MAX_CLASSIFIED_CHARS, type FailureClass, type FailureKind } from "./selection/classify.js";
export { retryAfterMsFromError } from "./selection/retry-after.js";
export { FAILURE_REASONS, isFailureReason, isTransientReason } from "./selection/reasons.js";
export {
  cooldownPolicyFor,
  DEFAULT_AUTH_STEPS_MS,
  DEFAULT_BILLING_BASE_MS,
  DEFAULT_BILLING_MAX_MS,
  DEFAULT_COOLDOWN_POLICY,
  DEFAULT_FAILURE_WINDOW_MS,
  DEFAULT_RETRY_AFTER_CAP_MS,
  DEFAULT_TRANSIENT_STEPS_MS,
} from "./selection/policy.js";
export type { CooldownPolicyInput } from "./selection/policy.js";
export type { CooldownPolicy, FailureOutcome, FailureReason, UnusableProfile } from "./model/failure.js";

// Request decoration (pure)
export { applyHeaderDecoration, credentialHeaders, toRequestHeaders } from "./request/auth-headers.js";
export type { CredentialDecoration } from "./request/auth-headers.js";
export { EXTENDED_CACHE_TTL_BETA, mergeBetaHeader, mergeBetas, OAUTH_BETA, parseBetaHeader } from "./request/betas.js";
export { findCacheBreakpoints } from "./request/cache-breakpoints.js";
export type { CacheBreakpoint, CacheBreakpointArea } from "./request/cache-breakpoints.js";
export { applyCacheTtl } from "./request/cache-ttl.js";
export type { CacheTtlResult } from "./request/cache-ttl.js";
export { decorateJsonBody } from "./request/decorate-json-body.js";
export { decorateRequest } from "./request/decorate.js";
export type { DecoratedRequest, DecorateRequestOptions, WithoutBetas } from "./request/decorate.js";
export type { CacheControlMarker, DecorationAuth, HeaderDecoration, HeadersInput } from "./request/types.js";
export type { PathKey } from "./request/update-paths.js";

// OAuth and the Claude Code login
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_REFRESH_MARGIN_MS,
  DEFAULT_REFRESH_TIMEOUT_MS,
  DEFAULT_TOKEN_URL,
  MAX_TOKEN_RESPONSE_BYTES,
  requestTokenRefresh,
} from "./credentials/oauth/token-endpoint.js";
export type { TokenRefreshRequest, TokenRefreshResult } from "./credentials/oauth/token-endpoint.js";
export { REFRESH_DETAIL_MAX_CHARS, RefreshError } from "./credentials/oauth/refresh-error.js";
export type { RefreshErrorFacts, RefreshErrorOptions, RefreshFailureKind } from "./credentials/oauth/refresh-error.js";
export { needsRefresh, refreshStoredOAuth } from "./credentials/oauth/refresh.js";
export type { OAuthTokenEndpoint, RefreshStoredOAuthOptions } from "./credentials/oauth/refresh.js";
export { createSingleFlight } from "./credentials/single-flight.js";
export type { SingleFlight, SingleFlightRunOptions } from "./credentials/single-flight.js";
export { createClaudeCliSource, KEYCHAIN_RECHECK_MS, WRITE_BACK_RETRY_MS } from "./credentials/claude-cli/login.js";
export type { ClaudeCliSource, ClaudeCliSourceInit } from "./credentials/claude-cli/login.js";
export {
  CLAUDE_CREDENTIALS_FILE,
  CLAUDE_REFRESH_LOCK_STALE_MS,
  claudeCredentialsPath,
  KEYCHAIN_SERVICE_BASE,
  keychainServiceName,
} from "./credentials/claude-cli/paths.js";
export type { ClaudeCliPathOptions } from "./credentials/claude-cli/paths.js";

// Status
export { buildAuthStatus } from "./status/build.js";
export type { BuildAuthStatusInput } from "./status/build.js";
export { formatAuthStatus } from "./status/format.js";
export { checkAuthStatus } from "./status/check.js";
export type { AuthStatusCheck } from "./status/check.js";
export { EXPIRY_WARN_AFTER_MS } from "./status/expiry.js";
export type {
  AuthStatus,
  AuthStatusBlock,
  ClaudeCliReading,
  EnvCredentialStatus,
  ProfileState,
  ProfileStatus,
  CacheStatus,
  EffectiveAuth,
  OAuthProfileStatus,
  ProfileCounts,
  ProviderStatus,
} from "./status/types.js";

// Errors and redaction
export { AuthProfilesError, formatDurationMs, formatEpochMs, isAuthProfilesError, NoAvailableProfileError } from "./model/errors.js";
export type { AuthProfilesErrorOptions, ErrorCode, ErrorDetails, UnavailableProfileInfo } from "./model/errors.js";
export { redactSecret, redactText } from "./model/redact.js";

// Shared types
export type { Clock } from "./model/clock.js";
export type { Credential, CredentialMode, CredentialProviderOptions, CredentialSource } from "./model/credential.js";
