/**
 * What a bot uses: the resolver and `resolveAuth`, the writers that onboard credentials, the
 * status report and its formatter, `loadConfig`, and the errors with their guard.
 *
 * The pure building blocks live in area entries that mirror the source folders:
 * `auth-profiles/config`, `auth-profiles/store`, `auth-profiles/selection`,
 * `auth-profiles/credentials`, `auth-profiles/request`; the SDK client in
 * `auth-profiles/anthropic` and the Redis store in `auth-profiles/redis`. The root entry never
 * imports `@anthropic-ai/sdk` or `ioredis`.
 *
 * @module auth-profiles
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
  ReportContext,
  ResolveRequest,
  SecretRefOptions,
} from "./resolver/types.js";
export type { ModelFamilyRule } from "./selection/model-family.js";
export type { AuthEvent, AuthEventBase, AuthEventListener, CooldownClearedEvent, CooldownEvent, FailoverEvent, LimitsUpdatedEvent, RefreshEvent, SelectedEvent } from "./model/events.js";
export type { HeadersLike } from "./selection/rate-limit-headers.js";
export type { Logger } from "./model/logger.js";
export type { HintCommand, HintCommandArgs, HintCommandName, HintCommands } from "./model/hints.js";
export type { Clock } from "./model/clock.js";
export type { CredentialMode, CredentialSource } from "./model/credential.js";
export type { CooldownPolicy, FailureOutcome, FailureReason, UnusableProfile } from "./model/failure.js";
export { CLAUDE_CLI_PROFILE_ID } from "./model/ids.js";
export { DEFAULT_AGENT_ID } from "./config/agent-id.js";

// Writing credentials
export { DEFAULT_API_KEY_PROFILE_ID, DEFAULT_TOKEN_PROFILE_ID, saveApiKey, saveToken } from "./writers/save.js";
export type { SaveApiKeyOptions, SaveResult, SaveTokenOptions } from "./writers/save.js";
export { copyProfiles } from "./writers/copy-profiles.js";
export type { CopyProfilesOptions, CopyProfilesResult, CopySide, SkippedProfile } from "./writers/copy-profiles.js";
export type { WriteResult, WriterLocation } from "./writers/target.js";
export { useClaudeCli } from "./writers/use-claude-cli.js";
export { removeProfile } from "./writers/remove-profile.js";
export type { RemoveProfileOptions, RemoveProfileResult } from "./writers/remove-profile.js";
export { clearProfileOrder, setProfileOrder } from "./writers/profile-order.js";
export type { ClearProfileOrderOptions, ProfileOrderResult, SetProfileOrderOptions } from "./writers/profile-order.js";
export type { UseClaudeCliOptions, UseClaudeCliResult } from "./writers/use-claude-cli.js";
export { validateSetupToken } from "./credentials/setup-token.js";
export { validateApiKey } from "./credentials/api-key.js";
export type { ApiKeyProblem, ValidateApiKeyOptions, ValidatedApiKey } from "./credentials/api-key.js";

// Status
export { formatAuthStatus } from "./status/format.js";
export { checkAuthStatus } from "./status/check.js";
export type { AuthStatusCheck } from "./status/check.js";
export type {
  AuthStatus,
  AuthStatusBlock,
  CacheStatus,
  EffectiveAuth,
  EnvCredentialStatus,
  HeldLoginStatus,
  OAuthProfileStatus,
  OtherAgentProfile,
  ProfileCounts,
  ProfileState,
  ProfileStatus,
  ProviderStatus,
} from "./status/types.js";

// Config
export { loadConfig } from "./config/load.js";
export type { LoadConfigOptions, LoadedConfig } from "./config/load.js";
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
export type {
  AgentEntryInput,
  AgentSettingsInput,
  AgentsConfigInput,
  AuthConfigInput,
  AuthProfilesConfigInput,
  CooldownConfigInput,
  EnvBlockInput,
  KnownOrString,
  ModelChoiceInput,
  ModelEntryInput,
  ModelParamsInput,
  PassThrough,
  ProfileMetaInput,
} from "./config/input-types.js";

// Store (the shape a custom `store` option implements)
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
  WatchOptions,
} from "./model/store.js";

// Errors and masking
export { AuthProfilesError, isAuthProfilesError, NoAvailableProfileError } from "./model/errors.js";
export type {
  AnyAuthProfilesError,
  AuthProfilesErrorOptions,
  ClaudeCliDetails,
  ErrorCode,
  ErrorDetails,
  ErrorDetailsMap,
  ErrorFacts,
  FileDetails,
  NoAvailableProfileErrorOptions,
  UnavailableProfileInfo,
} from "./model/errors.js";
export { RefreshError } from "./credentials/oauth/refresh-error.js";
export type { RefreshErrorFacts, RefreshFailureKind } from "./credentials/oauth/refresh-error.js";
export { redactSecret, redactText } from "./model/redact.js";
