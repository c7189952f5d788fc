/**
 * Config and file locations: OpenClaw-compatible paths, JSON5 config parsing with `${VAR}`
 * substitution, validation, migration, and the `auth.profiles` metadata writer.
 *
 * @module
 */

export { DEFAULT_AGENT_ID, validateAgentId } from "./agent-id.js";
export { agentModel } from "./agents.js";
export { effectiveCacheControlTtl } from "./cache-ttl.js";
export { configEnv } from "./config-env.js";
export type { EnvVars } from "./config-env.js";
export { loadConfig } from "./load.js";
export type { LoadConfigOptions, LoadedConfig } from "./load.js";
export { CLAUDE_CLI_PROFILE_ID, migrateConfig } from "./migrate.js";
export type { MigrateConfigResult } from "./migrate.js";
export { parseConfig } from "./parse.js";
export type { ParseConfigOptions } from "./parse.js";
export { AUTH_PROFILES_FILENAME, resolveAgentDir, resolveConfigPath, resolveStateDir, resolveStorePath } from "./paths.js";
export type { ResolveAgentDirOptions, ResolveConfigPathOptions, ResolveStateDirOptions } from "./paths.js";
export { recordProfileMeta } from "./profile-meta.js";
export type { ProfileMetaInput, RecordProfileMetaOptions, RecordProfileMetaResult } from "./profile-meta.js";
