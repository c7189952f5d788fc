import type { Clock } from "../../model/clock.js";
import { AuthProfilesError, isAuthProfilesError } from "../../model/errors.js";
import type { Logger } from "../../model/logger.js";
import { watchFileChanges } from "../../io/file-watch.js";
import { loginExpired, type LoginLocation } from "./errors.js";
import { loadClaudeLogin, toLoadedLogin, type LoadedLogin } from "./load.js";
import { claudeCredentialsPath, keychainServiceName } from "./paths.js";
import { refreshClaudeCliFile } from "./write-back.js";
import type { OAuthTokenEndpoint } from "../oauth/refresh.js";
import { createSingleFlight } from "../single-flight.js";
import { AdvisoryRetry, refreshWindow } from "../token-freshness.js";
import { DEFAULT_REFRESH_MARGIN_MS } from "../oauth/token-endpoint.js";
import type { Credential, CredentialProviderOptions } from "../../model/credential.js";
import { checkClaudeCliInit } from "../arguments.js";

/** A Keychain login is read again after this long (Keychain changes cannot be watched). @internal */
export const KEYCHAIN_RECHECK_MS = 30_000;

/**
 * Options of {@link createClaudeCliSource}.
 *
 * @category Credential sources
 */
export interface ClaudeCliSourceInit {
  /** The resolver's env (`CLAUDE_CONFIG_DIR`); never `process.env` implicitly. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The home dir, for `~/.claude/.credentials.json`. */
  readonly homeDir?: string | undefined;
  /** Claude Code's credentials file; overrides `CLAUDE_CONFIG_DIR` and `homeDir`. */
  readonly credentialsPath?: string | undefined;
  /** Read the macOS Keychain first. Default: `true` when `platform` is `darwin`. */
  readonly keychain?: boolean | undefined;
  /** The Keychain service. Default {@link keychainServiceName}`(env)`. */
  readonly keychainService?: string | undefined;
  /** The `security` executable. Default `security`. @internal for tests */
  readonly securityCommand?: string | undefined;
  /** The OS, which decides the Keychain default. Default `process.platform`. */
  readonly platform?: NodeJS.Platform | undefined;
  /**
   * `never` (default): read only; Claude Code's file is never written and its refresh token never
   * leaves this module. `write-back`: refresh an expiring file login under Claude Code's own lock
   * and write it back (see `refreshClaudeCliFile`). A Keychain login is never written.
   */
  readonly refresh?: "never" | "write-back" | undefined;
  /** Clock, epoch ms. */
  readonly now: Clock;
  /** With `write-back`: refresh this long before expiry. Default `DEFAULT_REFRESH_MARGIN_MS`. */
  readonly refreshMarginMs?: number | undefined;
  /** With `write-back`: spends the refresh token. Required for `write-back`. */
  readonly endpoint?: OAuthTokenEndpoint | undefined;
  /** Secret-free log lines. Default silent. */
  readonly logger?: Logger | undefined;
  /** Watch the file and cache the login between changes. Default `true`; `false` reads on every call. */
  readonly watch?: boolean | undefined;
  /** Poll interval of the watcher. Default `FILE_WATCH_INTERVAL_MS`. */
  readonly watchIntervalMs?: number | undefined;
  /** Accept a credentials file that group/other can access. Default `false` (`FILE_UNSAFE`). */
  readonly allowUnsafePermissions?: boolean | undefined;
  /** How long a write-back waits for Claude Code's refresh lock. Default 60 s. */
  readonly lockWaitMs?: number | undefined;
}

/**
 * A live, cached reader of Claude Code's login (profile `anthropic:claude-cli`).
 *
 * @category Credential sources
 */
export interface ClaudeCliSource {
  /** Claude Code's credentials file. */
  readonly path: string;
  /** The Keychain service read first, or `null` when the Keychain is not used. */
  readonly keychainService: string | null;
  /**
   * Returns the current login as a credential (never containing the refresh token).
   *
   * @param options - `forceRefresh` (after a 401): skip the cache; with `write-back`, refresh too
   * @returns mode `oauth` (login with a refresh token) or `token`, source `claude-cli`
   * @throws AuthProfilesError `CLAUDE_CLI_EXPIRED` (missing, signed out, expired after one re-read),
   *   `CLAUDE_CLI_INVALID`, and with `write-back` `OAUTH_REFRESH_FAILED` or `STORE_LOCKED`
   */
  read(options?: CredentialProviderOptions): Promise<Credential>;
  /** Stops the file watcher; idempotent. Later reads still work, uncached. */
  close(): void;
}

