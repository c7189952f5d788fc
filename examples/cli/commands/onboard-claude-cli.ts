import * as library from "../../../src/index.js";
const { createAuthResolver } = library;
const useClaudeCli = (library as unknown as Record<string, (l: CliLocation) => Promise<{ profileId: string; configPath: string | null }>>)["useClaudeCli"] as (l: CliLocation) => Promise<{ profileId: string; configPath: string | null }>; // TEMP until the writer lands
import { agentFlag, type CliLocation } from "../context.js";
import { writeLine, type CliIo } from "../io.js";

/**
 * Registers the Claude Code login (`anthropic:claude-cli`, mode `oauth`) for the agent, then checks
 * that the login can be read now and says what to do when it cannot.
 *
 * @param io - the CLI's streams
 * @param location - agent and state dir
 */
export async function onboardClaudeCli(io: CliIo, location: CliLocation): Promise<void> {
  const saved = await useClaudeCli(location);
  writeLine(io.stdout, `Registered ${saved.profileId}: this host's Claude Code login is read live (never copied into the store).`);
  writeLine(io.stdout, `  config: ${saved.configPath ?? "(none)"}`);
  const resolver = createAuthResolver(location);
  try {
    const status = await resolver.status();
    const row = status.auth.providers.flatMap((p) => p.entries).find((entry) => entry.profileId === saved.profileId);
    if (row === undefined || row.state === "ok") {
      writeLine(io.stdout, `Check it with: npm run cli -- models status${agentFlag(location)}`);
    } else {
      writeLine(io.stderr, `Warning: the Claude Code login is ${row.state}${row.detail === null ? "" : ` (${row.detail})`}.`);
      writeLine(io.stderr, "Hint: run `claude` on this host to sign in, or use a setup-token: npm run cli -- models auth setup-token --provider anthropic");
    }
  } finally {
    await resolver.close();
  }
}
