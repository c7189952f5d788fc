/**
 * auth-profiles: decide which Anthropic credential to use for an agent, and how to send it.
 *
 * @packageDocumentation
 */

// Errors and redaction
export { AuthProfilesError, isAuthProfilesError } from "./errors.js";
export type { AuthProfilesErrorOptions, ErrorCode, ErrorDetails } from "./errors.js";
export { redactSecret, redactText } from "./redact.js";

// Shared types
export type { Clock } from "./clock.js";
export type { Credential, CredentialMode, CredentialProvider, CredentialProviderOptions, CredentialSource } from "./credentials/types.js";
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
} from "./store/types.js";
export type { CooldownPolicy, FailureOutcome, FailureReason, UnusableProfile } from "./selection/types.js";
