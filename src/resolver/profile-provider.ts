import type { StoreData } from "../model/store.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";

/**
 * The provider of a profile: its stored entry's `provider`, else the `provider:` prefix of its id
 * (a Claude Code login has usage stats but no entry), else `anthropic`. The Claude Code login
 * `anthropic:claude-cli` is always `anthropic`'s, also when OpenClaw 2026.4 stored it under
 * provider `claude-cli`.
 *
 * @param data - the store document
 * @param profileId - the profile id
 * @returns the provider id
 * @internal
 */
export function providerOfProfile(data: StoreData, profileId: string): string {
  if (profileId === CLAUDE_CLI_PROFILE_ID) return "anthropic";
  const provider = data.profiles[profileId]?.provider;
  if (typeof provider === "string") return provider;
  const colon = profileId.indexOf(":");
  return colon > 0 ? profileId.slice(0, colon) : "anthropic";
}
