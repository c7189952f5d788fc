/**
 * The one table of fix texts that name a command. By default they name the library call (a bot's
 * users never have the example CLI of this repository); a bot passes its own command names once
 * (`commands` on the resolver, the SDK client, the writers and the status report) and every hint
 * and status row uses them.
 */

/**
 * What a command is told: the agent and, where it applies, the profile.
 *
 * @category Errors
 */
export interface HintCommandArgs {
  /** The agent the fix is for. Default `main`. */
  readonly agentId?: string | undefined;
  /** The profile the fix is for, when there is one. */
  readonly profileId?: string | undefined;
  /** The provider. Default `anthropic`. */
  readonly provider?: string | undefined;
}

/**
 * A bot command: a string prefix (the library appends `--profile-id <id>` or the profile id, and
 * `--agent <id>` for an agent other than `main`, as OpenClaw's CLI takes them), or a function that
 * writes the whole command line.
 *
 * @category Errors
 */
export type HintCommand = string | ((args: HintCommandArgs) => string);

/**
 * The embedding bot's command names, used in error hints and status rows instead of the library
 * calls. Every entry is optional; a missing one falls back to the neutral text.
 *
 * @example
 * ```ts
 * const commands: HintCommands = {
 *   saveApiKey: "mybot onboard --anthropic-api-key <key>",
 *   pasteToken: "mybot models auth paste-token --provider anthropic",
 *   clearCooldown: "mybot models auth clear-cooldown",
 *   removeProfile: "mybot models auth remove",
 *   status: "mybot models status",
 * };
 * createAuthResolver({ commands });
 * ```
 *
 * @category Errors
 */
export interface HintCommands {
  /** Saves an API key for the agent (default text names `saveApiKey`). */
  readonly saveApiKey?: HintCommand | undefined;
  /** Saves a pasted setup-token; gets `--profile-id` for ids other than `anthropic:manual` (default names `saveToken`). */
  readonly pasteToken?: HintCommand | undefined;
  /** Clears a cooldown early; gets the profile id (default names `resolver.clearCooldown`). */
  readonly clearCooldown?: HintCommand | undefined;
  /** Removes a profile; gets the profile id (default names `removeProfile`). */
  readonly removeProfile?: HintCommand | undefined;
  /** Shows the status report (default names `resolver.status()`). */
  readonly status?: HintCommand | undefined;
}

/**
 * The names of {@link HintCommands}.
 *
 * @category Errors
 */
export type HintCommandName = keyof HintCommands;

/** Arguments with their defaults applied. */
type FullArgs = HintCommandArgs & { readonly agentId: string; readonly provider: string };

/** The id a pasted setup-token is saved under by default. */
const DEFAULT_TOKEN_ID = "anthropic:manual";

/** Neutral texts: the library call that does the step. */
const DEFAULT_TEXTS: { readonly [K in HintCommandName]-?: (args: FullArgs) => string } = {
  saveApiKey: (a) => `saveApiKey({ agentId: "${a.agentId}", key })`,
  pasteToken: (a) => `saveToken({ agentId: "${a.agentId}", token${a.profileId === undefined || a.profileId === DEFAULT_TOKEN_ID ? "" : `, profileId: "${a.profileId}"`} })`,
  clearCooldown: (a) => `resolver.clearCooldown("${a.profileId ?? "<profileId>"}")${a.agentId === "main" ? "" : ` on agent "${a.agentId}"`}`,
  removeProfile: (a) => `removeProfile({ agentId: "${a.agentId}", profileId: "${a.profileId ?? "<profileId>"}" })`,
  status: (a) => `resolver.status()${a.agentId === "main" ? "" : ` on agent "${a.agentId}"`}`,
};

/** How a string prefix takes its arguments. */
const ARGUMENT_STYLE: { readonly [K in HintCommandName]-?: (args: FullArgs) => string } = {
  saveApiKey: () => "",
  pasteToken: (a) => (a.profileId === undefined || a.profileId === DEFAULT_TOKEN_ID ? "" : ` --profile-id ${a.profileId}`),
  clearCooldown: (a) => ` ${a.profileId ?? "<profileId>"}`,
  removeProfile: (a) => ` ${a.profileId ?? "<profileId>"}`,
  status: () => "",
};

/**
 * One fix step, in backticks: the bot's command when it gave one, else the library call.
 *
 * @param name - which step
 * @param args - agent, provider and profile
 * @param commands - the bot's commands, if any
 * @returns a secret-free phrase, e.g. `` `mybot models auth clear-cooldown anthropic:x --agent work` ``
 * @internal
 */
