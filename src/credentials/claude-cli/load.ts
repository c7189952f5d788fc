import { setTimeout as sleep } from "node:timers/promises";
import { readCheckedFile, UnreadableFileError } from "../../io/read-checked-file.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../../model/json-depth.js";
import type { Clock } from "../../model/clock.js";
import { AuthProfilesError, isAuthProfilesError } from "../../model/errors.js";
import type { Logger } from "../../model/logger.js";
import { loginFileRefused, loginNotFound, loginSignedOut, loginUnreadable, type LoginLocation } from "./errors.js";
import { credentialFromLogin, parseClaudeCredentials, type ClaudeCliDocument, type ClaudeCliLogin } from "./format.js";
import { KeychainReadError, readKeychainPassword } from "./keychain.js";
import type { Credential } from "../../model/credential.js";

/** What to do beyond `chmod` when others could read the login. */
const CLAUDE_CLI_EXPOSED_ADVICE = "and consider signing in to Claude Code again, since others could have read the token";

/** The largest Claude Code credentials file read (a real one is under 1 KiB). */
export const CLAUDE_CREDENTIALS_MAX_BYTES = 1024 * 1024;

/** Pauses before re-reading a file that did not parse (Claude Code may be writing it in place). */
const TORN_READ_RETRY_DELAYS_MS = [25, 75] as const;

/**
 * Reads and parses Claude Code's credentials file. A file that is empty or not JSON is read again
 * twice (about 100 ms in all) before it is reported, because some Claude Code versions write it in
 * place and a reader can catch it half written.
 *
 * @param where - the file location (`origin: "file"`)
 * @returns the document
 * @throws AuthProfilesError `CLAUDE_CLI_EXPIRED` when the file is missing; `CLAUDE_CLI_INVALID` when
 *   it cannot be read or parsed, or is not a regular file, larger than
 *   {@link CLAUDE_CREDENTIALS_MAX_BYTES}, not UTF-8 or nested too deep; `FILE_UNSAFE` when it (or
 *   the file a link points to) is owned by another user or accessible by others, or lies in an
 *   unsafe directory
 * @internal
 */
export async function readClaudeCredentialsFile(where: LoginLocation): Promise<ClaudeCliDocument> {
  for (const delayMs of TORN_READ_RETRY_DELAYS_MS) {
    try {
      return await readOnce(where);
    } catch (error) {
      if (!isAuthProfilesError(error, "CLAUDE_CLI_INVALID") || error.details.jsonPath !== "(root)") throw error;
      await sleep(delayMs);
    }
  }
  return readOnce(where);
}

async function readOnce(where: LoginLocation): Promise<ClaudeCliDocument> {
  let file;
  try {
    // Claude Code writes its login 0600; a file others can read has leaked, or soon will. A
    // dotfiles tool may link the file: the link is followed, and both directories are checked.
    file = await readCheckedFile(where.file, {
      maxBytes: CLAUDE_CREDENTIALS_MAX_BYTES,
      allowUnsafePermissions: where.allowUnsafePermissions === true,
      followSymlink: true,
      exposedAdvice: CLAUDE_CLI_EXPOSED_ADVICE,
    });
  } catch (error) {
    // A directory that cannot even be inspected is reported like a file that cannot be read.
    if (isAuthProfilesError(error) && error.code === "STORE_IO") throw loginUnreadable(where, String(error.details["errno"] ?? "inspect error"), error.cause);
    if (!(error instanceof UnreadableFileError)) throw error;
    throw fileError(where, error);
  }
  if (file === null) throw loginNotFound(where);
  if (nestsDeeperThan(file.text, MAX_JSON_DEPTH)) {
    throw loginFileRefused(where, `it nests deeper than ${MAX_JSON_DEPTH} levels`, RESIGN_IN_HINT);
  }
  return parseClaudeCredentials(file.text, where);
}

const RESIGN_IN_HINT = "It is not a file Claude Code wrote: move it away and sign in to Claude Code again on this host (run `claude`).";

