import { homedir } from "node:os";
import { systemClock, type Clock } from "../model/clock.js";
import { CLAUDE_CLI_PROFILE_ID, isOpenClawClaudeCliEntry } from "../model/ids.js";
import { keptProfile } from "../store/kept-entries.js";
import { AuthProfilesError } from "../model/errors.js";
import { withWriterHints, writerTarget, type WriteResult, type WriterLocation, type WriterTarget } from "./target.js";
import { createClaudeCliSource } from "../credentials/claude-cli/login.js";
import type { CredentialMode } from "../model/credential.js";
import { checkWriterOptions } from "./arguments.js";

/**
 * Options of {@link useClaudeCli}.
 *
 * @category Writing credentials
 */
export interface UseClaudeCliOptions extends Omit<WriterLocation, "store"> {
  /** Claude Code's credentials file. Default `$CLAUDE_CONFIG_DIR/.credentials.json` or `~/.claude/.credentials.json`. */
  readonly credentialsPath?: string | undefined;
  /** Read the macOS Keychain. Default: on macOS only. */
  readonly keychain?: boolean | undefined;
  /** Check that a login is there now. Default `true`. */
  readonly verify?: boolean | undefined;
  /** Clock, for the expiry check. */
  readonly now?: Clock | undefined;
}

/**
 * What {@link useClaudeCli} reports.
 *
 * @category Writing credentials
 */
export interface UseClaudeCliResult extends WriteResult {
  /** The login's mode (`oauth` with a refresh token, else `token`), or `null` when not verified. */
  readonly mode: Exclude<CredentialMode, "api_key"> | null;
  /** Epoch ms at which the current login expires, or `null`. */
  readonly expiresAt: number | null;
  /**
   * `false` when OpenClaw (2026.4+) already keeps its own `anthropic:claude-cli` entry (provider
   * `claude-cli`) in the config or the store: that entry is left byte for byte and serves
   * `anthropic` as it is; `true` when this call recorded (or found) the library's own entry.
   */
  readonly recorded: boolean;
}

/**
 * Registers the Claude Code login on this host as profile `anthropic:claude-cli` (config
 * `auth.profiles["anthropic:claude-cli"] = { provider: "anthropic", mode: "oauth" }`), unless
 * OpenClaw 2026.4+ already keeps its own entry under that id with provider `claude-cli` (in the
 * config or the store): that one is never rewritten, and selection for `anthropic` accepts it
 * as it is (`recorded: false`). Nothing is
 * copied: the resolver reads Claude Code's login live each time it changes, never stores its
 * refresh token, and by default never refreshes it (a second refresher would log Claude Code out).
 *
 * @remarks Anthropic's terms limit subscription OAuth to Claude Code and Anthropic's own apps; an
 * API key is the supported path for bots. This is opt-in and the user's responsibility.
 *
 * @param options - location, where Claude Code keeps its login, and whether to verify it now
 * @returns the profile id, paths, and the login's mode and expiry when verified
 * @throws AuthProfilesError `INVALID_ARGUMENT` without a config file; `CLAUDE_CLI_EXPIRED` /
 *   `CLAUDE_CLI_INVALID` when verifying finds no usable login; `CONFIG_*`, `STORE_*`
 *
 * @category Writing credentials
 */
export async function useClaudeCli(options: UseClaudeCliOptions = {}): Promise<UseClaudeCliResult> {
  checkWriterOptions("useClaudeCli", options);
  return withWriterHints(options, () => registerClaudeCli(options));
}

async function registerClaudeCli(options: UseClaudeCliOptions): Promise<UseClaudeCliResult> {
  const target = await writerTarget(options);
  try {
    if (target.configPath === null) {
      throw new AuthProfilesError("INVALID_ARGUMENT", "useClaudeCli records the profile in the bot config, but configPath is false.", {
        hint: "Pass a configPath (or leave it out to use <stateDir>/openclaw.json).",
      });
    }
    let mode: UseClaudeCliResult["mode"] = null;
    let expiresAt: number | null = null;
    if (options.verify !== false) {
      const source = createClaudeCliSource({
        env: options.env ?? process.env,
        homeDir: options.homeDir ?? homedir(),
        now: options.now ?? systemClock,
        watch: false,
        ...(options.credentialsPath === undefined ? {} : { credentialsPath: options.credentialsPath }),
        ...(options.keychain === undefined ? {} : { keychain: options.keychain }),
      });
      try {
        const credential = await source.read();
        mode = credential.mode === "api_key" ? null : credential.mode;
        expiresAt = credential.expiresAt;
      } finally {
        source.close();
      }
    }
    const recorded = !(await openClawOwnsClaudeCli(target));
    if (recorded) await target.recordMeta(CLAUDE_CLI_PROFILE_ID, { provider: "anthropic", mode: "oauth" });
    return { profileId: CLAUDE_CLI_PROFILE_ID, storePath: target.store.path, configPath: target.configPath, mode, expiresAt, recorded };
  } finally {
    await target.close();
  }
}

/** Whether the config or the store holds OpenClaw 2026.4's own `anthropic:claude-cli` entry. */
async function openClawOwnsClaudeCli(target: WriterTarget): Promise<boolean> {
  const configured = target.config.auth?.profiles;
  if (configured !== undefined && Object.hasOwn(configured, CLAUDE_CLI_PROFILE_ID) && isOpenClawClaudeCliEntry(CLAUDE_CLI_PROFILE_ID, configured[CLAUDE_CLI_PROFILE_ID])) return true;
  const data = await target.store.read();
  const stored = Object.hasOwn(data.profiles, CLAUDE_CLI_PROFILE_ID) ? data.profiles[CLAUDE_CLI_PROFILE_ID] : keptProfile(data, CLAUDE_CLI_PROFILE_ID)?.raw;
  return isOpenClawClaudeCliEntry(CLAUDE_CLI_PROFILE_ID, stored);
}
