import type * as Crypto from "node:crypto";
import { lazyRequire } from "../../io/lazy-require.js";
import { dirname, join } from "node:path";
import { AuthProfilesError } from "../../model/errors.js";
import { requireObject } from "../../model/arguments.js";
import { checkClaudeCliInit } from "../arguments.js";

const crypto = lazyRequire<typeof Crypto>("node:crypto");

/** The macOS Keychain service of Claude Code's login when `CLAUDE_CONFIG_DIR` is not set. @internal */
export const KEYCHAIN_SERVICE_BASE = "Claude Code-credentials";
/** The file name of Claude Code's login inside its config dir. @internal */
export const CLAUDE_CREDENTIALS_FILE = ".credentials.json";

/**
 * Where to look for Claude Code's config dir.
 *
 * @category Credential sources
 */
export interface ClaudeCliPathOptions {
  /** The resolver's env (`CLAUDE_CONFIG_DIR`); never `process.env` implicitly. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The home dir (`~`), used when `CLAUDE_CONFIG_DIR` is not set. */
  readonly homeDir?: string | undefined;
  /** An explicit credentials file; wins over everything else. */
  readonly credentialsPath?: string | undefined;
}

/**
 * Finds Claude Code's credentials file: `credentialsPath`, else `$CLAUDE_CONFIG_DIR/.credentials.json`,
 * else `~/.claude/.credentials.json`. An empty `CLAUDE_CONFIG_DIR` counts as unset.
 *
 * @param options - env, home dir and an explicit path
 * @returns the file path (it may not exist)
 * @throws AuthProfilesError `INVALID_ARGUMENT` when neither a path, `CLAUDE_CONFIG_DIR` nor `homeDir` is given
 *
 * @category Credential sources
 */
export function claudeCredentialsPath(options: ClaudeCliPathOptions): string {
  checkClaudeCliInit("claudeCredentialsPath", options);
  if (options.credentialsPath !== undefined && options.credentialsPath !== "") return options.credentialsPath;
  const configDir = options.env?.["CLAUDE_CONFIG_DIR"];
  if (configDir !== undefined && configDir !== "") return join(configDir, CLAUDE_CREDENTIALS_FILE);
  if (options.homeDir === undefined || options.homeDir === "") {
    throw new AuthProfilesError("INVALID_ARGUMENT", "Cannot locate Claude Code's credentials: no credentialsPath, CLAUDE_CONFIG_DIR or home dir.", {
      hint: "Pass claudeCli.credentialsPath, or a homeDir, or set CLAUDE_CONFIG_DIR in the resolver's env.",
      details: { option: "claudeCli.credentialsPath" },
    });
  }
  return join(options.homeDir, ".claude", CLAUDE_CREDENTIALS_FILE);
}

/**
 * The macOS Keychain service under which Claude Code keeps its login.
 *
 * @remarks
 * `Claude Code-credentials` when `CLAUDE_CONFIG_DIR` is unset or empty; otherwise suffixed with `-`
 * and the first 8 hex digits of the SHA-256 of the `CLAUDE_CONFIG_DIR` value (NFC-normalised, not
 * resolved), so each config dir has its own item. This rule is not in Anthropic's documentation:
 * it was decompiled from the `claude` binary (robinebers/openusage#424) and confirmed against real
 * Keychain items by several independent tools (Yeachan-Heo/oh-my-claudecode#1125,
 * sirmalloc/ccstatusline#573, beeblock/orkestrai#27). If Claude Code changes it, pass the
 * `keychainService` option of `createClaudeCliSource`.
 *
 * @param env - the resolver's env
 * @returns the service name
 *
 * @category Credential sources
 */
export function keychainServiceName(env: Readonly<Record<string, string | undefined>> = {}): string {
  requireObject("keychainServiceName", "env", env);
  const configDir = env["CLAUDE_CONFIG_DIR"];
  if (configDir === undefined || configDir === "") return KEYCHAIN_SERVICE_BASE;
  const hash = crypto().createHash("sha256").update(configDir.normalize("NFC")).digest("hex").slice(0, 8);
  return `${KEYCHAIN_SERVICE_BASE}-${hash}`;
}

/**
 * The target whose proper-lockfile lock Claude Code takes while refreshing: the lock directory is
 * `<config dir>/.oauth_refresh.lock`, next to the credentials file.
 *
 * @remarks
 * Observed in Claude Code 2.1.2xx bundles (`{ realpath: false, stale: 60000, update: 5000 }`;
 * anthropics/claude-code#95236, cnighswonger/claude-code-cache-fix#372). Taking the same lock makes a
 * write-back refresh wait for Claude Code's own refresh instead of racing it.
 *
 * @param credentialsPath - Claude Code's credentials file
 * @returns the path to pass to `withFileLock` (it adds `.lock`)
 * @internal
 */
export function claudeRefreshLockTarget(credentialsPath: string): string {
  return join(dirname(credentialsPath), ".oauth_refresh");
}

/** Claude Code's stale time for `.oauth_refresh.lock`; ours must match so neither steals a live lock. @internal */
export const CLAUDE_REFRESH_LOCK_STALE_MS = 60_000;
