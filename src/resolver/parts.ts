import type { AuthProfilesConfig } from "../config/types.js";
import { agentStoreLocation } from "../config/agent-location.js";
import { createClaudeCliSource } from "../credentials/claude-cli/login.js";
import { refreshStoredOAuth } from "../credentials/oauth/refresh.js";
import type { SingleFlight } from "../credentials/single-flight.js";
import { DEFAULT_CLIENT_ID, DEFAULT_REFRESH_TIMEOUT_MS, DEFAULT_TOKEN_URL, requestTokenRefresh } from "../credentials/oauth/token-endpoint.js";
import { isAuthProfilesError } from "../model/errors.js";
import { cooldownPolicyFor } from "../selection/policy.js";
import type { FailureOutcome } from "../model/failure.js";
import { openAgentStore } from "../sqlite/agent-store.js";
import { openclawVersionOf } from "../config/openclaw-version.js";
import { watchFileChanges } from "../io/file-watch.js";
import type { OAuthProfile, ProfileStore, StoredCredential } from "../model/store.js";
import { modelFamilyOf } from "../selection/model-family.js";
import { withHeldLogins, type HeldLoginsStore } from "../store/held-logins.js";
import { LimitBook } from "./limit-book.js";
import { safeEmitter, type AuthEventListener } from "../model/events.js";
import type { ReportContext } from "./types.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import { ClaudeCliLink } from "./claude-cli-link.js";
import { ModelInfoCache } from "./model-info.js";
import { withClaudeCliPlaceholder } from "../model/claude-cli-placeholder.js";
import { OAuthFreshness } from "./oauth-freshness.js";
import type { HeadroomView, OrderCache } from "./order-cache.js";
import type { PickContext } from "./pick.js";
import { reportFailureTo } from "./report-failure.js";
import { ResolvedAuthCache } from "./resolved-auth.js";
import type { ResolverSettings } from "./settings.js";
import { ResolverState, type LoadedConfig } from "./state.js";
import { SecretRefResolution } from "./secret-refs.js";
import type { StickySessions } from "./sessions.js";
import { UsageWriter } from "./usage-writer.js";

/** What a resolver works with once its store is known. @internal */
export interface ResolverParts {
  /** The profile store, with refreshed logins it could not save held over it. */
  readonly store: HeldLoginsStore;
  /** Whether the resolver created the store (and closes it). */
  readonly ownsStore: boolean;
  /** Cached config and store. */
  readonly state: ResolverState;
  /** Writes usage outcomes. */
  readonly usage: UsageWriter;
  /** The Claude Code login, or `null`. */
  readonly claudeCli: ClaudeCliLink | null;
  /** What `pickAuth` needs. */
  readonly pick: PickContext;
  /** `reportFailure`. */
  readonly reportFailure: (profileId: string, error: unknown, context?: ReportContext) => Promise<FailureOutcome>;
  /** The rate-limit family of a model id. */
  readonly familyOf: (model: string | null, fast: boolean) => string | null;
  /** Headroom readings per (profile, family). */
  readonly limits: LimitBook;
  /** The `onEvent` listener (never throws), or `null`. */
  readonly emit: AuthEventListener | null;
}

/** State that lives as long as the resolver, across rebuilds of its parts. @internal */
export interface ResolverShared {
  /** Session id → sticky profile id. */
  readonly sessions: StickySessions;
  /** Cached orders. */
  readonly orders: OrderCache;
  /** One OAuth refresh per profile at a time. */
  readonly refreshes: SingleFlight<string, StoredCredential>;
}

/**
 * Builds a resolver's parts on first use: the store path can depend on the config
 * (`agents.list[].agentDir`), so the config is read first.
 *
 * @param settings - the resolver's settings
 * @param shared - state that outlives a failed build
 * @returns the parts
 * @throws AuthProfilesError `CONFIG_*` from the config, `INVALID_ARGUMENT` for bad options
 * @internal
 */
