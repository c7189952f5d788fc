import { realpath, stat } from "node:fs/promises";
import type { Clock } from "../../model/clock.js";
import { AuthProfilesError, isAuthProfilesError, formatEpochMs } from "../../model/errors.js";
import type { Logger } from "../../model/logger.js";
import { writeFileAtomically } from "../../io/atomic-write.js";
import { withFileLock } from "../../io/lock.js";
import type { LoginLocation } from "./errors.js";
import { parseClaudeCredentials, serializeRefreshed, type ClaudeCliDocument, type ClaudeCliLogin } from "./format.js";
import { removeStaleTempFiles } from "../../io/stale-temp-files.js";
import { readClaudeCredentialsFile } from "./load.js";
import { CLAUDE_REFRESH_LOCK_STALE_MS, claudeRefreshLockTarget } from "./paths.js";
import type { OAuthTokenEndpoint } from "../oauth/refresh.js";
import { refreshWindow } from "../token-freshness.js";
import { RefreshError } from "../oauth/refresh-error.js";
import { CLAUDE_CLI_PROFILE_ID } from "../../model/ids.js";

/** Options of {@link refreshClaudeCliFile}. @internal */
export interface ClaudeCliWriteBackOptions {
  /** Claude Code's credentials file. */
  readonly where: LoginLocation;
  /** Clock, epoch ms. */
  readonly now: Clock;
  /** Refresh when the token expires within this many ms. */
  readonly refreshMarginMs: number;
  /** Refresh even when not expiring (after a 401), unless the stored token differs from `seenAccess`. */
  readonly force: boolean;
  /** The access token the caller holds. */
  readonly seenAccess: string;
  /** Spends the refresh token. */
  readonly endpoint: OAuthTokenEndpoint;
  /** How long to wait for Claude Code's refresh lock. */
  readonly lockWaitMs?: number | undefined;
  /** Secret-free debug lines. */
  readonly logger?: Logger | undefined;
}

/**
 * Tells whether a Claude Code login must be refreshed now.
 *
 * @param login - the login
 * @param now - epoch ms
 * @param marginMs - refresh margin
 * @param forced - after a 401
 * @returns `false` when it has no refresh token; a login without expiry only when forced
 * @internal
 */
export function loginNeedsRefresh(login: ClaudeCliLogin, now: number, marginMs: number, forced: boolean): boolean {
  if (login.refreshToken === null) return false;
  return refreshWindow(login.expiresAt, now, marginMs, forced) !== "fresh";
}

/**
 * Refreshes Claude Code's login and writes it back (opt-in `refresh: "write-back"`).
 *
 * @remarks
 * Holds Claude Code's own refresh lock (`<config dir>/.oauth_refresh.lock`, same proper-lockfile
 * protocol and 60 s stale time), re-reads the file inside it, and calls the endpoint only if the
 * login still needs it (Claude Code or another process may just have refreshed). The result is
 * written atomically (temp file, fsync, rename; a symbolic link is kept and the file it leads to is
 * replaced, unless the link was re-pointed meanwhile: `FILE_UNSAFE`) with the
 * file's own mode, every other field kept. If the endpoint fails, the file is not touched.
 *
 * Once the endpoint has answered, the new pair is written even if the lock was lost meanwhile: the
 * old refresh token is already spent, so dropping the new pair would log Claude Code out.
 *
 * @param options - location, clock, margin, force, seen token, endpoint
 * @returns the document now on disk
 * @throws AuthProfilesError `CLAUDE_CLI_EXPIRED` / `CLAUDE_CLI_INVALID` from reading,
 *   `OAUTH_REFRESH_FAILED` from the endpoint, `STORE_LOCKED` when Claude Code's lock stays busy,
 *   `STORE_IO` when the file cannot be written, `FILE_UNSAFE` (see `readClaudeCredentialsFile`, or
 *   a link re-pointed during the refresh)
 * @internal
 */
