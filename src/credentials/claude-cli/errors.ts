import { AuthProfilesError, formatEpochMs } from "../../model/errors.js";
import { CLAUDE_CLI_PROFILE_ID } from "../../model/ids.js";

/** Where a Claude Code login was (or would have been) read. @internal */
export interface LoginLocation {
  /** Claude Code's credentials file. */
  readonly file: string;
  /** The Keychain service that was looked at, or `null` when the Keychain is not used. */
  readonly keychainService: string | null;
  /** Where this particular login came from. */
  readonly origin: "file" | "keychain";
  /**
   * Accept a credentials file owned by another user or that group/other can access, or one in a
   * directory another user owns or others can write to. Default `false` (`FILE_UNSAFE`).
   */
  readonly allowUnsafePermissions?: boolean | undefined;
}

/** The fix for a missing or expired Claude Code login (from the hint table). */
const SIGN_IN = { id: "claudeCliExpired", args: {} } as const;

/**
 * Names a login location for people.
 *
 * @param where - the location
 * @returns e.g. `/home/me/.claude/.credentials.json` or `the macOS Keychain item "Claude Code-credentials"`
 * @internal
 */
export function describeLocation(where: LoginLocation): string {
  return where.origin === "keychain" && where.keychainService !== null ? `the macOS Keychain item "${where.keychainService}"` : where.file;
}

function details(where: LoginLocation, reason: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { profileId: CLAUDE_CLI_PROFILE_ID, file: where.file, keychainService: where.keychainService, origin: where.origin, reason, ...extra };
}

/**
 * `CLAUDE_CLI_EXPIRED`: no login in the file (nor in the Keychain).
 *
 * @param where - where it was looked for
 * @returns the error
 * @internal
 */
export function loginNotFound(where: LoginLocation): AuthProfilesError {
  const also = where.keychainService === null ? "" : ` (nor in the macOS Keychain item "${where.keychainService}")`;
  return new AuthProfilesError("CLAUDE_CLI_EXPIRED", `Claude Code login not found at ${where.file}${also}.`, {
    hintRef: SIGN_IN,
    details: details(where, "missing"),
  });
}

/**
 * `CLAUDE_CLI_EXPIRED`: the store holds no token (signed out, or a failed refresh blanked it).
 *
 * @param where - where the empty login was read
 * @returns the error
 * @internal
 */
export function loginSignedOut(where: LoginLocation): AuthProfilesError {
  return new AuthProfilesError("CLAUDE_CLI_EXPIRED", `Claude Code login not found at ${describeLocation(where)}: it holds no access token (signed out?).`, {
    hintRef: SIGN_IN,
    details: details(where, "signed_out"),
  });
}

/**
 * `CLAUDE_CLI_EXPIRED`: the login's access token has expired (and was re-read once).
 *
 * @param where - where it was read
 * @param expiresAt - its expiry, epoch ms
 * @returns the error
 * @internal
 */
export function loginExpired(where: LoginLocation, expiresAt: number): AuthProfilesError {
  return new AuthProfilesError(
    "CLAUDE_CLI_EXPIRED",
    `Claude Code login expired at ${formatEpochMs(expiresAt)} (${describeLocation(where)}); this library does not refresh it unless claudeCli.refresh is "write-back".`,
    { hintRef: SIGN_IN, details: details(where, "expired", { expiresAt }) },
  );
}

/**
 * `CLAUDE_CLI_INVALID`: the login does not have Claude Code's shape.
 *
 * @param where - where it was read
 * @param jsonPath - the offending JSON path, e.g. `claudeAiOauth.expiresAt`
 * @param problem - what is wrong, never the value
 * @returns the error
 * @internal
 */
export function loginInvalid(where: LoginLocation, jsonPath: string, problem: string): AuthProfilesError {
  return new AuthProfilesError("CLAUDE_CLI_INVALID", `Claude Code credentials in ${describeLocation(where)} are not valid: ${jsonPath} ${problem}.`, {
    hint: "Sign in to Claude Code again on this host (run `claude`, then /login) so it rewrites its credentials; this library never repairs them.",
    details: details(where, "invalid", { jsonPath }),
  });
}

/**
 * `CLAUDE_CLI_INVALID`: the file or Keychain item exists but cannot be read.
 *
 * @param where - where it was read
 * @param why - a short, secret-free reason (an errno code, an exit status)
 * @param cause - the underlying error
 * @returns the error
 * @internal
 */
export function loginUnreadable(where: LoginLocation, why: string, cause: unknown): AuthProfilesError {
  return new AuthProfilesError("CLAUDE_CLI_INVALID", `Could not read Claude Code credentials from ${describeLocation(where)} (${why}).`, {
    hint:
      where.origin === "keychain"
        ? "Unlock the login Keychain and allow access when macOS asks, or pass claudeCli.keychain: false to read the file only."
        : `Check that this user can read ${where.file}.`,
    cause,
    details: details(where, "unreadable"),
  });
}

/**
 * `CLAUDE_CLI_INVALID`: the file exists but is not one Claude Code wrote (not a regular file, too
 * large, not UTF-8, nested too deep). Never retried: it will not fix itself.
 *
 * @param where - where it was read
 * @param why - what is wrong, secret-free (e.g. `it is a FIFO, not a regular file`)
 * @param hint - the fix
 * @param cause - the underlying error
 * @returns the error
 * @internal
 */
export function loginFileRefused(where: LoginLocation, why: string, hint: string, cause?: unknown): AuthProfilesError {
  return new AuthProfilesError("CLAUDE_CLI_INVALID", `Refusing to read Claude Code credentials from ${where.file}: ${why}.`, {
    hint,
    cause,
    details: details(where, "refused", { problem: why }),
  });
}