type Loaded = LoadedLogin;

type Cached = { readonly kind: "ok"; readonly loaded: Loaded } | { readonly kind: "error"; readonly error: AuthProfilesError; readonly at: number };

/**
 * Creates the reader of Claude Code's login: the macOS Keychain item (on macOS by default), else
 * `$CLAUDE_CONFIG_DIR/.credentials.json` or `~/.claude/.credentials.json`.
 *
 * @remarks
 * - Warm reads do no I/O: the login is cached until a background stat poll of the file sees a
 *   change (a Keychain login is re-read every 30 s).
 * - An expired cached login is re-read once before `CLAUDE_CLI_EXPIRED` is thrown, in case Claude
 *   Code refreshed it a moment ago.
 * - With `refresh: "never"` (default) Claude Code's file is never written. Refreshing it here
 *   would rotate its refresh token and log Claude Code out.
 * - With `refresh: "write-back"`, an expiring file login is refreshed under Claude Code's own
 *   refresh lock and written back in its format. If that fails while the login is still valid, the
 *   current token is returned and the refresh retried after 30 s.
 *
 * @param init - location, Keychain, refresh mode, clock, endpoint
 * @returns the source; call `close()` when done
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an unknown refresh mode, `write-back` without an
 *   endpoint, or no way to locate the file
 *
 * @example
 * ```ts
 * const cli = createClaudeCliSource({ env: process.env, homeDir: os.homedir(), now: Date.now });
 * const credential = await cli.read(); // { mode: "oauth", source: "claude-cli", secret, expiresAt, … }
 * cli.close();
 * ```
 *
 * @category Credential sources
 */
