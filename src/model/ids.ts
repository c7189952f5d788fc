/**
 * The reserved profile id of the Claude Code login.
 *
 * @category Resolving
 */
export const CLAUDE_CLI_PROFILE_ID = "anthropic:claude-cli";
