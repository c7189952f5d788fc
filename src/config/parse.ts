import type { EnvVars } from "./config-env.js";
import { substituteConfig } from "./env-substitute.js";
import { parseConfigText } from "./parse-text.js";
import type { AuthProfilesConfig } from "./types.js";
import { validateConfig } from "./validate.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * Options of {@link parseConfig}.
 *
 * @category Config
 */
export interface ParseConfigOptions {
  /** The file the text came from, named in error messages. */
  readonly path?: string | undefined;
  /**
   * Variables for `${VAR}` substitution. The config's own `env` block fills the variables that are
   * missing or empty here (for substitution only; this object is not modified).
   *
   * @defaultValue `{}` (pass `process.env` to substitute from the process environment)
   */
  readonly env?: EnvVars | undefined;
}

/**
 * Parses a bot config (OpenClaw's `openclaw.json`): JSON5, then `${VAR}` substitution in every
 * string value, then validation of the keys this library reads.
 *
 * @remarks
 * - Comments, trailing commas, unquoted keys and other JSON5 syntax are accepted. Whitespace-only
 *   text is an empty config.
 * - `${NAME}` (names `[A-Z_][A-Z0-9_]*`) is replaced by the variable's value; `$${NAME}` yields the
 *   literal `${NAME}`. Variables come from `options.env`, then from the config's `env` block
 *   (`env.vars.*` and the block's other string keys) where `options.env` has them missing or empty.
 *   The `env` block itself can only reference `options.env`.
 * - `$include` is not supported: it is rejected with `CONFIG_INVALID` rather than silently ignored.
 * - Unknown keys are kept; `auth`, `agents` and `env` are validated.
 *
 * @param text - the file's content
 * @param options - file name and env
 * @returns the validated config (not migrated: see {@link migrateConfig})
 * @throws AuthProfilesError `CONFIG_PARSE` (not JSON5: file, line, column), `CONFIG_INVALID` (a key
 *   of the wrong type or value, `$include`: file and JSON path), `CONFIG_ENV_MISSING` (a `${VAR}`
 *   with no value: variable, file and JSON path)
 *
 * @example
 * ```ts
 * const config = parseConfig('{ auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "api_key" } } } }');
 * ```
 *
 * @category Config
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): AuthProfilesConfig {
  checkConfigArgument("parseConfig", "text", "parseConfigText", text);
  checkConfigArgument("parseConfig", "options", "parseConfigOptions", options);
  const raw = parseConfigText(text, options.path);
  return validateConfig(substituteConfig(raw, options.env ?? {}, options.path), options.path);
}
