import { Command } from "commander";
import { clearCooldownCommand } from "./commands/clear-cooldown.js";
import { copyCommand } from "./commands/copy.js";
import { migrateCommand } from "./commands/migrate.js";
import { onboardCommand } from "./commands/onboard.js";
import { orderCommand } from "./commands/order.js";
import { removeCommand } from "./commands/remove.js";
import { pasteTokenCommand } from "./commands/paste-token.js";
import { setupTokenCommand } from "./commands/setup-token.js";
import { statusCommand } from "./commands/status.js";
import { writeLine, type CliIo } from "./io.js";

/**
 * Builds the command tree (a new one per run: commander keeps parse state on its objects).
 *
 * @param io - the CLI's streams
 * @param setExitCode - lets a command choose the exit code (`models status --check`)
 * @returns the program
 */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void, argv: readonly string[] = []): Command {
  const program = new Command("npm run cli --")
    .description("Manage Anthropic auth profiles per agent (OpenClaw-compatible), with the auth-profiles library.")
    .option("--state-dir <dir>", "state dir (default $OPENCLAW_STATE_DIR, else ~/.openclaw)")
    .option("--agent <id>", "agent id (default main)");
  const auth = new Command("auth")
    .description("save and manage credentials")
    .addCommand(setupTokenCommand(io))
    .addCommand(pasteTokenCommand(io))
    .addCommand(clearCooldownCommand(io))
    .addCommand(orderCommand(io))
    .addCommand(removeCommand(io))
    .addCommand(copyCommand(io))
    .addCommand(migrateCommand(io));
  const models = new Command("models").description("model auth: credentials and status").addCommand(auth).addCommand(statusCommand(io, setExitCode));
  program.addCommand(onboardCommand(io)).addCommand(models);
  configureTree(program, io, argv);
  return program;
}

/**
 * Masks every argument value in a usage error: commander quotes the offending value
 * (`argument 'proxy-key-…' is invalid`, `unknown command '…'`), and a value given to the wrong
 * flag may be a secret of any shape, which the library's own masking does not know.
 */
function maskArguments(text: string, argv: readonly string[]): string {
  let masked = text;
  for (const arg of argv) {
    const value = arg.startsWith("--") && arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : arg;
    // Command names and plain words (`clear-cooldown`) stay readable; anything else may be a secret.
    if (value.length < 8 || value.startsWith("-") || /^[a-z][a-z-]*$/.test(value)) continue;
    masked = masked.split(value).join(`${value.slice(0, 3)}…${value.slice(-4)}`);
  }
  return masked;
}

/** `addCommand` does not pass settings down, so every command gets them here. */
function configureTree(command: Command, io: CliIo, argv: readonly string[]): void {
  command
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text) => {
        writeLine(io.stderr, `Error [USAGE]: ${maskArguments(text.trim().replace(/^error:\s*/i, ""), argv)}`);
        writeLine(io.stderr, `Hint: see \`${commandPath(command)} --help\`.`);
      },
    });
  for (const child of command.commands) configureTree(child, io, argv);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) names.unshift(current.name());
  return names.join(" ");
}
