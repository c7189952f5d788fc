import * as v from "valibot";
import { func, opt } from "./arguments.js";

const command = opt(v.union([v.pipe(v.string(), v.minLength(1, "must be a non-empty string")), func]));

/** The schema of `HintCommands`: each entry a command string or a function. @internal */
export const hintCommandsSchema = v.looseObject({
  saveApiKey: command,
  pasteToken: command,
  clearCooldown: command,
  removeProfile: command,
  status: command,
});
