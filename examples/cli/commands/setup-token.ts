import { confirm } from "@inquirer/prompts";
import { Command } from "commander";
import { findOnPath, runAttached } from "../claude-binary.js";
import { locationOf, type CliLocation } from "../context.js";
import { CliUsageError } from "../errors.js";
import { promptContext, writeLine, type CliIo } from "../io.js";
import { checkProvider } from "../provider.js";
import { pasteSetupToken } from "../setup-token-flow.js";

/** Options of {@link runSetupToken}. */
export interface SetupTokenOptions {
  /** The profile id. Default `anthropic:manual`. */
  readonly profileId?: string | undefined;
  /** `--expires-in` text. */
  readonly expiresIn?: string | undefined;
}

/**
 * The interactive setup-token flow: runs `claude setup-token` when Claude Code is installed (or says
 * where to run it), then asks for the token, hidden, and saves it.
 *
 * @param io - the CLI's streams
 * @param location - agent and state dir
 * @param options - profile id and expiry
 * @throws CliUsageError without a terminal (use paste-token with stdin instead)
 */
export async function runSetupToken(io: CliIo, location: CliLocation, options: SetupTokenOptions): Promise<void> {
  if (!io.isTTY) {
    throw new CliUsageError(
      "`models auth setup-token` needs an interactive terminal.",
      "Run `claude setup-token` yourself, then pipe the token it prints: `npm run cli -- models auth paste-token --provider anthropic < token.txt`.",
    );
  }
  const claude = await findOnPath("claude", io.env);
  if (claude === null) {
    writeLine(io.stdout, "Claude Code (`claude`) is not on PATH here. On a machine where it is installed and signed in, run:");
    writeLine(io.stdout, "  claude setup-token");
    writeLine(io.stdout, "and paste the token it prints (it starts with sk-ant-oat01-) below.");
  } else {
    const context = promptContext(io);
    const run = await confirm({ message: "Run `claude setup-token` now? It signs you in and prints a long-lived token.", default: true }, context);
    if (run) {
      const code = await runAttached(claude, ["setup-token"], io.env);
      if (code !== 0) writeLine(io.stderr, `claude setup-token exited with code ${code}; paste a token anyway, or press Ctrl-C.`);
    }
  }
  await pasteSetupToken(io, location, { ...options, expiresInFlag: "--expires-in", interactive: true });
}

/**
 * `models auth setup-token --provider anthropic [--profile-id ID] [--expires-in 365d]`.
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function setupTokenCommand(io: CliIo): Command {
  return new Command("setup-token")
    .description("run `claude setup-token` (when installed), then paste the token, hidden (terminal only)")
    .option("--provider <id>", "provider", "anthropic")
    .option("--profile-id <id>", "profile id (default anthropic:manual)")
    .option("--expires-in <duration>", "when the token expires, e.g. 365d")
    .action(async (options: { provider?: string; profileId?: string; expiresIn?: string }, command: Command) => {
      checkProvider(options.provider);
      await runSetupToken(io, locationOf(command, io), { profileId: options.profileId, expiresIn: options.expiresIn });
    });
}
