import * as v from "valibot";
import { configInvalidError } from "./config-errors.js";
import { summarizeIssue } from "./issue-path.js";
import { AuthProfilesConfigSchema } from "./schema.js";
import type { AuthProfilesConfig } from "./types.js";

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
  const result = v.safeParse(AuthProfilesConfigSchema, value, { abortEarly: false });
  if (result.success) return result.output;
  throw configInvalidError(file, result.issues.map((issue) => summarizeIssue(issue)));
}