export async function refreshClaudeCliFile(options: ClaudeCliWriteBackOptions): Promise<ClaudeCliDocument> {
  const { where } = options;
  const lockTarget = claudeRefreshLockTarget(where.file);
  try {
    return await withFileLock(
      lockTarget,
      async () => {
        // A write-back killed mid-write leaves a temp file holding a live refresh token: remove it.
        await removeStaleTempFiles(where.file, CLAUDE_REFRESH_LOCK_STALE_MS, `${lockTarget}.lock`);
        const document = await readClaudeCredentialsFile(where);
        // A dotfiles link is kept: the file it points to (checked by the read) is what gets replaced.
        const target = await realpath(where.file);
        if (target !== where.file) await removeStaleTempFiles(target, CLAUDE_REFRESH_LOCK_STALE_MS, `${lockTarget}.lock`);
        const login = document.login;
        if (login === null) return document;
        const forced = options.force && login.accessToken === options.seenAccess;
        if (!loginNeedsRefresh(login, options.now(), options.refreshMarginMs, forced)) {
          options.logger?.debug("auth-profiles: Claude Code's login is already fresh; no token request.");
          return document;
        }
        const fresh = await callEndpoint(options.endpoint, login.refreshToken as string);
        const mode = (await stat(target)).mode & 0o777;
        const text = serializeRefreshed(document, fresh);
        await writeBack(where.file, target, text, mode);
        options.logger?.debug(`auth-profiles: refreshed Claude Code's login; it expires at ${formatEpochMs(fresh.expires)}.`);
        return parseClaudeCredentials(text, where);
      },
      { staleMs: CLAUDE_REFRESH_LOCK_STALE_MS, ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }) },
    );
  } catch (error) {
    if (isAuthProfilesError(error) && error.code === "STORE_LOCKED") {
      throw new AuthProfilesError("STORE_LOCKED", `Could not take Claude Code's refresh lock ${lockTarget}.lock: ${error.message}`, {
        hint: `Claude Code (or another program) is refreshing this login; retry in a minute. If no such process runs, remove the stale directory ${lockTarget}.lock.`,
        cause: error,
        details: { file: where.file, lock: `${lockTarget}.lock` },
      });
    }
    throw error;
  }
}

async function callEndpoint(endpoint: OAuthTokenEndpoint, refreshToken: string): ReturnType<OAuthTokenEndpoint> {
  try {
    return await endpoint(refreshToken);
  } catch (error) {
    if (isAuthProfilesError(error)) throw error;
    throw new RefreshError(
      { profileId: CLAUDE_CLI_PROFILE_ID, kind: "unknown", detail: error instanceof Error ? error.message : String(error) },
      { cause: error, secrets: [refreshToken] },
    );
  }
}

async function writeBack(file: string, target: string, text: string, mode: number): Promise<void> {
  let written: boolean;
  try {
    // Never through a link re-pointed while the token request ran (it would hand the tokens to
    // whoever re-pointed it): the link must still lead to the file that was read.
    written = await writeFileAtomically(target, text, { mode, beforeRename: async () => (await realpath(file).catch(() => null)) === target });
  } catch (error) {
    throw new AuthProfilesError("STORE_IO", `Could not write the refreshed Claude Code login to ${file}; the file was not changed.`, {
      hint: `Check free disk space and that this user can write to the directory of ${target}. Then sign in to Claude Code again (run \`claude\`): its previous refresh token was already spent.`,
      cause: error,
      details: { file },
    });
  }
  if (!written) {
    throw new AuthProfilesError("FILE_UNSAFE", `Refusing to write the refreshed Claude Code login: ${file} no longer leads to ${target} (it was replaced or re-pointed during the refresh).`, {
      hint: `Find out who changed ${file}, then sign in to Claude Code again (run \`claude\`): its previous refresh token was already spent.`,
      details: { file, target, reason: "replaced" },
    });
  }
}
