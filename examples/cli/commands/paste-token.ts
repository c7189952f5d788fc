import { Command } from "commander";
import { locationOf } from "../context.js";
import type { CliIo } from "../io.js";
import { checkProvider } from "../provider.js";
import { pasteSetupToken } from "../setup-token-flow.js";

/**
 * `models auth paste-token --provider anthropic [--profile-id ID] [--expires-in 365d]`: a hidden
 * prompt on a terminal, stdin when piped.
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function pasteTokenCommand(io: CliIo): Command {
  return new Command("paste-token")
    .description("save a setup-token: hidden prompt on a terminal, else read from stdin")
    .option("--provider <id>", "provider", "anthropic")
    .option("--profile-id <id>", "profile id (default anthropic:manual)")
    .option("--expires-in <duration>", "when the token expires, e.g. 365d")
    .action(async (options: { provider?: string; profileId?: string; expiresIn?: string }, command: Command) => {
      checkProvider(options.provider);
      await pasteSetupToken(io, locationOf(command, io), {
        profileId: options.profileId,
        expiresIn: options.expiresIn,
        expiresInFlag: "--expires-in",
        interactive: true,
      });
    });
}
