import { select } from "@inquirer/prompts";
import { Command } from "commander";
import { saveApiKey, validateApiKey } from "../../../src/index.js";
import { locationOf, type CliLocation } from "../context.js";
import { CliUsageError } from "../errors.js";
import { promptContext, writeLine, type CliIo } from "../io.js";
import { checkProvider } from "../provider.js";
import { printSaved } from "../saved.js";
import { readSecret } from "../secret-input.js";
import { pasteSetupToken } from "../setup-token-flow.js";
import { onboardClaudeCli } from "./onboard-claude-cli.js";
import { runSetupToken } from "./setup-token.js";

type AuthChoice = "api_key" | "setup_token" | "claude_cli";

/** `--auth-choice` values, ours and OpenClaw's. */
const CHOICES: Readonly<Record<string, AuthChoice>> = {
  apikey: "api_key",
  "api-key": "api_key",
  api_key: "api_key",
  "setup-token": "setup_token",
  token: "setup_token",
  "paste-token": "setup_token",
  "claude-cli": "claude_cli",
};

interface OnboardOptions {
  readonly authChoice?: string;
  readonly anthropicApiKey?: string;
  readonly profileId?: string;
  readonly token?: string;
  readonly tokenProvider?: string;
  readonly tokenProfileId?: string;
  readonly tokenExpiresIn?: string;
  readonly nonInteractive?: boolean;
  readonly allowNonStandardKey?: boolean;
}

const SUBSCRIPTION_NOTE =
  "Note: API keys are the supported path for production bots; using a Claude subscription (setup-token, Claude Code login) outside Anthropic's apps is your responsibility under Anthropic's terms.";

const CHOICE_HINT =
  "Pass --anthropic-api-key <key>, or --auth-choice setup-token (token from --token or stdin), or --auth-choice claude-cli.";

/**
 * `onboard`: save an API key, a setup-token, or register the Claude Code login for an agent.
 *
 * @param io - the CLI's streams
 * @returns the command
 */
export function onboardCommand(io: CliIo): Command {
  return new Command("onboard")
    .description("set up Anthropic auth for an agent: API key, setup-token or Claude Code login")
    .option("--auth-choice <choice>", "apiKey | setup-token (alias token) | claude-cli")
    .option("--anthropic-api-key <key>", "the API key (visible to other local users in the process list; prefer stdin)")
    .option("--profile-id <id>", "profile id (default anthropic:default for keys, anthropic:manual for tokens)")
    .option("--token <token>", "the setup-token, for --auth-choice setup-token")
    .option("--token-provider <id>", "provider of --token", "anthropic")
    .option("--token-profile-id <id>", "profile id of --token (default anthropic:manual)")
    .option("--token-expires-in <duration>", "when the token expires, e.g. 365d")
    .option("--allow-non-standard-key", "accept a key not shaped like sk-ant-api03-… (a proxy's key)")
    .option("--non-interactive", "never prompt; fail when something is missing")
    .action(async (options: OnboardOptions, command: Command) => {
      const location = locationOf(command, io);
      const interactive = options.nonInteractive !== true;
      const choice = await chooseAuth(io, options, interactive);
      if (choice !== "api_key") writeLine(io.stdout, SUBSCRIPTION_NOTE);
      if (choice === "api_key") await onboardApiKey(io, location, options, interactive);
      else if (choice === "claude_cli") await onboardClaudeCli(io, location);
      else await onboardToken(io, location, options, interactive);
    });
}

async function chooseAuth(io: CliIo, options: OnboardOptions, interactive: boolean): Promise<AuthChoice> {
  if (options.authChoice !== undefined) {
    const choice = CHOICES[options.authChoice.trim().toLowerCase()];
    if (choice === undefined) throw new CliUsageError(`Unknown --auth-choice "${options.authChoice}".`, CHOICE_HINT);
    return choice;
  }
  if (options.anthropicApiKey !== undefined) return "api_key";
  if (options.token !== undefined) return "setup_token";
  if (!io.isTTY || !interactive) throw new CliUsageError("Choose how this agent signs in to Anthropic.", CHOICE_HINT);
  return select<AuthChoice>(
    {
      message: "How should this agent sign in to Anthropic?",
      choices: [
        { name: "Anthropic API key (recommended for production)", value: "api_key" },
        { name: "Claude subscription setup-token (`claude setup-token`)", value: "setup_token" },
        { name: "Reuse this host's Claude Code login (read live, never copied)", value: "claude_cli" },
      ],
    },
    promptContext(io),
  );
}

async function onboardApiKey(io: CliIo, location: CliLocation, options: OnboardOptions, interactive: boolean): Promise<void> {
  const key = await readSecret(io, {
    message: "Paste your Anthropic API key",
    given: options.anthropicApiKey,
    interactive,
    hint: "Pass --anthropic-api-key <key>, or pipe the key on stdin: `npm run cli -- onboard --auth-choice apiKey < key.txt`.",
    // A bad paste on a terminal is asked again, with what is wrong (never the value).
    validate: (value) => {
      try {
        validateApiKey(value, { allowNonStandardKey: options.allowNonStandardKey === true });
        return true;
      } catch (error) {
        return error instanceof Error ? `${error.message}${apiKeyHint(error)}` : "Invalid API key.";
      }
    },
  });
  const saved = await saveApiKey({ ...location, key, allowNonStandardKey: options.allowNonStandardKey === true, ...(options.profileId === undefined ? {} : { profileId: options.profileId }) });
  printSaved(io, location, saved, "API key", key);
}

async function onboardToken(io: CliIo, location: CliLocation, options: OnboardOptions, interactive: boolean): Promise<void> {
  checkProvider(options.tokenProvider);
  const profileId = options.tokenProfileId ?? options.profileId;
  if (options.token === undefined && io.isTTY && interactive) {
    await runSetupToken(io, location, { profileId, expiresIn: options.tokenExpiresIn });
    return;
  }
  await pasteSetupToken(io, location, { token: options.token, profileId, expiresIn: options.tokenExpiresIn, expiresInFlag: "--token-expires-in", interactive });
}

/** For a pasted `code#state` or setup-token, what to run instead. */
function apiKeyHint(error: Error): string {
  const problem = (error as { details?: { problem?: unknown } }).details?.problem;
  if (problem === "code_state") return " Run `claude setup-token` and paste the token it prints with `npm run cli -- models auth paste-token --provider anthropic`, or paste an API key from the Anthropic Console.";
  if (problem === "setup_token") return " Save it with `npm run cli -- models auth paste-token --provider anthropic`.";
  return "";
}
