import { homedir } from "node:os";
import { withFileLock } from "../io/lock.js";
import { readConfigFile, writeConfigFile, type ReadConfigFileOptions } from "./config-file.js";
import { configEnv, type EnvVars } from "./config-env.js";
import { substituteConfig } from "./env-substitute.js";
import { migrateConfig, migrateConfigRecord } from "./migrate.js";
import { parseConfigText } from "./parse-text.js";
import { resolveConfigPath } from "./paths.js";
import type { AuthProfilesConfig } from "./types.js";
import { validateConfigReport } from "./validate.js";
import type { ConfigWarning } from "./config-warnings.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * Options of {@link loadConfig}.
 *
 * @category Config
 */
export interface LoadConfigOptions {
  /** The config file. Default: {@link resolveConfigPath} from `env`, `stateDir` and `homeDir`. */
  readonly path?: string | undefined;
  /**
   * Variables for `${VAR}` substitution and for locating the file.
   *
   * @defaultValue `{}` (pass `process.env` to use the process environment)
   */
  readonly env?: EnvVars | undefined;
  /** The state dir, used to locate the file when `path` is not given. */
  readonly stateDir?: string | undefined;
  /**
   * The home dir, used to locate the file when neither `path` nor `stateDir` is given.
   *
   * @defaultValue `os.homedir()`
   */
  readonly homeDir?: string | undefined;
  /** Tells whether a path exists, used to locate the file. Default: `fs.existsSync`. */
  readonly exists?: ((path: string) => boolean) | undefined;
  /**
   * Write the migrated config back to the file (atomically, under the file's lock, as JSON with
   * 2-space indentation, keeping the file mode; a file with comments is first copied to
   * `<path>.bak`). Default `false`: migrations apply in memory only.
   */
  readonly persistMigrations?: boolean | undefined;
  /**
   * Accept a config file that holds a secret literal although another user owns it or could
   * replace it (see `readConfigFile`). Default `false` (`FILE_UNSAFE`).
   */
  readonly allowUnsafePermissions?: boolean | undefined;
}

/**
 * What {@link loadConfig} returns.
 *
 * @category Config
 */
export interface LoadedConfig {
  /** The validated, migrated config (`{}` when the file does not exist). */
  readonly config: AuthProfilesConfig;
  /** The config file that was read (or looked for). */
  readonly path: string;
  /** Migrations applied in memory, one line each (see {@link migrateConfig}). */
  readonly changes: readonly string[];
  /**
   * Values OpenClaw accepts but this library cannot apply (a `cacheControlTtl` other than `"5m"` /
   * `"1h"`, an unknown `cacheRetention`): left out of `config`, kept in the file, one warning each
   * with the file and JSON path. The resolver logs them with `logger.warn`.
   */
  readonly warnings: readonly ConfigWarning[];
  /** The effective env: the passed env plus the config's `env` block where missing (see {@link configEnv}). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads, parses, validates and migrates the bot config. A missing file is an empty config, not an
 * error.
 *
 * @remarks
 * Migrations are applied in memory and reported in `changes`. With `persistMigrations: true` they
 * are written back: under the lock the file is re-read and re-migrated as written (so `${VAR}`
 * strings stay unexpanded and no secret from the env lands in the file), then replaced atomically.
 * A file that fails to parse is never written.
 *
 * @param options - file, env and whether to persist migrations
 * @returns the config, its path, the changes and the effective env
 * @throws AuthProfilesError `CONFIG_PARSE`, `CONFIG_INVALID`, `CONFIG_ENV_MISSING` (see
 *   `parseConfig`), also for a file too large or not UTF-8; `STORE_IO` when the file cannot be
 *   read or written or is not a regular file; `FILE_UNSAFE` for a config holding a secret that
 *   another user owns or could replace; `STORE_LOCKED` when the lock cannot be taken to persist
 *
 * @example
 * ```ts
 * const { config, changes } = await loadConfig({ env: process.env, persistMigrations: true });
 * ```
 *
 * @category Config
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  checkConfigArgument("loadConfig", "options", "loadConfig", options);
  const env = options.env ?? {};
  const path =
    options.path ??
    resolveConfigPath({ env, homeDir: options.homeDir ?? homedir(), stateDir: options.stateDir, exists: options.exists });
  const safety = { allowUnsafePermissions: options.allowUnsafePermissions };
  const text = await readConfigFile(path, safety);
  if (text === undefined) return { config: {}, path, changes: [], warnings: [], env: { ...env } };
  const raw = parseConfigText(text, path);
  const validated = validateConfigReport(substituteConfig(raw, env, path), path);
  const { config, changes } = migrateConfig(validated.config);
  if (options.persistMigrations === true && changes.length > 0) await persistMigrations(path, safety);
  return { config, path, changes, warnings: validated.warnings, env: configEnv(config, env) };
}

async function persistMigrations(path: string, safety: ReadConfigFileOptions): Promise<void> {
  await withFileLock(path, async (lockLost) => {
    const current = await readConfigFile(path, safety);
    if (current === undefined) return;
    const migrated = migrateConfigRecord(parseConfigText(current, path));
    if (migrated.changes.length === 0) return;
    lockLost.throwIfAborted();
    await writeConfigFile(path, migrated.config, current);
  });
}
