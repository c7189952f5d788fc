import { Command } from "commander";
import { createAuthResolver } from "../../../src/index.js";
import { agentFlag, locationOf } from "../context.js";
import { CliUsageError } from "../errors.js";
import { writeLine, type CliIo } from "../io.js";

/**
 * `models auth clear-cooldown <profileId>`: ends a cooldown and a billing disable early (e.g. after
 * a top-up).
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function clearCooldownCommand(io: CliIo): Command {
  return new Command("clear-cooldown")
    .description("clear a profile's cooldown and billing disable early (e.g. after a top-up)")
    .argument("<profileId>", "the profile, e.g. anthropic:default")
    .action(async (profileId: string, _options: unknown, command: Command) => {
      const location = locationOf(command, io);
      const resolver = createAuthResolver(location);
      try {
        const before = await resolver.status();
        const known = before.auth.providers.flatMap((p) => p.entries).map((entry) => entry.profileId);
        if (!known.includes(profileId)) {
          throw new CliUsageError(
            `No profile "${profileId}" for agent "${before.agentId}" (store ${before.storePath}).`,
            `${known.length === 0 ? "This agent has no profiles." : `Known profiles: ${known.join(", ")}.`} List them with: npm run cli -- models status${agentFlag(location)}`,
            { code: "NOT_FOUND", exitCode: 1 },
          );
        }
        const unusable = before.auth.unusableProfiles.find((p) => p.profileId === profileId);
        await resolver.clearCooldown(profileId);
        writeLine(io.stdout, unusable === undefined ? `${profileId} was not cooling down; counters reset.` : `Cleared the ${unusable.kind}${unusable.reason === null ? "" : ` (${unusable.reason})`} of ${profileId}; it is used again from the next call.`);
      } finally {
        await resolver.close();
      }
    });
}
