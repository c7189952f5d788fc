import { homedir } from "node:os";
import { systemClock } from "./clock.js";
import { DEFAULT_AGENT_ID, validateAgentId } from "./config/agent-id.js";
import { configEnv } from "./config/config-env.js";
import { loadConfig } from "./config/load.js";
import { resolveAgentDir, resolveConfigPath, resolveStateDir, resolveStorePath } from "./config/paths.js";
import type { AuthProfilesConfig } from "./config/types.js";
import { validateConfig } from "./config/validate.js";
import { createClaudeCliSource } from "./credentials/claude-cli.js";
import { credentialFromStored } from "./credentials/stored.js";
import { refreshStoredOAuth } from "./credentials/oauth-refresh.js";
import { createSingleFlight } from "./credentials/single-flight.js";
import { DEFAULT_CLIENT_ID, DEFAULT_REFRESH_MARGIN_MS, DEFAULT_REFRESH_TIMEOUT_MS, DEFAULT_TOKEN_URL, requestTokenRefresh } from "./credentials/token-endpoint.js";
import { AuthProfilesError, isAuthProfilesError } from "./errors.js";
import { CLAUDE_CLI_PROFILE_ID, ClaudeCliLink, withClaudeCliPlaceholder } from "./resolver/claude-cli-link.js";
import { noCredentialsError } from "./resolver/errors.js";
import { OAuthFreshness } from "./resolver/oauth-freshness.js";
import { OrderCache } from "./resolver/order-cache.js";
import { ResolvedAuthCache } from "./resolver/resolved-auth.js";
import { pickAuth, type PickContext } from "./resolver/pick.js";
import { reportFailureTo } from "./resolver/report-failure.js";
import { ResolverState, type Env, type LoadedConfig } from "./resolver/state.js";
import type { AuthResolver, AuthResolverOptions, Logger, ResolveAuthOptions, ResolvedAuth, ResolveRequest } from "./resolver/types.js";
import { UsageWriter } from "./resolver/usage-writer.js";
import { cooldownPolicyFor } from "./selection/policy.js";
import { buildAuthStatus } from "./status/build.js";
import { createFileProfileStore } from "./store/file-store.js";
import { watchFileChanges } from "./store/file-watch.js";
import type { ProfileStore, StoredCredential } from "./store/types.js";

const SILENT_LOGGER: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Creates a resolver for one agent: it reads the config and the agent's profile store once, then
 * answers `resolve()` from memory, noticing other processes' writes within a second.
 *
 * @remarks
 * Lookup order per {@link AuthResolver.resolve} call: an explicit `profileId` (used or fails); the
 * session's sticky profile; the store's `order`, else the config's `auth.order`, else round-robin
 * over the profiles (OAuth, then setup-tokens, then API keys, least recently used first), skipping
 * profiles in cooldown; then `ANTHROPIC_OAUTH_TOKEN`, then `ANTHROPIC_API_KEY` from `env`; else
 * `NO_API_KEY`. OAuth tokens are refreshed `refreshMarginMs` before they expire, once per profile
 * across the process and, under the store lock, across processes.
 *
 * @param options - agent, locations, env, clock, policies; all optional
 * @returns the resolver; call `close()` when done
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an unsafe agent id
 *
 * @example
 * ```ts
 * const resolver = createAuthResolver({ agentId: "main" });
 * const auth = await resolver.resolve({ model: "claude-sonnet-4-5" });
 * const res = await fetch("https://api.anthropic.com/v1/messages", { method: "POST", headers: { ...auth.headers, "anthropic-version": "2023-06-01", "content-type": "application/json" }, body });
 * if (res.ok) await resolver.reportSuccess(auth.profileId!);
 * else await resolver.reportFailure(auth.profileId!, { status: res.status, headers: res.headers });
 * await resolver.close();
 * ```
 */