export function createClaudeCliSource(init: ClaudeCliSourceInit): ClaudeCliSource {
  checkClaudeCliInit("createClaudeCliSource", init);
  const refreshMode = init.refresh ?? "never";
  checkRefreshOptions(refreshMode, init.endpoint);
  const path = claudeCredentialsPath(init);
  const useKeychain = init.keychain ?? (init.platform ?? process.platform) === "darwin";
  const keychainService = useKeychain ? (init.keychainService ?? keychainServiceName(init.env)) : null;
  const fileWhere: LoginLocation = { file: path, keychainService, origin: "file", allowUnsafePermissions: init.allowUnsafePermissions === true };
  const keychainWhere: LoginLocation = { ...fileWhere, origin: "keychain" };
  const marginMs = init.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const { now, logger } = init;

  let cache: Cached | null = null;
  let generation = 0;
  let stopWatching: (() => void) | null = null;
  let closed = false;
  const advisory = new AdvisoryRetry<"login">();
  let warnedKeychainWriteBack = false;
  // Keyed by generation: a caller arriving after a change never joins a load that began before it.
  const loads = createSingleFlight<number, Loaded>();
  const refreshes = createSingleFlight<"refresh", Loaded>();

  const startWatching = (): void => {
    if (stopWatching !== null || closed || init.watch === false) return;
    stopWatching = watchFileChanges(path, () => {
      generation += 1;
      cache = null;
    }, { intervalMs: init.watchIntervalMs });
  };

  const usableCache = (): Cached | null => {
    if (cache === null || stopWatching === null) return null;
    const at = cache.kind === "ok" ? cache.loaded.at : cache.at;
    return keychainService !== null && now() - at >= KEYCHAIN_RECHECK_MS ? null : cache;
  };

  const sources = { file: fileWhere, keychain: keychainService === null ? null : keychainWhere, securityCommand: init.securityCommand, now, logger };
  const loadLogin = (): Promise<Loaded> => loadClaudeLogin(sources);

  const load = async (): Promise<Loaded> => {
    const seenGeneration = generation;
    const keep = (entry: Cached): void => {
      if (seenGeneration === generation && stopWatching !== null) cache = entry;
    };
    try {
      const loaded = await loads.run(seenGeneration, loadLogin);
      keep({ kind: "ok", loaded });
      return loaded;
    } catch (error) {
      if (isAuthProfilesError(error) && (error.code === "CLAUDE_CLI_EXPIRED" || error.code === "CLAUDE_CLI_INVALID")) keep({ kind: "error", error, at: now() });
      throw error;
    }
  };

  const writeBack = async (loaded: Loaded, forced: boolean): Promise<Loaded> => {
    const current = now();
    const window = loaded.login.refreshToken === null ? "fresh" : refreshWindow(loaded.login.expiresAt, current, marginMs, forced);
    if (window === "fresh") return loaded;
    if (loaded.where.origin === "keychain") {
      if (!warnedKeychainWriteBack) logger?.warn("auth-profiles: claudeCli.refresh \"write-back\" does not write the macOS Keychain; Claude Code's Keychain login is only read.");
      warnedKeychainWriteBack = true;
      return loaded;
    }
    if (window === "advisory" && !advisory.mayTry("login", current)) return loaded;
    try {
      const next = await refreshes.run(
        "refresh",
        async () => {
          const document = await refreshClaudeCliFile({
            where: fileWhere,
            now,
            refreshMarginMs: marginMs,
            force: forced,
            seenAccess: loaded.login.accessToken,
            endpoint: init.endpoint as OAuthTokenEndpoint,
            lockWaitMs: init.lockWaitMs,
            logger,
          });
          const fresh = toLoadedLogin(document, fileWhere, now());
          if (stopWatching !== null) cache = { kind: "ok", loaded: fresh };
          return fresh;
        },
        { force: forced },
      );
      advisory.succeeded("login");
      return next;
    } catch (error) {
      if (window === "required") throw error;
      advisory.failed("login", now());
      logger?.warn(`auth-profiles: refreshing Claude Code's login failed (${isAuthProfilesError(error) ? error.code : "error"}); its token is still valid, retrying later.`);
      return loaded;
    }
  };

  const isExpired = (loaded: Loaded): boolean => loaded.login.expiresAt !== null && loaded.login.expiresAt <= now();

  return {
    path,
    keychainService,
    async read(options: CredentialProviderOptions = {}): Promise<Credential> {
      startWatching();
      const force = options.forceRefresh === true;
      const cached = usableCache();
      const seen = cached?.kind === "ok" ? cached.loaded : null;
      const fromCache = !force && cached !== null;
      let loaded: Loaded;
      if (fromCache && cached !== null) {
        if (cached.kind === "error") throw cached.error;
        loaded = cached.loaded;
      } else {
        loaded = await load();
      }
      if (refreshMode === "write-back") {
        // After a 401, a login that changed since the caller's copy is someone else's fresh refresh.
        const forced = force && (seen === null || seen.login.accessToken === loaded.login.accessToken);
        loaded = await writeBack(loaded, forced);
      }
      // Claude Code may have refreshed a moment ago, before the watcher noticed: look once more.
      if (isExpired(loaded) && fromCache) loaded = await load();
      if (isExpired(loaded)) throw loginExpired(loaded.where, loaded.login.expiresAt as number);
      return loaded.credential;
    },
    close(): void {
      closed = true;
      stopWatching?.();
      stopWatching = null;
      cache = null;
    },
  };
}

function checkRefreshOptions(refresh: string, endpoint: OAuthTokenEndpoint | undefined): void {
  if (refresh !== "never" && refresh !== "write-back") {
    throw new AuthProfilesError("INVALID_ARGUMENT", `claudeCli.refresh must be "never" or "write-back".`, {
      hint: 'Leave it out (default "never") unless this library should refresh Claude Code\'s login and write it back.',
      details: { option: "claudeCli.refresh" },
    });
  }
  if (refresh === "write-back" && endpoint === undefined) {
    throw new AuthProfilesError("INVALID_ARGUMENT", 'claudeCli.refresh "write-back" needs a token endpoint.', {
      hint: "Pass `endpoint` (the resolver builds it from the oauth options).",
      details: { option: "endpoint" },
    });
  }
}
