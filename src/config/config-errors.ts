import { AuthProfilesError } from "../model/errors.js";
import type { IssueSummary } from "./issue-path.js";

/** How a config without a file is named in messages. */
const NO_FILE = "(config object)";

/**
 * Builds the `CONFIG_PARSE` error for text that is not JSON5.
 *
 * @param file - the config file, if any
 * @param position - 1-based line and column of the syntax error
 * @param reason - what the parser expected (without the offending text)
 * @param cause - the parser's error
 * @returns the error to throw
 * @internal
 */
export function configParseError(
  file: string | undefined,
  position: { readonly line: number; readonly column: number },
  reason: string,
  cause: unknown,
): AuthProfilesError {
  const where = `line ${position.line}, column ${position.column}`;
  return new AuthProfilesError("CONFIG_PARSE", `Could not parse config ${file ?? NO_FILE}: ${reason} at ${where}.`, {
    hint: `Fix the JSON5 syntax at ${where} of ${file ?? "the config"} (a missing comma, quote or brace is the usual cause). The file was not changed.`,
    cause,
    details: { file, line: position.line, column: position.column },
  });
}

/**
 * Builds the `CONFIG_INVALID` error for keys of the wrong shape.
 *
 * @param file - the config file, if any
 * @param issues - every problem found, first one shown in the message
 * @param hint - a fix to suggest instead of the generic one
 * @returns the error to throw
 * @internal
 */
export function configInvalidError(file: string | undefined, issues: readonly IssueSummary[], hint?: string): AuthProfilesError {
  const [first] = issues;
  const head = first === undefined ? "invalid value" : `${first.path} ${first.problem}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return new AuthProfilesError("CONFIG_INVALID", `Invalid config ${file ?? NO_FILE}: ${head}${more}.`, {
    hint:
      hint ??
      `Fix ${file ?? "the config"}: ${head}. Only the auth, agents and env keys are checked; the rest of the file is left as written.`,
    details: { file, path: first?.path, issues: issues.map((issue) => ({ ...issue })) },
  });
}

/**
 * Builds the `CONFIG_ENV_MISSING` error for a `${VAR}` whose variable is unset or empty.
 *
 * @param file - the config file, if any
 * @param path - JSON path of the string that references the variable
 * @param variable - the variable name
 * @returns the error to throw
 * @internal
 */
export function configEnvMissingError(file: string | undefined, path: string, variable: string): AuthProfilesError {
  return new AuthProfilesError(
    "CONFIG_ENV_MISSING",
    `Missing env var "${variable}" referenced at ${path} in config ${file ?? NO_FILE}.`,
    {
      hint: `Set ${variable} in the environment or in the config's env block (env.${variable} or env.vars.${variable}); write $\${${variable}} for a literal \${${variable}}.`,
      details: { file, path, variable },
    },
  );
}
