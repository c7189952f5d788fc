import type { Clock } from "../model/clock.js";
import type { ProfileMeta } from "../config/types.js";
import { fromEnv } from "../credentials/env.js";
import { credentialInvalidError, isKnownCredential } from "../credentials/stored.js";
import { headerValueProblem, sentSecretOf } from "../model/header-value.js";
import { explainProfiles, modeAccepts } from "../selection/candidates.js";
import type { Credential } from "../model/credential.js";
import { isAuthProfilesError, NoAvailableProfileError, formatEpochMs } from "../model/errors.js";
import { CLAUDE_CLI_PROFILE_ID, entryServesProvider, isOpenClawClaudeCliEntry } from "../model/ids.js";
import { tokenExpiryState } from "../model/token-expiry.js";
import type { ClaudeCliLink } from "./claude-cli-link.js";
import type { LimitPair } from "./limit-book.js";
import { noApiKeyError, noCredentialsError, profileNotConfiguredError, type AuthLocation } from "./errors.js";
import type { ModelInfoCache } from "./model-info.js";
import type { OAuthFreshness } from "./oauth-freshness.js";
import type { HeadroomView, OrderCache } from "./order-cache.js";
import type { AuthEventListener } from "../model/events.js";
import type { ResolvedAuthCache } from "./resolved-auth.js";
import type { StickySessions } from "./sessions.js";
import type { Snapshot } from "./state.js";
import { secretRefErrorOf } from "./secret-refs.js";
import { keptProfile } from "../store/kept-entries.js";
import type { ResolvedAuth, ResolveRequest } from "./types.js";

/** Sticky sessions remembered at most; the least recently picked are forgotten first. @internal */
export const MAX_STICKY_SESSIONS = 10_000;

/** Error codes after which the next profile is tried instead of failing the resolve. */
const SKIPPABLE = new Set(["OAUTH_REFRESH_FAILED", "CLAUDE_CLI_EXPIRED", "CLAUDE_CLI_INVALID", "CREDENTIAL_INVALID"]);
/** Skipped without a cooldown: waiting does not fix a stored value that cannot be sent. */
const NOT_COOLED = new Set(["CREDENTIAL_INVALID"]);

/** Everything a pick needs besides the snapshot. @internal */
export interface PickContext {
  /** The agent. */
  readonly agentId: string;
  /** Where its auth lives, for messages. */
  readonly location: AuthLocation;
  /** Cached orders. */
  readonly orders: OrderCache;
  /** OAuth freshness policy. */
  readonly oauth: OAuthFreshness;
  /** The Claude Code login, or `null` when disabled. */
  readonly claudeCli: ClaudeCliLink | null;
  /** Session id → sticky profile id. */
  readonly sessions: StickySessions;
  /** Clock. */
  readonly now: Clock;
  /** Shares resolved auth objects between calls. */
  readonly auths: ResolvedAuthCache;
  /** What each requested model id means (model, configured TTL). */
  readonly models: ModelInfoCache;
  /**
   * Records an in-process pick at `now` (epoch ms); with a family, it counts as in flight for the
   * pair.
   */
  readonly markPicked: (profileId: string, now: number, family?: string | null) => void;
  /** In-process picks (profile id, epoch ms), for computing orders. */
  readonly pickTimes: () => Iterable<readonly [string, number]>;
  /** The holder of a profile's in-process pick time (the same object for the resolver's life). */
  readonly pickHolder: (profileId: string) => { at: number };
  /** The headroom book's pair for a profile and family (the same object until it is forgotten). */
  readonly limitPair: (profileId: string, family: string) => LimitPair;
  /**
   * {@link PickContext.markPicked} with both lookups done earlier: the pick-time holder and, when
   * the call has a family, the pair the request counts against.
   */
  readonly markPickedOn: (holder: { at: number }, pair: LimitPair | null, now: number) => void;
  /** Cools a profile down after a failed refresh; never throws. */
  readonly onCredentialError: (profileId: string, error: unknown) => Promise<void>;
  /** Headroom readings per (profile, family). */
  readonly headroom: HeadroomView;
  /** The `onEvent` listener (never throws), or `null`. */
  readonly emit: AuthEventListener | null;
  /** Half-open probes: profile id → epoch ms of its last probe; `null` when half-open is off. */
  readonly probes: Map<string, number> | null;
}

