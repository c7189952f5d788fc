import * as v from "valibot";
import { configInvalidError } from "./config-errors.js";
import { summarizeIssue } from "./issue-path.js";
import { AuthProfilesConfigSchema } from "./schema.js";
import type { AuthProfilesConfig } from "./types.js";
import { settleModelParams, type SettledConfig } from "./config-warnings.js";

/**
 * Validates the keys this library reads (`auth`, `agents`, `env`) and passes every other key
 * through untouched.
 *
 * @param value - a parsed, substituted config
 * @param file - the config file, for messages
 * @returns the config, typed
 * @throws AuthProfilesError `CONFIG_INVALID` naming the file, the JSON path and the allowed values
 *   (never the offending value)
 * @internal
 */
export function validateConfig(value: unknown, file: string | undefined): AuthProfilesConfig {
  return validateConfigReport(value, file).config;
}

/**
 * {@link validateConfig}, also returning the warnings for values OpenClaw accepts but this library
 * cannot apply (left out of the config; see `settleModelParams`).
 *
 * @param value - a parsed, substituted config
 * @param file - the config file, for messages
 * @returns the config and the warnings
 * @throws AuthProfilesError `CONFIG_INVALID` as {@link validateConfig}
 * @internal
 */
export function validateConfigReport(value: unknown, file: string | undefined): SettledConfig {
  const result = v.safeParse(AuthProfilesConfigSchema, value, { abortEarly: false });
  if (result.success) return settleModelParams(result.output as AuthProfilesConfig, file);
  throw configInvalidError(file, result.issues.map((issue) => summarizeIssue(issue)));
}
