import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import { createSingleFlight } from "../credentials/single-flight.js";
import { AuthProfilesError, withCommandHints } from "../model/errors.js";
import { noCredentialsError } from "./errors.js";
import { OrderCache } from "./order-cache.js";
import { buildResolverParts, claudeCliDeclared, type ResolverParts, type ResolverShared } from "./parts.js";
import { MAX_STICKY_SESSIONS, pickAuth } from "./pick.js";
import { StickySessions } from "./sessions.js";
import { pickWarm } from "./pick-warm.js";
import { providerOfProfile } from "./profile-provider.js";
import { checkProfileIdArgument, checkResolveRequest, checkResolverOptions } from "./options-schema.js";
import { resolverSettings } from "./settings.js";
import type { AuthResolver, AuthResolverOptions, ReportContext, ResolveAuthOptions, ResolvedAuth, ResolveRequest } from "./types.js";
import type { Snapshot } from "./state.js";
import { toStoredRateLimits } from "../selection/headroom.js";
import { unusableUntil } from "../selection/cooldown.js";
import { parseRateLimitHeaders } from "../selection/rate-limit-headers.js";
import { buildAuthStatus } from "../status/build.js";
import { findOtherAgentProfiles } from "../status/other-agents.js";

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
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an unsafe agent id or a wrong-typed option
 *   (e.g. `oauth.timeoutMs: "15s"`, an `oauth.tokenUrl` that is not https), at once
 *
 * @example
 * ```ts
 * const resolver = createAuthResolver({ agentId: "main" });
 * const auth = await resolver.resolve({ model: "claude-sonnet-4-6" });
 * const res = await fetch("https://api.anthropic.com/v1/messages", { method: "POST", headers: { ...auth.headers, "anthropic-version": "2023-06-01", "content-type": "application/json" }, body });
 * if (res.ok) await resolver.reportSuccess(auth.profileId!);
 * else await resolver.reportFailure(auth.profileId!, { status: res.status, headers: res.headers });
 * await resolver.close();
 * ```
 *
 * @category Resolving
 */
