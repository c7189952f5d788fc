/**
 * `auth-profiles/config`: reading the bot's config (JSON5, `${VAR}` substitution, the `auth` and
 * `agents` blocks), migrating legacy entries, and computing where an agent's files live. Pure
 * except `loadConfig`, which reads (and on request rewrites) the file.
 *
 * @module auth-profiles/config
 */

export { loadConfig } from "./config/load.js";
export type { LoadConfigOptions, LoadedConfig } from "./config/load.js";
export type { ConfigWarning } from "./config/config-warnings.js";
export { parseConfig } from "./config/parse.js";
export type { ParseConfigOptions } from "./config/parse.js";
export { migrateConfig } from "./config/migrate.js";
export type { MigrateConfigResult } from "./config/migrate.js";
export { configEnv } from "./config/config-env.js";
export type { EnvVars } from "./config/config-env.js";
export { agentModel } from "./config/agents.js";
export { effectiveCacheControlTtl } from "./config/cache-ttl.js";
export { DEFAULT_AGENT_ID, normalizeAgentId, validateAgentId } from "./config/agent-id.js";
export { CLAUDE_CLI_PROFILE_ID } from "./model/ids.js";
export { agentStoreLocation } from "./config/agent-location.js";
export type { AgentStoreLocation, AgentStoreLocationOptions } from "./config/agent-location.js";
export { AUTH_PROFILES_FILENAME, resolveAgentDir, resolveConfigPath, resolveStateDir, resolveStorePath } from "./config/paths.js";
export type { ResolveAgentDirOptions, ResolveConfigPathOptions, ResolveStateDirOptions } from "./config/paths.js";
export type {
  AgentEntry,
  AgentSettings,
  AgentsConfig,
  AuthConfig,
  AuthProfilesConfig,
  CacheControlTtl,
  CacheRetention,
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
