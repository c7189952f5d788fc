import { isPlainRecord } from "./parse-text.js";
import type { AuthProfilesConfig } from "./types.js";
import { CLAUDE_CLI_PROFILE_ID, isOpenClawClaudeCliEntry } from "../model/ids.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * What {@link migrateConfig} returns.
 *
 * @category Config
 */
export interface MigrateConfigResult<TConfig> {
  /** The migrated config (the input itself when nothing changed). */
  readonly config: TConfig;
  /** One line per change, in OpenClaw's wording; empty when nothing changed. */
  readonly changes: readonly string[];
}

/**
 * Migrates a config written by older OpenClaw/Clawdbot versions. Pure: the input is never
 * modified; changed branches are copied.
 *
 * @remarks
 * Migrations: `auth.profiles["anthropic:claude-cli"].mode` `"token"` becomes `"oauth"` (the Claude
 * Code login can carry a refresh token; an `oauth` profile accepts both stored types), except in
 * OpenClaw 2026.4's own entry (provider `claude-cli`), which is left as written.
 *
 * @param config - a parsed config
 * @returns the migrated config and the list of changes
 *
 * @example
 * ```ts
 * const { config, changes } = migrateConfig(parsed);
 * for (const line of changes) logger.info(line); // Updated auth.profiles["anthropic:claude-cli"].mode → "oauth".
 * ```
 *
 * @category Config
 */
export function migrateConfig(config: AuthProfilesConfig): MigrateConfigResult<AuthProfilesConfig> {
  checkConfigArgument("migrateConfig", "config", "config", config);
  return migrateConfigRecord(config) as MigrateConfigResult<AuthProfilesConfig>;
}

/**
 * {@link migrateConfig} for a raw, unvalidated JSON5 value (used to persist migrations without
 * expanding `${VAR}`).
 *
 * @param config - the top-level object as parsed
 * @returns the migrated object and the list of changes
 * @internal
 */
export function migrateConfigRecord(config: Readonly<Record<string, unknown>>): MigrateConfigResult<Readonly<Record<string, unknown>>> {
  const auth = config["auth"];
  const profiles = isPlainRecord(auth) ? auth["profiles"] : undefined;
  const cli = isPlainRecord(profiles) ? profiles[CLAUDE_CLI_PROFILE_ID] : undefined;
  // OpenClaw 2026.4's own entry (provider "claude-cli") is OpenClaw's to keep: never migrated.
  if (!isPlainRecord(auth) || !isPlainRecord(profiles) || !isPlainRecord(cli) || cli["mode"] !== "token" || isOpenClawClaudeCliEntry(CLAUDE_CLI_PROFILE_ID, cli)) {
    return { config, changes: [] };
  }
  return {
    config: { ...config, auth: { ...auth, profiles: { ...profiles, [CLAUDE_CLI_PROFILE_ID]: { ...cli, mode: "oauth" } } } },
    changes: [`Updated auth.profiles["${CLAUDE_CLI_PROFILE_ID}"].mode → "oauth".`],
  };
}