function fileError(where: LoginLocation, error: UnreadableFileError): AuthProfilesError {
  switch (error.reason) {
    case "not-regular":
      return loginFileRefused(where, `it is a ${error.fact}, not a regular file`, `Remove ${where.file} (nothing was read from it) and sign in to Claude Code again, or point claudeCli.credentialsPath at the real file.`, error);
    case "too-large":
      return loginFileRefused(where, `it is larger than ${error.fact} bytes`, RESIGN_IN_HINT, error);
    case "not-utf8":
      return loginFileRefused(where, "it is not valid UTF-8", RESIGN_IN_HINT, error);
    case "io":
      // A path component that is a file: there is no login there.
      if (error.fact === "ENOTDIR") return loginNotFound(where);
      return loginUnreadable(where, error.fact, error.cause ?? error);
  }
}

/** A usable Claude Code login as read at one moment. @internal */
export interface LoadedLogin {
  /** The login (with its refresh token; never handed out). */
  readonly login: ClaudeCliLogin;
  /** The credential sent for it (without the refresh token). */
  readonly credential: Credential;
  /** Where it was read. */
  readonly where: LoginLocation;
  /** Epoch ms of the read. */
  readonly at: number;
}

/** Where and how to read Claude Code's login. @internal */
export interface LoginSources {
  /** The credentials file location. */
  readonly file: LoginLocation;
  /** The Keychain location, or `null` when the Keychain is not read. */
  readonly keychain: LoginLocation | null;
  /** The `security` executable. */
  readonly securityCommand?: string | undefined;
  /** Clock. */
  readonly now: Clock;
  /** Secret-free warnings. */
  readonly logger?: Logger | undefined;
}

/**
 * Turns a parsed document into a usable login.
 *
 * @param document - the parsed document
 * @param where - where it was read
 * @param at - epoch ms of the read
 * @returns the login and its credential
 * @throws AuthProfilesError `CLAUDE_CLI_EXPIRED` when the document holds no token (signed out)
 * @internal
 */
export function toLoadedLogin(document: ClaudeCliDocument, where: LoginLocation, at: number): LoadedLogin {
  if (document.login === null) throw loginSignedOut(where);
  return { login: document.login, credential: credentialFromLogin(document.login), where, at };
}

/**
 * Reads Claude Code's login: the Keychain item first (when enabled), else the file.
 *
 * @remarks
 * A Keychain item that exists is authoritative: a malformed one is reported, never bypassed for a
 * possibly stale file. A Keychain that cannot be read (locked, access denied) falls back to the
 * file, and is what gets reported when the file is missing too.
 *
 * @param sources - locations, `security` command, clock, logger
 * @returns the login
 * @throws AuthProfilesError `CLAUDE_CLI_EXPIRED` (missing, signed out) or `CLAUDE_CLI_INVALID`
 * @internal
 */
export async function loadClaudeLogin(sources: LoginSources): Promise<LoadedLogin> {
  const at = sources.now();
  let keychainFailure: AuthProfilesError | null = null;
  const keychain = sources.keychain;
  if (keychain !== null && keychain.keychainService !== null) {
    try {
      const text = await readKeychainPassword({ service: keychain.keychainService, command: sources.securityCommand });
      if (text !== null) return toLoadedLogin(parseClaudeCredentials(text, keychain), keychain, at);
    } catch (error) {
      if (!(error instanceof KeychainReadError)) throw error;
      keychainFailure = loginUnreadable(keychain, error.reason, error);
      sources.logger?.warn(`auth-profiles: ${keychainFailure.message} Trying ${sources.file.file}.`);
    }
  }
  try {
    return toLoadedLogin(await readClaudeCredentialsFile(sources.file), sources.file, at);
  } catch (error) {
    const missing = isAuthProfilesError(error, "CLAUDE_CLI_EXPIRED") && error.details.reason === "missing";
    throw missing && keychainFailure !== null ? keychainFailure : error;
  }
}

