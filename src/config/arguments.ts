import * as v from "valibot";
import { checkArgument, configShape, envRecord, func, nonEmptyString, opt, optionsObject } from "../model/arguments.js";
import { once } from "../model/lazy-schema.js";

// Built on the first check, not at import.
const schemas = once(() => {
  const pathsEntries = { env: opt(envRecord), homeDir: opt(nonEmptyString), exists: opt(func) };

  return {
    loadConfig: optionsObject({ path: opt(nonEmptyString), env: opt(envRecord), stateDir: opt(nonEmptyString), homeDir: opt(nonEmptyString), persistMigrations: opt(v.boolean()) }),
    parseConfigText: v.string(),
    parseConfigOptions: optionsObject({ path: opt(v.string()), env: opt(envRecord) }),
    config: configShape,
    env: envRecord,
    agentId: v.string(),
    model: opt(v.string()),
    agentStoreLocation: optionsObject({ agentId: v.string(), stateDir: opt(nonEmptyString), agentDir: opt(nonEmptyString), env: opt(envRecord), homeDir: opt(nonEmptyString), config: configShape, exists: opt(func) }),
    resolveStateDir: optionsObject({ ...pathsEntries, homeDir: nonEmptyString }),
    resolveConfigPath: optionsObject({ ...pathsEntries, homeDir: nonEmptyString, stateDir: opt(nonEmptyString) }),
    resolveAgentDir: optionsObject({ stateDir: nonEmptyString, agentId: opt(v.string()), env: opt(envRecord), config: opt(configShape), agentDir: opt(nonEmptyString), homeDir: opt(nonEmptyString) }),
    agentDir: nonEmptyString,
  } as const;
});

/** What a config argument must be. @internal */
export type ConfigArgument = keyof ReturnType<typeof schemas>;

/**
 * Checks one argument of a public config function (`INVALID_ARGUMENT` naming it; never the value).
 *
 * @param fn - the function's name
 * @param name - the argument's name
 * @param kind - which schema applies
 * @param value - what was passed
 * @internal
 */
export function checkConfigArgument(fn: string, name: string, kind: ConfigArgument, value: unknown): void {
  checkArgument(fn, name, schemas()[kind], value);
}