export function createAuthResolver(options: AuthResolverOptions = {}): AuthResolver {
  const settings = resolverSettings(checkResolverOptions("createAuthResolver", options));
  const shared: ResolverShared = { sessions: new StickySessions(MAX_STICKY_SESSIONS), orders: new OrderCache(), refreshes: createSingleFlight() };
  const { orders } = shared;
  let parts: Promise<ResolverParts> | null = null;
  /** The parts once built, for the synchronous warm path. */
  let built: ResolverParts | null = null;
  let closed = false;

  const ready = async (): Promise<ResolverParts> => {
    if (closed) throw new AuthProfilesError("RESOLVER_CLOSED", "This auth resolver was closed.", { hint: "Create a new resolver with createAuthResolver()." });
    if (parts === null) {
      const building = buildResolverParts(settings, shared);
      parts = building;
      building.then(
        (p) => {
          if (parts === building && !closed) built = p;
        },
        () => {
          if (parts === building) parts = null; // a failed first load (bad config, say) is retried on the next call
        },
      );
    }
    return parts;
  };

  const reportSuccessFully = async (profileId: string, context: ReportContext = {}): Promise<void> => {
    checkProfileIdArgument("reportSuccess", profileId);
    const p = await ready();
    const snap = await p.state.current();
    const family = p.familyOf(context.model ?? null, context.fast === true);
    const now = settings.now();
    // The answer is in: this request no longer holds room in its pair (same tick as the reading).
    p.limits.release(profileId, family, now);
    await recordLimits(p, profileId, family, context, now);
    const stats = snap.data.usageStats?.[profileId];
    await p.usage.success(profileId, providerOfProfile(snap.data, profileId), stats, family);
    // now = 0: any stored cooldown of the pair, over or not, is what this success cleared.
    if (p.emit !== null && unusableUntil(stats, 0, family) !== null) p.emit({ type: "cooldownCleared", at: now, profileId, family });
  };

  const resolveFully = async (request: ResolveRequest): Promise<ResolvedAuth> => {
    const p = await ready();
    return pickAuth(p.pick, await p.state.current(), request);
  };

  // Table hints are written with the bot's command names (and this agent) on the way out.
  const hinted = (error: unknown): never => {
    throw withCommandHints(error, options.commands, { agentId: settings.agentId });
  };
  const guard =
    <A extends unknown[], T>(fn: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> =>
      fn(...args).catch(hinted);

  const resolver: AuthResolver = {
    resolve(request?: ResolveRequest): Promise<ResolvedAuth> {
      let checked: ResolveRequest;
      try {
        checked = checkResolveRequest(request);
      } catch (error) {
        return Promise.reject(error).catch(hinted);
      }
      // Warm path: everything loaded and nothing changed, so the answer is ready without a wait
      // (an already settled promise, the same object while nothing changes).
      const snap = built?.state.peek() ?? null;
      let warm: Promise<ResolvedAuth> | null = null;
      try {
        warm = snap === null ? null : pickWarm((built as ResolverParts).pick, snap, checked);
      } catch {
        // The full path meets the same error and rejects with it, as an async call should.
      }
      return warm ?? resolveFully(checked).catch(hinted);
    },
    reportSuccess(profileId: string, context: ReportContext = {}): Promise<void> {
      // Warm path: loaded, and a success that is only batched (the common case) completes here,
      // with no await: the answer is a promise that settled long ago.
      const p = built;
      const snap = p?.state.peek() ?? null;
      if (p !== null && snap !== null && typeof profileId === "string" && profileId !== "" && typeof context === "object" && context !== null) {
        try {
          if (successNow(p, snap, profileId, context, settings.now())) return SETTLED;
        } catch {
          // The full path meets the same error and rejects with it.
        }
      }
      return reportSuccessFully(profileId, context).catch(hinted);
    },
    async reportFailure(profileId: string, error: unknown, context?: ReportContext) {
      checkProfileIdArgument("reportFailure", profileId);
      const p = await ready();
      return p.reportFailure(profileId, error, context);
    },
    async clearCooldown(profileId: string): Promise<void> {
      checkProfileIdArgument("clearCooldown", profileId);
      const p = await ready();
      const { data } = await p.state.current();
      // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
      if (!Object.hasOwn(data.profiles, profileId) && !Object.hasOwn(data.usageStats ?? {}, profileId) && profileId !== CLAUDE_CLI_PROFILE_ID) {
        throw noCredentialsError(profileId, p.pick.location);
      }
      await p.usage.clear(profileId);
      p.emit?.({ type: "cooldownCleared", at: settings.now(), profileId, family: null });
    },
    async status() {
      const p = await ready();
      const snap = await p.state.current();
      const cli = p.claudeCli === null || !claudeCliDeclared(snap.config, snap.data.order?.["anthropic"]) ? null : await p.claudeCli.probe(snap.data.profiles[CLAUDE_CLI_PROFILE_ID]);
      // The config is shared by every agent: its ids that other agents' stores hold are theirs.
      // Found on disk where this resolver found its own store, or through a store object's own
      // lookup (Redis); a custom store without one is not searched.
      const lookup = options.store?.profileIdsOfAgent?.bind(options.store);
      const storedElsewhere =
        !p.ownsStore && lookup === undefined
          ? []
          : await findOtherAgentProfiles({ agentId: settings.agentId, storePath: p.store.path, stateDir: settings.stateDir, env: settings.baseEnv, homeDir: settings.homeDir, config: snap.config, data: snap.data, allowUnsafePermissions: options.allowUnsafePermissions, profileIdsOfAgent: lookup });
      return buildAuthStatus({
        agentId: settings.agentId,
        configPath: settings.configPath,
        storePath: p.store.path,
        config: snap.config,
        data: snap.data,
        env: snap.env,
        now: settings.now(),
        claudeCli: cli,
        heldLogins: p.store.heldLogins(),
        commands: options.commands,
        cacheTtlForSubscription: options.cacheTtlForSubscription === true,
        storedElsewhere,
      });
    },
    async flush(): Promise<void> {
      const p = built ?? (parts === null ? null : await parts.catch(() => null));
      await p?.usage.flush();
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      built = null;
      const p = parts === null ? null : await parts.catch(() => null);
      if (p === null) return;
      await p.usage.flush();
      p.usage.stop();
      p.state.close();
      p.claudeCli?.close();
      orders.clear();
      // Stops the held-login retries; closes the store itself only when the resolver created it.
      await p.store.close();
    },
  };
  return {
    ...resolver,
    reportFailure: guard(resolver.reportFailure),
    clearCooldown: guard(resolver.clearCooldown),
    status: guard(resolver.status),
  };
}

/**
 * What a warm `reportSuccess` returns: a promise that settled once, shared (the middleware need
 * not track it).
 *
 * @internal
 */
export const SETTLED: Promise<void> = Promise.resolve();

/**
 * A success reported synchronously, when it needs no write now: the same steps as the full path
 * (rate-limit reading, batched `lastUsed`, `cooldownCleared` event), without an await.
 *
 * @returns `false`, having changed nothing, when the full path must run (a reading to store, a
 *   cooldown to clear)
 */
function successNow(p: ResolverParts, snap: Snapshot, profileId: string, context: ReportContext, now: number): boolean {
  const family = p.familyOf(context.model ?? null, context.fast === true);
  const reading = family === null || context.headers === undefined ? null : parseRateLimitHeaders(context.headers, now);
  // Decided before anything changes: a reading that changes what is stored, or a success that
  // clears a cooldown, needs a write, and the full path does all of it.
  if (family !== null && reading !== null && p.limits.wouldChange(profileId, family, reading, now)) return false;
  const stats = snap.data.usageStats?.[profileId];
  if (p.usage.successNeedsWrite(stats, family, now)) return false;
  p.limits.release(profileId, family, now);
  if (family !== null && reading !== null) p.limits.note(profileId, family, reading, now);
  p.usage.batchSuccess(profileId, providerOfProfile(snap.data, profileId), stats, family, now);
  if (p.emit !== null && unusableUntil(stats, 0, family) !== null) p.emit({ type: "cooldownCleared", at: now, profileId, family });
  return true;
}

/** Reads a success's rate-limit headers; stores the reading only when exhaustion starts, ends or moves. */
async function recordLimits(p: ResolverParts, profileId: string, family: string | null, context: ReportContext, now: number): Promise<void> {
  if (family === null || context.headers === undefined) return;
  const snapshot = parseRateLimitHeaders(context.headers, now);
  if (snapshot === null) return;
  const note = p.limits.note(profileId, family, snapshot, now);
  if (!note.changed) return;
  p.emit?.({ type: "limitsUpdated", at: now, profileId, family, retryAt: note.exhaustion?.until ?? null, window: note.exhaustion?.window ?? null });
  await p.usage.limits(profileId, { family, stored: toStoredRateLimits(note.exhaustion, now) });
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
 * const auth = await resolveAuth({ agentId: "main", model: "claude-sonnet-4-6" });
 * console.log(auth.profileId, auth.mode); // e.g. "anthropic:default", "api_key"
 * // auth.headers holds x-api-key, or Authorization plus the OAuth beta; auth.secret the raw value.
 * ```
 *
 * @category Resolving
 */
export async function resolveAuth(options: ResolveAuthOptions = {}): Promise<ResolvedAuth> {
  checkResolverOptions("resolveAuth", options);
  checkResolveRequest(options);
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
