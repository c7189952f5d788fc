import * as v from "valibot";
import { hintCommandsSchema } from "../model/hints-schema.js";
import { checkArgument, envRecord, func, nonEmptyString, opt, optionsObject, profileStoreShape } from "../model/arguments.js";
import { once } from "../model/lazy-schema.js";

/** The writers' option schemas, built on the first check (not at import). */
const schemas = once(() => {
  /** Where a writer writes: the entries of `WriterLocation`. */
  const writerLocationEntries = {
    agentId: opt(v.string()),
    stateDir: opt(nonEmptyString),
    agentDir: opt(nonEmptyString),
    configPath: opt(v.union([nonEmptyString, v.literal(false)])),
    env: opt(envRecord),
    homeDir: opt(nonEmptyString),
    store: opt(profileStoreShape),
    allowUnsafePermissions: opt(v.boolean()),
    commands: opt(hintCommandsSchema()),
  };

  return {
    saveApiKey: optionsObject({ ...writerLocationEntries, key: v.string(), provider: opt(nonEmptyString), profileId: opt(v.string()), allowNonStandardKey: opt(v.boolean()) }),
    saveToken: optionsObject({ ...writerLocationEntries, token: v.string(), provider: opt(nonEmptyString), profileId: opt(v.string()), expiresAt: opt(v.number()) }),
    copyProfiles: optionsObject({
      from: v.union([v.string(), optionsObject(writerLocationEntries)]),
      to: v.union([v.string(), optionsObject(writerLocationEntries)]),
      profileIds: opt(v.array(v.string())),
      overwrite: opt(v.boolean()),
      includeOAuth: opt(v.boolean()),
      stateDir: opt(nonEmptyString),
      configPath: opt(v.union([nonEmptyString, v.literal(false)])),
      env: opt(envRecord),
      homeDir: opt(nonEmptyString),
      allowUnsafePermissions: opt(v.boolean()),
    }),
    useClaudeCli: optionsObject({ ...writerLocationEntries, credentialsPath: opt(nonEmptyString), keychain: opt(v.boolean()), verify: opt(v.boolean()), now: opt(func) }),
    removeProfile: optionsObject({ ...writerLocationEntries, profileId: v.string() }),
    setProfileOrder: optionsObject({ ...writerLocationEntries, provider: v.string(), order: v.array(v.string()) }),
    clearProfileOrder: optionsObject({ ...writerLocationEntries, provider: v.string() }),
  } as const;
});

/** A writer's name. @internal */
export type WriterName = keyof ReturnType<typeof schemas>;

/**
 * Checks a writer's options argument (`INVALID_ARGUMENT` naming the option; never the value).
 *
 * @param fn - the writer
 * @param options - what was passed
 * @internal
 */
export function checkWriterOptions(fn: WriterName, options: unknown): void {
  checkArgument(fn, "options", schemas()[fn], options);
}
