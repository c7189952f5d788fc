import { useClaudeCli } from "../../../src/index.js";
import { formatDuration } from "../duration.js";
import { agentFlag, nowOf, type CliLocation } from "../context.js";
import { writeLine, type CliIo } from "../io.js";

/**
 * Registers this host's Claude Code login (`anthropic:claude-cli`, mode `oauth`) for the agent.
 * The library first checks that a login is there (else `CLAUDE_CLI_EXPIRED` / `CLAUDE_CLI_INVALID`
 * with a hint); nothing is copied into the store.
 *
 * @param io - the CLI's streams
 * @param location - agent and state dir
 */
export async function onboardClaudeCli(io: CliIo, location: CliLocation): Promise<void> {
  const saved = await useClaudeCli({ ...location, now: () => nowOf(io) });
  const expiry = saved.expiresAt === null ? "no expiry" : `expires in ${formatDuration(saved.expiresAt - nowOf(io))}; Claude Code renews it when you use \`claude\``;
  writeLine(io.stdout, `Registered ${saved.profileId}: this host's Claude Code login (${saved.mode ?? "oauth"}, ${expiry}).`);
  writeLine(io.stdout, "It is read live and never copied into the store; this library never refreshes it.");
  writeLine(io.stdout, `  config: ${saved.configPath ?? "(none)"}`);
  writeLine(io.stdout, `Check it with: npm run cli -- models status${agentFlag(location)}`);
}
