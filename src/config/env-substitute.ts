import { configEnvMissingError } from "./config-errors.js";
import { configEnv, type EnvVars } from "./config-env.js";
import { formatJsonPath, type JsonPathSegment } from "./issue-path.js";
import { isPlainRecord } from "./parse-text.js";

/** `${NAME}` or the escape `$${NAME}`; names are upper-case env names. */
const VAR_PATTERN = /\$(\$)?\{([A-Z_][A-Z0-9_]*)\}/g;

/**
 * Replaces `${VAR}` in every string value of a tree (keys are left alone). `$${VAR}` becomes the
 * literal text `${VAR}`; lower-case or malformed references are left as written.
 *
 * @param value - a JSON5 value
 * @param env - where variables are looked up
 * @param file - the config file, for messages
 * @param path - JSON path of `value`
 * @returns a new tree (the input is not modified)
 * @throws AuthProfilesError `CONFIG_ENV_MISSING` naming the variable, the file and the JSON path
 * @internal
 */
export function substituteEnvVars(value: unknown, env: EnvVars, file: string | undefined, path: readonly JsonPathSegment[] = []): unknown {
  if (typeof value === "string") return substituteString(value, env, file, path);
  if (Array.isArray(value)) return value.map((item: unknown, index) => substituteEnvVars(item, env, file, [...path, index]));
  if (isPlainRecord(value)) {
    // fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnvVars(item, env, file, [...path, key])]));
  }
  return value;
}

/**
 * Substitutes a whole raw config. The `env` block is substituted first against the passed env
 * only; its variables then fill the gaps of the env used for every other key.
 *
 * @param raw - the top-level object as parsed
 * @param env - the passed environment
 * @param file - the config file, for messages
 * @returns the substituted config
 * @throws AuthProfilesError `CONFIG_ENV_MISSING`
 * @internal
 */
export function substituteConfig(raw: Readonly<Record<string, unknown>>, env: EnvVars, file: string | undefined): Record<string, unknown> {
  const hasEnvBlock = Object.hasOwn(raw, "env");
  const envBlock = hasEnvBlock ? substituteEnvVars(raw["env"], env, file, ["env"]) : undefined;
  const effective = configEnv({ env: isPlainRecord(envBlock) ? envBlock : undefined }, env);
  return Object.fromEntries(
    Object.entries(raw).map(([key, item]) => [key, key === "env" ? envBlock : substituteEnvVars(item, effective, file, [key])]),
  );
}

function substituteString(text: string, env: EnvVars, file: string | undefined, path: readonly JsonPathSegment[]): string {
  if (!text.includes("${")) return text;
  return text.replace(VAR_PATTERN, (_match, escape: string | undefined, name: string) => {
    if (escape !== undefined) return `\${${name}}`;
    const found = Object.hasOwn(env, name) ? env[name] : undefined;
    if (found === undefined || found === "") throw configEnvMissingError(file, formatJsonPath(path), name);
    return found;
  });
}