export function createAuthResolver(options: AuthResolverOptions = {}): AuthResolver {
  const now = options.now ?? systemClock;
  const logger = options.logger ?? SILENT_LOGGER;
  const baseEnv: Env = options.env ?? process.env;
  const homeDir = options.homeDir ?? homedir();
  const agentId = validateAgentId(options.agentId ?? DEFAULT_AGENT_ID);
  const stateDir = options.stateDir ?? resolveStateDir({ env: baseEnv, homeDir });
  const configPath = options.config !== undefined || options.configPath === false ? null : (options.configPath ?? resolveConfigPath({ env: baseEnv, homeDir, stateDir }));
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const refreshMarginMs = options.oauth?.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;

  const readConfig = async (): Promise<LoadedConfig> => {
    let loaded: LoadedConfig;
    if (options.config !== undefined) {
      const config = validateConfig(options.config, undefined);
      loaded = { config, env: configEnv(config, baseEnv) };
    } else if (configPath === null) {
      loaded = { config: {}, env: baseEnv };
    } else {
      const file = await loadConfig({ path: configPath, env: baseEnv });
      for (const change of file.changes) logger.info(`auth-profiles: ${change} (in memory; loadConfig({ persistMigrations: true }) writes it)`);
      loaded = { config: file.config, env: file.env };
    }
    // Surfaces a bad auth.cooldowns value now (CONFIG_INVALID), not at the first failure.
    cooldownPolicyFor({ config: loaded.config, provider: "anthropic", overrides: options.cooldown ?? {} });
    return loaded;
  };

  // The store path can depend on the config (agents.list[].agentDir), so parts are built on first use.
  let parts: Promise<Parts> | null = null;
  let closed = false;
  const sessions = new Map<string, string>();
  const orders = new OrderCache();
  const refreshes = createSingleFlight<string, StoredCredential>();

  const build = async (): Promise<Parts> => {
    const first = await readConfig();
    const agentDir = options.store !== undefined && options.agentDir === undefined ? null : resolveAgentDir({ stateDir, agentId, env: baseEnv, config: first.config, homeDir, ...(options.agentDir === undefined ? {} : { agentDir: options.agentDir }) });
    const ownsStore = options.store === undefined;
    const store: ProfileStore = options.store ?? createFileProfileStore({ path: resolveStorePath(agentDir as string), ...(options.allowUnsafePermissions === undefined ? {} : { allowUnsafePermissions: options.allowUnsafePermissions }) });
    let loadedOnce: LoadedConfig | null = first;
    const state = new ResolverState({
      loadConfig: async () => {
        const loaded = loadedOnce ?? (await readConfig());
        loadedOnce = null;
        return loaded;
      },
      watchConfig: configPath === null ? null : (onChange) => watchFileChanges(configPath, onChange),
      store,
      orderData: (data, config) => withClaudeCliPlaceholder(data, options.claudeCli !== false && claudeCliDeclared(config, data.order?.["anthropic"])),
    });
    const usage = new UsageWriter(store, now, logger, (data) => state.adoptData(data));
    const endpoint = (profileId: string) => (refreshToken: string) =>
      requestTokenRefresh({
        fetch: fetchImpl,
        tokenUrl: options.oauth?.tokenUrl ?? DEFAULT_TOKEN_URL,
        clientId: options.oauth?.clientId ?? DEFAULT_CLIENT_ID,
        refreshToken,
        now,
        timeoutMs: options.oauth?.timeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS,
        profileId,
      });
    const auths = new ResolvedAuthCache();
    const oauth = new OAuthFreshness({
      now,
      credentialOf: (profileId, entry) => auths.credential(entry, () => credentialFromStored(profileId, entry)),
      refreshMarginMs,
      logger,
      refresh: (profileId, seen, force) =>
        refreshes.run(profileId, async () => {
          const fresh = await refreshStoredOAuth({ store, profileId, now, refreshMarginMs, force, seenAccess: seen.access, endpoint: endpoint(profileId), logger });
          state.invalidateStore();
          return fresh;
        }, { force }),
    });
    const claudeCli =
      options.claudeCli === false
        ? null
        : new ClaudeCliLink(
            createClaudeCliSource({
              env: baseEnv,
              homeDir,
              now,
              logger,
              refresh: options.claudeCli?.refresh ?? "never",
              ...(options.claudeCli?.credentialsPath === undefined ? {} : { credentialsPath: options.claudeCli.credentialsPath }),
              ...(options.claudeCli?.keychain === undefined ? {} : { keychain: options.claudeCli.keychain }),
              endpoint: endpoint(CLAUDE_CLI_PROFILE_ID),
              refreshMarginMs,
              ...(options.allowUnsafePermissions === undefined ? {} : { allowUnsafePermissions: options.allowUnsafePermissions }),
            }),
            now,
          );
    const location = { agentId, storePath: store.path, agentDir };
    const reportFailure = reportFailureTo({ state, usage, now, policyFor: (config, provider) => cooldownPolicyFor({ config, provider, overrides: options.cooldown ?? {} }), sessions });
    const pick: PickContext = {
      agentId,
      location,
      orders,
      auths,
      oauth,
      claudeCli,
      sessions,
      now,
      markPicked: (profileId) => state.markPicked(profileId, now()),
      onCredentialError: async (profileId, error) => {
        await reportFailure(profileId, error).catch((e: unknown) => logger.warn(`auth-profiles: could not record the failure of ${profileId} (${isAuthProfilesError(e) ? e.code : "error"}).`));
      },
    };
    return { store, ownsStore, state, usage, claudeCli, pick, reportFailure, agentDir };
  };

  const ready = async (): Promise<Parts> => {
    if (closed) throw new AuthProfilesError("RESOLVER_CLOSED", "This auth resolver was closed.", { hint: "Create a new resolver with createAuthResolver()." });
    parts ??= build();
    parts.catch(() => {
      parts = null; // a failed first load (bad config, say) is retried on the next call
    });
    return parts;
  };

  return {
    async resolve(request: ResolveRequest = {}): Promise<ResolvedAuth> {
      const p = await ready();
      return pickAuth(p.pick, await p.state.current(), request);
    },
    async reportSuccess(profileId: string): Promise<void> {
      const p = await ready();
      const snap = await p.state.current();
      const entry = snap.data.profiles[profileId];
      const provider = typeof entry?.provider === "string" ? entry.provider : providerOf(profileId);
      await p.usage.success(profileId, provider, snap.data.usageStats?.[profileId]);
    },
    async reportFailure(profileId: string, error: unknown) {
      const p = await ready();
      return p.reportFailure(profileId, error);
    },
    async clearCooldown(profileId: string): Promise<void> {
      const p = await ready();
      const { data } = await p.state.current();
      if (data.profiles[profileId] === undefined && data.usageStats?.[profileId] === undefined && profileId !== CLAUDE_CLI_PROFILE_ID) {
        throw noCredentialsError(profileId, p.pick.location);
      }
      await p.usage.clear(profileId);
    },
    async status() {
      const p = await ready();
      const snap = await p.state.current();
      const cli = p.claudeCli === null || !claudeCliDeclared(snap.config, snap.data.order?.["anthropic"]) ? null : await p.claudeCli.probe(snap.data.profiles[CLAUDE_CLI_PROFILE_ID]);
      return buildAuthStatus({
        agentId,
        configPath,
        storePath: p.store.path,
        config: snap.config,
        data: snap.data,
        env: snap.env,
        now: now(),
        claudeCli: cli,
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const p = parts === null ? null : await parts.catch(() => null);
      if (p === null) return;
      await p.usage.flush();
      p.state.close();
      p.claudeCli?.close();
      orders.clear();
      if (p.ownsStore) await p.store.close?.();
    },
  };
}

/**
 * Resolves auth once: `createAuthResolver(options).resolve(options)`, then closes the resolver.
 * For a bot that makes many calls, keep one resolver instead (its warm path does no I/O).
 *
 * @param options - resolver options and the request (`model`, `profileId`, `sessionId`, …)
 * @returns the credential to send, with its headers
 * @throws AuthProfilesError `NO_API_KEY`, `NO_CREDENTIALS`, `PROFILE_NOT_CONFIGURED`,
 *   `NO_AVAILABLE_PROFILE`, `OAUTH_REFRESH_FAILED`, `CLAUDE_CLI_EXPIRED`, `CONFIG_*`, `STORE_*`,
 *   `FILE_UNSAFE`
 *
 * @example
 * ```ts
 * import { resolveAuth } from "auth-profiles";
 *
 * const auth = await resolveAuth({ agentId: "main", model: "claude-sonnet-4-5" });
 * console.log(auth.profileId, auth.mode); // e.g. "anthropic:default", "api_key"
 * // auth.headers holds x-api-key, or Authorization plus the OAuth beta; auth.secret the raw value.
 * ```
 */
export async function resolveAuth(options: ResolveAuthOptions = {}): Promise<ResolvedAuth> {
  const resolver = createAuthResolver(options);
  try {
    const request: ResolveRequest = {
      ...(options.provider === undefined ? {} : { provider: options.provider }),
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.profileId === undefined ? {} : { profileId: options.profileId }),
      ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
      ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    };
    return await resolver.resolve(request);
  } finally {
    await resolver.close();
  }
}

interface Parts {
  readonly store: ProfileStore;
  readonly ownsStore: boolean;
  readonly state: ResolverState;
  readonly usage: UsageWriter;
  readonly claudeCli: ClaudeCliLink | null;
  readonly pick: PickContext;
  readonly reportFailure: (profileId: string, error: unknown) => Promise<import("./selection/types.js").FailureOutcome>;
  readonly agentDir: string | null;
}

function providerOf(profileId: string): string {
  const colon = profileId.indexOf(":");
  return colon > 0 ? profileId.slice(0, colon) : "anthropic";
}

function claudeCliDeclared(config: AuthProfilesConfig, storeOrder: readonly string[] | undefined): boolean {
  return (
    config.auth?.profiles?.[CLAUDE_CLI_PROFILE_ID] !== undefined ||
    (config.auth?.order?.["anthropic"]?.includes(CLAUDE_CLI_PROFILE_ID) ?? false) ||
    (storeOrder?.includes(CLAUDE_CLI_PROFILE_ID) ?? false)
  );
}
