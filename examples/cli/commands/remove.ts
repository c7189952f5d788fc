import { Command } from "commander";
import { removeProfile } from "../../../src/index.js";
import { agentFlag, locationOf } from "../context.js";
import { CliUsageError } from "../errors.js";
import { writeLine, type CliIo } from "../io.js";

/**
 * `models auth remove <profileId>`: removes a profile's credential, usage stats and order entries
 * from the agent's store, and its entry from the config's `auth` block.
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function removeCommand(io: CliIo): Command {
  return new Command("remove")
    .description("remove a profile: its credential, usage stats, order entries and config entry")
    .argument("<profileId>", "the profile, e.g. anthropic:default")
    .option("--keep-config", "leave the config's auth.profiles entry (another agent still uses the id)")
    .action(async (profileId: string, options: { keepConfig?: boolean }, command: Command) => {
      const location = locationOf(command, io);
      const result = await removeProfile({ ...location, profileId, ...(options.keepConfig === true ? { configPath: false as const } : {}) });
      if (!result.removedFromStore && !result.removedFromConfig) {
        throw new CliUsageError(`No profile "${profileId}" in ${result.storePath}${result.configPath === null ? "" : ` or ${result.configPath}`}.`, `List the profiles with: npm run cli -- models status${agentFlag(location)}`, { code: "NOT_FOUND", exitCode: 1 });
      }
      writeLine(io.stdout, `Removed ${profileId}${result.removedFromStore ? ` from ${result.storePath}` : ""}${result.removedFromConfig ? `${result.removedFromStore ? " and" : ""} from the config (${result.configPath ?? ""})` : ""}.`);
    });
}
