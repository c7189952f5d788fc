import * as v from "valibot";
import { func, opt } from "./arguments.js";
import { once } from "./lazy-schema.js";

/**
 * The schema of `HintCommands`: each entry a command string or a function. Built on its first use
 * (the argument schemas that hold it are built when first checked, not at import).
 *
 * @returns the schema
 * @internal
 */
export const hintCommandsSchema = once(() => {
  const command = opt(v.union([v.pipe(v.string(), v.minLength(1, "must be a non-empty string")), func]));
  return v.looseObject({
    saveApiKey: command,
    pasteToken: command,
    clearCooldown: command,
    removeProfile: command,
    status: command,
  });
});