/** A cooling or disabled profile is probed (half-open) at most once in this long: 30 s. */
export const HALF_OPEN_INTERVAL_MS = 30_000;

/**
 * Resolution rules 1, 2 and 4: an explicit profile or nothing; else the first usable profile in
 * order (session stickiness first); else env; else `NO_API_KEY`.
 *
 * @param ctx - the resolver's parts
 * @param snap - config, env and store
 * @param request - the request
 * @returns the resolved auth
 * @internal
 */
export async function pickAuth(ctx: PickContext, snap: Snapshot, request: ResolveRequest): Promise<ResolvedAuth> {
  const provider = request.provider ?? "anthropic";
  const info = ctx.models.get(snap.config, request.model);
  const finish = (credential: Credential): ResolvedAuth => ctx.auths.resolved(credential, info);

  if (request.profileId !== undefined) return finish(await explicitCredential(ctx, snap, provider, request.profileId));

  const family = request.fast === true ? info.fastFamily : info.family;
  const view = ctx.orders.view(snap.orderData, snap.config, provider, ctx.now(), family, ctx.headroom, ctx.pickTimes);
  const exclude = request.exclude === undefined || request.exclude.length === 0 ? null : new Set(request.exclude);
  const sticky = request.sessionId === undefined ? undefined : ctx.sessions.get(request.sessionId);
  const tried: unknown[] = [];

  const attempt = async (profileId: string): Promise<ResolvedAuth | null> => {
    // Rotate before awaiting, so that resolves started in the same tick spread over the profiles.
    ctx.markPicked(profileId, ctx.now(), family);
    ctx.orders.rotate(provider, profileId, family);
    try {
      const credential = await storedCredential(ctx, snap, profileId);
      if (request.sessionId !== undefined) ctx.sessions.remember(request.sessionId, profileId);
      ctx.emit?.({ type: "selected", at: ctx.now(), profileId, family, mode: credential.mode, source: credential.source });
      return finish(credential);
    } catch (error) {
      if (!isAuthProfilesError(error) || !SKIPPABLE.has(error.code)) throw error;
      tried.push(error);
      if (!NOT_COOLED.has(error.code)) await ctx.onCredentialError(profileId, error);
      return null;
    }
  };

  // A sticky session keeps its profile unless that profile has no headroom left for the family.
  if (sticky !== undefined && view.usableIds.has(sticky) && !view.exhaustedIds.has(sticky) && exclude?.has(sticky) !== true) {
    const auth = await attempt(sticky);
    if (auth !== null) return auth;
  }
  // Fast path: the first eligible profile. Only when it fails is the rest of the order copied.
  const eligible = (id: string): boolean => id !== sticky && exclude?.has(id) !== true;
  const first = view.first(eligible);
  if (first !== undefined) {
    const auth = await attempt(first);
    if (auth !== null) return auth;
    for (const id of view.list((id) => id !== first && eligible(id))) {
      const next = await attempt(id);
      if (next !== null) return next;
    }
  }

  if (tried.length > 0) throw tried[0];
  const unusable = view.unusable.filter((u) => u.until > ctx.now());
  const probe = halfOpenCandidate(ctx, unusable, exclude);
  if (probe !== null) {
    const auth = await attempt(probe);
    if (auth !== null) return auth;
  }
  if (unusable.length > 0 || (view.usableIds.size > 0 && exclude !== null)) {
    throw new NoAvailableProfileError(provider, unusable, { details: { agentId: ctx.agentId, storePath: ctx.location.storePath } });
  }
  const env = fromEnv(snap.env, provider);
  if (env !== null) return finish(env.credential);
  // Only on this failure path: name a profile that was skipped because its secret cannot be sent,
  // rather than claiming there is no key at all.
  throw unsendableProfileError(snap, provider, ctx.now()) ?? noApiKeyError(provider, ctx.location);
}

/**
 * Half-open recovery: when nothing else is usable, the cooling or disabled profile whose window
 * ends soonest (not one resting on a window the headers said is used up) gets one real request (at most one per {@link HALF_OPEN_INTERVAL_MS}); its success
 * clears its state, its failure extends the cooldown as usual.
 */