export async function buildResolverParts(settings: ResolverSettings, shared: ResolverShared): Promise<ResolverParts> {
  const { sessions, orders, refreshes } = shared;
  const { options, now, logger, baseEnv, homeDir, agentId, stateDir, configPath, refreshMarginMs, readConfig } = settings;
  const first = await readConfig();
  const located = options.store !== undefined && options.agentDir === undefined ? null : agentStoreLocation({ stateDir, agentId, env: baseEnv, config: first.config, homeDir, agentDir: options.agentDir });
  const agentDir = located?.agentDir ?? null;
  const ownsStore = options.store === undefined;
  const openclawVersion = openclawVersionOf(first.config);
  const raw: ProfileStore =
    options.store ??
    openAgentStore({
      storePath: (located as NonNullable<typeof located>).storePath,
      ...(options.allowUnsafePermissions === undefined ? {} : { allowUnsafePermissions: options.allowUnsafePermissions }),
      ...(openclawVersion === undefined ? {} : { openclawVersion }),
    });
  // Every read and update goes through the held logins: a rotated OAuth pair the store could not
  // save is laid over what the store holds, so the spent refresh token is never sent again.
  const store = withHeldLogins(raw, { journalPath: raw.refreshJournalPath ?? null, logger, closeInner: ownsStore });
  const secretRefs = new SecretRefResolution({
    storeFile: store.path,
    homeDir,
    options: options.secretRefs,
    allowUnsafePermissions: options.allowUnsafePermissions,
  });
  let loadedOnce: LoadedConfig | null = first;
  const state = new ResolverState({
    loadConfig: async () => {
      const loaded = loadedOnce ?? (await readConfig());
      loadedOnce = null;
      return loaded;
    },
    watchConfig: configPath === null ? null : (onChange) => watchFileChanges(configPath, onChange),
    store,
    overlay: (data) => usage.overlay(data),
    secretRefs,
    orderData: (data, config) => (options.claudeCli !== false && claudeCliDeclared(config, data.order?.["anthropic"]) ? withClaudeCliPlaceholder(data) : data),
  });
  const usage: UsageWriter = new UsageWriter({
    store,
    now,
    logger,
    adopt: (data) => state.adoptData(data),
    adoptUsage: (data, moved) => void state.adoptUsage(data, moved),
    current: async () => (await state.current()).data,
    pendingChanged: () => state.overlayChanged(),
  });
  const endpoint = (profileId: string) => (refreshToken: string) =>
    requestTokenRefresh({
      fetch: settings.fetch,
      tokenUrl: options.oauth?.tokenUrl ?? DEFAULT_TOKEN_URL,
      clientId: options.oauth?.clientId ?? DEFAULT_CLIENT_ID,
      refreshToken,
      now,
      timeoutMs: options.oauth?.timeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS,
      profileId,
    });
  const auths = new ResolvedAuthCache(options.cacheTtlForSubscription === true);
  const emit = safeEmitter(options.onEvent, (error) => logger.warn(`auth-profiles: an onEvent listener threw (${error instanceof Error ? error.name : "error"}); ignored.`));
  const refreshEvent = (profileId: string, phase: "started" | "succeeded" | "failed"): void => emit?.({ type: "refresh", phase, at: now(), profileId, family: null });
  const oauth = new OAuthFreshness({
    now,
    credentialOf: (profileId, entry) => auths.credentialOf(profileId, entry),
    refreshMarginMs,
    logger,
    refresh: (profileId, seen, force) =>
      refreshes.run(profileId, async () => {
        refreshEvent(profileId, "started");
        let held = false;
        const onHeld = (entry: OAuthProfile): void => {
          held = true;
          state.adoptProfile(profileId, entry);
        };
        const fresh = await refreshStoredOAuth({ store, profileId, now, refreshMarginMs, force, seenAccess: seen.access, endpoint: endpoint(profileId), logger, onHeld }).catch((error: unknown) => {
          refreshEvent(profileId, "failed");
          throw error;
        });
        refreshEvent(profileId, "succeeded");
        // Saved: re-read. Held: the cached document already carries it, and the store may be down.
        if (!held) state.invalidateStore();
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
  const rules = options.modelFamilies;
  const families = [new Map<string | null, string | null>(), new Map<string | null, string | null>()] as const;
  const familyOf = (model: string | null, fast: boolean): string | null => {
    const known = families[fast ? 1 : 0];
    let family = known.get(model);
    if (family === undefined) {
      family = modelFamilyOf(model, { rules, fast });
      if (known.size >= 256) known.clear(); // a bot uses a handful of models
      known.set(model, family);
    }
    return family;
  };
  const limits = new LimitBook(options.utilizationThreshold);
  // The book is the view orders are computed with (its getters and methods, no wrapper in between).
  const headroom: HeadroomView = limits;
  const policyFor = (config: AuthProfilesConfig, provider: string) => cooldownPolicyFor({ config, provider, overrides: options.cooldown ?? {} });
  const reportFailure = reportFailureTo({ state, usage, now, policyFor, sessions, familyOf, limits, emit });
  const pick: PickContext = {
    agentId,
    location,
    orders,
    auths,
    oauth,
    claudeCli,
    sessions,
    now,
    models: new ModelInfoCache(agentId, familyOf),
    headroom,
    probes: options.halfOpen === false ? null : new Map(),
    emit,
    markPicked: (profileId, at, family = null) => {
      state.markPicked(profileId, at);
      limits.reserve(profileId, family, at);
    },
    pickHolder: (profileId) => state.pickHolder(profileId),
    limitPair: (profileId, family) => limits.pair(profileId, family),
    markPickedOn: (holder, pair, at) => {
      state.markPickedOn(holder, at);
      if (pair !== null) limits.reserveOn(pair, at);
    },
    pickTimes: () => state.pickTimes(),
    onCredentialError: async (profileId, error) => {
      await reportFailure(profileId, error).catch((e: unknown) => logger.warn(`auth-profiles: could not record the failure of ${profileId} (${isAuthProfilesError(e) ? e.code : "error"}).`));
    },
  };
  return { store, ownsStore, state, usage, claudeCli, pick, reportFailure, familyOf, limits, emit };
}

/**
 * Whether the config or the store order names the Claude Code login profile.
 *
 * @param config - the config
 * @param storeOrder - the store's `order.anthropic`
 * @returns `true` when `anthropic:claude-cli` is declared
 * @internal
 */
export function claudeCliDeclared(config: AuthProfilesConfig, storeOrder: readonly string[] | undefined): boolean {
  return (
    config.auth?.profiles?.[CLAUDE_CLI_PROFILE_ID] !== undefined ||
    (config.auth?.order?.["anthropic"]?.includes(CLAUDE_CLI_PROFILE_ID) ?? false) ||
    (storeOrder?.includes(CLAUDE_CLI_PROFILE_ID) ?? false)
  );
}
