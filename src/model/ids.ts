/**
 * The reserved profile id of the Claude Code login.
 *
 * @category Resolving
 */
export const CLAUDE_CLI_PROFILE_ID = "anthropic:claude-cli";

/**
 * The provider OpenClaw 2026.4 gives its own `anthropic:claude-cli` entry (in the store and in the
 * config's `auth.profiles`): its Claude CLI backend looks the login up under that provider.
 *
 * @internal
 */
export const CLAUDE_CLI_PROVIDER = "claude-cli";

/**
 * Whether an entry stored (or configured) for `entryProvider` under `profileId` serves `provider`:
 * the same provider (trimmed, lower case), or the Claude Code login `anthropic:claude-cli` stored
 * by OpenClaw 2026.4 under provider `claude-cli`, which serves `anthropic`.
 *
 * @param profileId - the profile id
 * @param entryProvider - the entry's `provider` as written
 * @param provider - the provider asked for (normalised: trimmed, lower case)
 * @returns `true` when the entry counts for `provider`
 * @internal
 */
export function entryServesProvider(profileId: string, entryProvider: unknown, provider: string): boolean {
  if (typeof entryProvider !== "string") return false;
  const written = entryProvider.trim().toLowerCase();
  return written === provider || (profileId === CLAUDE_CLI_PROFILE_ID && written === CLAUDE_CLI_PROVIDER && provider === "anthropic");
}

/**
 * Whether a config or store entry is OpenClaw's own `anthropic:claude-cli` (provider `claude-cli`),
 * which this library never rewrites.
 *
 * @param profileId - the profile id
 * @param entry - the raw entry
 * @returns `true` for OpenClaw's entry
 * @internal
 */
export function isOpenClawClaudeCliEntry(profileId: string, entry: unknown): boolean {
  if (profileId !== CLAUDE_CLI_PROFILE_ID || typeof entry !== "object" || entry === null) return false;
  const provider = (entry as { readonly provider?: unknown }).provider;
  return typeof provider === "string" && provider.trim().toLowerCase() === CLAUDE_CLI_PROVIDER;
}
