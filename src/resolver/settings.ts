import { homedir } from "node:os";
import { systemClock, type Clock } from "../model/clock.js";
import { DEFAULT_AGENT_ID, normalizeAgentId } from "../config/agent-id.js";
import { configEnv } from "../config/config-env.js";
import { loadConfig } from "../config/load.js";
import { resolveConfigPath, resolveStateDir } from "../config/paths.js";
import { validateConfigReport } from "../config/validate.js";
import { DEFAULT_REFRESH_MARGIN_MS } from "../credentials/oauth/token-endpoint.js";
import { cooldownPolicyFor } from "../selection/policy.js";
import type { Env, LoadedConfig } from "./state.js";
import type { Logger } from "../model/logger.js";
import type { AuthResolverOptions } from "./types.js";

const SILENT_LOGGER: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Resolver options with every default applied: the resolver's only reader of the process's globals
 * (`process.env`, the home dir, the clock, the global `fetch`); the writers, `loadConfig` and the
 * SDK client apply the same defaults at their own entry, and nothing below them reads a global.
 *
 * @internal
 */
export interface ResolverSettings {
  /** The options as given. */
  readonly options: AuthResolverOptions;
  /** Clock. */
  readonly now: Clock;
  /** Logger (silent by default). */
  readonly logger: Logger;
  /** The env passed in (default `process.env`), before the config's `env` block. */
  readonly baseEnv: Env;
  /** Home dir for default paths. */
  readonly homeDir: string;
  /** The agent id as OpenClaw computes it (`normalizeAgentId`). */
  readonly agentId: string;
  /** The state dir. */
  readonly stateDir: string;
  /** The config file, or `null` (none, or a config object). */
  readonly configPath: string | null;
  /** `fetch` for the token endpoint. */
  readonly fetch: typeof fetch;
  /** OAuth refresh margin. */
  readonly refreshMarginMs: number;
  /** Reads, validates and migrates the config (file or object) and applies its `env` block. */
  readonly readConfig: () => Promise<LoadedConfig>;
}

/**
 * Applies the defaults of {@link AuthResolverOptions} (`process.env`, `os.homedir()`, the system
 * clock, the global `fetch`) and builds the config reader.
 *
 * @param options - the caller's options
 * @returns the settings
 * @throws AuthProfilesError `INVALID_ARGUMENT` for a `~` path without a home dir
 * @internal
 */
export function resolverSettings(options: AuthResolverOptions): ResolverSettings {
  const now = options.now ?? systemClock;
  const logger = options.logger ?? SILENT_LOGGER;
  const baseEnv: Env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const agentId = normalizeAgentId(options.agentId ?? DEFAULT_AGENT_ID);
  const stateDir = options.stateDir ?? resolveStateDir({ env: baseEnv, homeDir });
  const configPath = options.config !== undefined || options.configPath === false ? null : (options.configPath ?? resolveConfigPath({ env: baseEnv, homeDir, stateDir }));

  const readConfig = async (): Promise<LoadedConfig> => {
    let loaded: LoadedConfig;
    if (options.config !== undefined) {
      const { config, warnings } = validateConfigReport(options.config, undefined);
      for (const warning of warnings) logger.warn(`auth-profiles: ${warning.message}`);
      loaded = { config, env: configEnv(config, baseEnv) };
    } else if (configPath === null) {
      loaded = { config: {}, env: baseEnv };
    } else {
      const file = await loadConfig({ path: configPath, env: baseEnv, allowUnsafePermissions: options.allowUnsafePermissions });
      for (const change of file.changes) logger.info(`auth-profiles: ${change} (in memory; loadConfig({ persistMigrations: true }) writes it)`);
      for (const warning of file.warnings) logger.warn(`auth-profiles: ${warning.message}`);
      loaded = { config: file.config, env: file.env };
    }
    // Surfaces a bad auth.cooldowns value now (CONFIG_INVALID), not at the first failure.
    cooldownPolicyFor({ config: loaded.config, provider: "anthropic", overrides: options.cooldown ?? {} });
    return loaded;
  };

  return {
    options,
    now,
    logger,
    baseEnv,
    homeDir,
    agentId,
    stateDir,
    configPath,
    fetch: options.fetch ?? globalThis.fetch,
    refreshMarginMs: options.oauth?.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS,
    readConfig,
  };
}