export function hintStep(name: HintCommandName, given: HintCommandArgs, commands: HintCommands | undefined): string {
  const args: FullArgs = { ...given, agentId: given.agentId ?? "main", provider: given.provider ?? "anthropic" };
  const command = commands?.[name];
  if (command === undefined) return `\`${DEFAULT_TEXTS[name](args)}\``;
  if (typeof command === "function") return `\`${command(args)}\``;
  const agent = args.agentId === "main" ? "" : ` --agent ${args.agentId}`;
  return `\`${command}${ARGUMENT_STYLE[name](args)}${agent}\``;
}

/** Every hint that names a step, keyed by id. @internal */
export const HINTS = {
  /** `NO_API_KEY`. */
  noApiKey: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `Add one for this agent: save an API key with ${hintStep("saveApiKey", a, c)}; or run \`claude setup-token\` and save the token with ${hintStep("pasteToken", a, c)}; or copy another agent's profiles with copyProfiles({ from: "main", to: "${a.agentId ?? "main"}" }); or set ANTHROPIC_API_KEY.`,
  /** `NO_CREDENTIALS`. */
  noCredentials: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `Save a credential under that id (run \`claude setup-token\` and save the token with ${hintStep("pasteToken", a, c)}, or save an API key), or copy it from another agent with copyProfiles; ${hintStep("status", a, c)} lists the ids there are.`,
  /** `NO_AVAILABLE_PROFILE`. */
  noAvailableProfile: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `Wait until the first profile is available again (retryAt), add another profile, or clear a cooldown early with ${hintStep("clearCooldown", a, c)} (e.g. after a billing top-up).`,
  /** `OAUTH_REFRESH_FAILED`. */
  refreshFailed: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `If it keeps failing: re-run \`claude setup-token\` and paste it with ${hintStep("pasteToken", a, c)}, or sign in to Claude Code again on this host (run \`claude\`).`,
  /** `OAUTH_REFRESH_FAILED` with `invalid_grant`. */
  refreshTokenRotated: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `The refresh token was already used or revoked: Anthropic rotates it on every refresh, so another program sharing this login may have refreshed it first. Re-run \`claude setup-token\` and paste it with ${hintStep("pasteToken", a, c)}, or sign in to Claude Code again on this host (run \`claude\`).`,
  /** A stored entry of a type this version cannot refresh. */
  replaceStored: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `Replace it: run \`claude setup-token\` and paste the token with ${hintStep("pasteToken", a, c)}.`,
  /** `TOKEN_INVALID`. */
  pasteSetupToken: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `Run \`claude setup-token\` on a machine where you are signed in to Claude Code, copy the whole token it prints (it starts with sk-ant-oat01-), then paste it with ${hintStep("pasteToken", a, c)}.`,
  /** `CLAUDE_CLI_EXPIRED`. */
  claudeCliExpired: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `Run \`claude\` on this host and sign in (Claude Code keeps its own login fresh), or use a setup-token instead: run \`claude setup-token\`, then paste it with ${hintStep("pasteToken", { ...a, profileId: undefined }, c)}.`,
  /** A setup-token given as an API key. */
  tokenNotKey: (a: HintCommandArgs, c: HintCommands | undefined) => `Save it as a token instead: ${hintStep("pasteToken", a, c)}.`,
  /** A `code#state` string given as an API key. */
  codeStateNotKey: (a: HintCommandArgs, c: HintCommands | undefined) =>
    `For a subscription, run \`claude setup-token\` and paste the token with ${hintStep("pasteToken", { ...a, profileId: undefined }, c)}; for an API key, copy it from the Anthropic Console.`,
} as const;

/** The id of a hint in {@link HINTS}. @internal */
export type HintId = keyof typeof HINTS;

/** A hint kept as facts, so it can be written again with the bot's commands. @internal */
export interface HintRef {
  /** Which text. */
  readonly id: HintId;
  /** Its facts. */
  readonly args: HintCommandArgs;
}

/**
 * Writes a hint from its facts.
 *
 * @param ref - the hint id and facts
 * @param commands - the bot's commands, if any
 * @returns the hint text
 * @internal
 */
export function renderHint(ref: HintRef, commands: HintCommands | undefined): string {
  return HINTS[ref.id](ref.args, commands);
}
