import { CLAUDE_CLI_PROFILE_ID } from "./ids.js";
import type { OAuthProfile, StoreData } from "./store.js";

/**
 * The entry that stands for the Claude Code login in a store document when the config or the store
 * order names `anthropic:claude-cli` but nothing is stored under that id. It carries no secret and
 * never expires: the live login is read only when the profile is picked (or reported on).
 *
 * @internal
 */
export const CLAUDE_CLI_PLACEHOLDER: Readonly<OAuthProfile> = Object.freeze({
  type: "oauth",
  provider: "anthropic",
  access: "claude-cli",
  refresh: "",
  expires: Number.MAX_SAFE_INTEGER,
});

/**
 * Adds {@link CLAUDE_CLI_PLACEHOLDER} under `anthropic:claude-cli` for ordering, unless the store
 * holds an entry under that id.
 *
 * @param data - the store document
 * @returns `data`, or a copy with the placeholder
 * @internal
 */
export function withClaudeCliPlaceholder(data: StoreData): StoreData {
  if (Object.hasOwn(data.profiles, CLAUDE_CLI_PROFILE_ID)) return data;
  return { ...data, profiles: { ...data.profiles, [CLAUDE_CLI_PROFILE_ID]: CLAUDE_CLI_PLACEHOLDER } };
}
