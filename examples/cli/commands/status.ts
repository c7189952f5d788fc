import { Command } from "commander";
import { checkAuthStatus, createAuthResolver, formatAuthStatus } from "../../../src/index.js";
import { locationOf } from "../context.js";
import { writeLine, type CliIo } from "../io.js";

/**
 * `models status [--json] [--check]`: the report; `--check` exits 1 when a credential is missing or
 * expired, 2 when one expires within 24 h.
 *
 * @param io - the CLI's streams
 * @param setExitCode - records the exit code for `--check`
 * @returns the command
 */
export function statusCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  return new Command("status")
    .description("show which credential each provider uses, cooldowns, expiry and cache TTLs")
    .option("--json", "print JSON (OpenClaw's models status --json auth block, plus details)")
    .option("--check", "exit 1 when missing or expired, 2 when expiring within 24 h")
    .action(async (options: { json?: boolean; check?: boolean }, command: Command) => {
      const resolver = createAuthResolver(locationOf(command, io));
      try {
        const status = await resolver.status();
        if (options.json === true) writeLine(io.stdout, JSON.stringify(status, null, 2));
        else writeLine(io.stdout, formatAuthStatus(status).trimEnd());
        if (options.check === true) {
          const check = checkAuthStatus(status);
          for (const problem of check.problems) writeLine(io.stderr, `Check: ${problem}`);
          setExitCode(check.exitCode);
        }
      } finally {
        await resolver.close();
      }
    });
}