function halfOpenCandidate(ctx: PickContext, unusable: readonly { readonly profileId: string; readonly window?: string }[], exclude: ReadonlySet<string> | null): string | null {
  if (ctx.probes === null) return null;
  const now = ctx.now();
  // A window the server said is used up until its reset cannot answer a probe before then.
  const next = unusable.find((u) => u.window === undefined && exclude?.has(u.profileId) !== true);
  if (next === undefined) return null;
  const last = ctx.probes.get(next.profileId);
  if (last !== undefined && now - last < HALF_OPEN_INTERVAL_MS) return null;
  ctx.probes.set(next.profileId, now);
  return next.profileId;
}

async function storedCredential(ctx: PickContext, snap: Snapshot, profileId: string): Promise<Credential> {
  const entry = snap.data.profiles[profileId];
  if (profileId === CLAUDE_CLI_PROFILE_ID && ctx.claudeCli !== null) {
    return ctx.claudeCli.credential(isKnownCredential(entry) ? entry : undefined);
  }
  if (!isKnownCredential(entry)) throw noCredentialsError(profileId, ctx.location);
  // OpenClaw 2026.4's own Claude CLI entry is sent as stored and never refreshed: a refresh would
  // rewrite an entry OpenClaw owns (and log Claude Code out).
  if (entry.type === "oauth" && !isOpenClawClaudeCliEntry(profileId, entry)) return ctx.oauth.credential(profileId, entry, snap.data.usageStats?.[profileId]);
  return ctx.auths.credentialOf(profileId, entry);
}

async function explicitCredential(ctx: PickContext, snap: Snapshot, provider: string, profileId: string): Promise<Credential> {
  const meta: ProfileMeta | undefined = snap.config.auth?.profiles?.[profileId];
  if (meta !== undefined && !entryServesProvider(profileId, meta.provider, provider)) {
    throw profileNotConfiguredError(profileId, provider, `the config declares it for provider "${meta.provider}"`);
  }
  const entry = snap.data.profiles[profileId];
  const isCli = profileId === CLAUDE_CLI_PROFILE_ID && ctx.claudeCli !== null;
  if (entry === undefined && !isCli) throw secretRefErrorOf(keptProfile(snap.data, profileId)) ?? noCredentialsError(profileId, ctx.location);
  if (entry !== undefined && !isKnownCredential(entry)) {
    throw profileNotConfiguredError(profileId, provider, `its stored type "${String(entry.type)}" is not supported`);
  }
  if (entry !== undefined && !entryServesProvider(profileId, entry.provider, provider)) {
    throw profileNotConfiguredError(profileId, provider, `it is stored for provider "${entry.provider}"`);
  }
  if (entry !== undefined && meta !== undefined && !modeAccepts(meta.mode, entry.type)) {
    throw profileNotConfiguredError(profileId, provider, `the config mode "${meta.mode}" does not accept a stored "${entry.type}" credential`);
  }
  const expiry = entry?.type === "token" ? tokenExpiryState(entry.expires, ctx.now()) : "none";
  if (expiry === "expired") {
    throw noCredentialsError(profileId, ctx.location, `Its setup-token expired on ${formatEpochMs((entry as { expires: number }).expires)}; paste a new setup-token.`);
  }
  if (expiry === "invalid") {
    throw noCredentialsError(profileId, ctx.location, `Its setup-token has an unusable "expires" (0, negative or not a time), which OpenClaw 2026.3+ refuses too; paste the setup-token again.`);
  }
  const credential = await storedCredential(ctx, snap, profileId);
  ctx.markPicked(profileId, ctx.now());
  return credential;
}

function unsendableProfileError(snap: Snapshot, provider: string, now: number): Error | null {
  const { candidates } = explainProfiles({ store: snap.orderData, config: snap.config, provider, now });
  // A profile whose secret reference could not be read: its error names the reference and the fix.
  for (const candidate of candidates) {
    const refError = candidate.excluded === "unreadable" ? secretRefErrorOf(keptProfile(snap.data, candidate.profileId)) : undefined;
    if (refError !== undefined) return refError;
  }
  const invalid = candidates.find((candidate) => candidate.excluded === "invalid");
  const entry = invalid === undefined ? undefined : snap.data.profiles[invalid.profileId];
  if (invalid === undefined || !isKnownCredential(entry)) return null;
  return credentialInvalidError(invalid.profileId, entry.type, headerValueProblem(sentSecretOf(entry)) ?? "cannot be sent");
}
