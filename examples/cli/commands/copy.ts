import { Command } from "commander";
import { copyProfiles } from "../../../src/index.js";
import { locationOf } from "../context.js";
import { writeLine, type CliIo } from "../io.js";

/** Why `copyProfiles` left a profile out, for people. */
const SKIP_REASON: Readonly<Record<string, string>> = {
  exists: "already there (pass --overwrite to replace it)",
  oauth: "an OAuth login: two stores refreshing one rotating token log each other out (pass --include-oauth to move it)",
  unknown_type: "a credential type this version does not use",
  missing: "not in the source store",
};

interface CopyOptions {
  readonly from: string;
  readonly to: string;
  readonly profileId?: string[];
  readonly overwrite?: boolean;
  readonly includeOauth?: boolean;
}

/**
 * `models auth copy --from main --to work`: auth is per agent and never inherited; this copies API
 * keys and setup-tokens explicitly.
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function copyCommand(io: CliIo): Command {
  return new Command("copy")
    .description("copy credentials from one agent to another (auth is per agent, never inherited)")
    .requiredOption("--from <agentId>", "source agent")
    .requiredOption("--to <agentId>", "target agent")
    .option("--profile-id <id...>", "only these profiles")
    .option("--overwrite", "replace profiles the target already has")
    .option("--include-oauth", "also copy OAuth logins (to move one, not to share it)")
    .action(async (options: CopyOptions, command: Command) => {
      const { agentId: _ignored, ...location } = locationOf(command, io);
      const result = await copyProfiles({
        ...location,
        from: options.from,
        to: options.to,
        ...(options.profileId === undefined ? {} : { profileIds: options.profileId }),
        ...(options.overwrite === true ? { overwrite: true } : {}),
        ...(options.includeOauth === true ? { includeOAuth: true } : {}),
      });
      writeLine(io.stdout, `Copied ${result.copied.length === 0 ? "nothing" : result.copied.join(", ")} from ${options.from} to ${options.to}.`);
      writeLine(io.stdout, `  from: ${result.fromPath}`);
      writeLine(io.stdout, `  to:   ${result.toPath}`);
      for (const skipped of result.skipped) writeLine(io.stdout, `  skipped ${skipped.profileId}: ${SKIP_REASON[skipped.reason] ?? skipped.reason}`);
    });
}
