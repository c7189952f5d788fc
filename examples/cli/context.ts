import type { Command } from "commander";
import type { HintCommands } from "../../src/index.js";
import { CLI_COMMANDS } from "./commands.js";
import type { CliIo } from "./io.js";

/** Where the library reads and writes, as the CLI's global options and env say. */
export interface CliLocation {
  /** The agent (`--agent`). Default `main`. */
  readonly agentId?: string;
  /** `--state-dir`; else the library's lookup (`OPENCLAW_STATE_DIR`, `~/.openclaw`, …). */
  readonly stateDir?: string;
  /** The env the library reads. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The home dir from the env (`HOME`), so a caller's env fully decides the default paths. */
  readonly homeDir?: string;
  /** This CLI's command names, for the library's hints and status rows. */
  readonly commands: HintCommands;
}

/** Options every command accepts. */
interface GlobalOptions {
  readonly stateDir?: string;
  readonly agent?: string;
}

/**
 * The library location options for a command: `--agent`, `--state-dir`, the env and its `HOME`.
 *
 * @param command - the running command (its own and its parents' options are read)
 * @param io - the CLI's env
 * @returns options to spread into resolver and writer calls
 */
export function locationOf(command: Command, io: CliIo): CliLocation {
  const options = command.optsWithGlobals<GlobalOptions>();
  const homeDir = io.env["HOME"] ?? io.env["USERPROFILE"];
  return {
    env: io.env,
    commands: CLI_COMMANDS,
    ...(options.agent === undefined ? {} : { agentId: options.agent }),
    ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
    ...(homeDir === undefined || homeDir === "" ? {} : { homeDir }),
  };
}

/**
 * The CLI's clock.
 *
 * @param io - the CLI's io
 * @returns epoch ms now
 */
export function nowOf(io: CliIo): number {
  return io.now === undefined ? Date.now() : io.now();
}

/**
 * `--agent <id>` to append to suggested commands, or `""` for the main agent.
 *
 * @param location - the location
 * @returns the flag text
 */
export function agentFlag(location: CliLocation): string {
  return location.agentId === undefined || location.agentId === "main" ? "" : ` --agent ${location.agentId}`;
}
