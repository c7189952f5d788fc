import type { HintCommands } from "../../src/index.js";

/** This CLI's own command names, given to the library so every hint and status row names them. */
export const CLI_COMMANDS: HintCommands = {
  saveApiKey: "npm run cli -- onboard --anthropic-api-key <key>",
  pasteToken: "npm run cli -- models auth paste-token --provider anthropic",
  clearCooldown: "npm run cli -- models auth clear-cooldown",
  removeProfile: "npm run cli -- models auth remove",
  status: "npm run cli -- models status",
};
