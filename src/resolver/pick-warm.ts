import { isKnownCredential } from "../credentials/stored.js";
import type { Credential } from "../model/credential.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import { rememberSession, type PickContext } from "./pick.js";
import type { Snapshot } from "./state.js";
import type { ResolvedAuth, ResolveRequest } from "./types.js";

/**
 * The warm path of a resolve, done synchronously: the profile that {@link pickAuth} would pick
 * first, when its credential is in memory and needs no wait (an API key, a setup-token, an OAuth
 * token outside its refresh margin). One clock read, no I/O, no promise, no string built.
 *
 * @remarks Returns `null`, having changed nothing, whenever the answer needs the full path: an
 * explicit `profileId`, exclusions, a credential that must be refreshed or read live (the Claude
 * Code login), or no usable profile (env fallback and errors). The caller then runs `pickAuth`,
 * which gives the same answer for every case handled here.
 *
 * @param ctx - the resolver's parts
 * @param snap - config, env and store, already loaded
 * @param request - the request
 * @returns the resolved auth, or `null` to take the full path
 * @internal
 */
export function pickWarm(ctx: PickContext, snap: Snapshot, request: ResolveRequest): ResolvedAuth | null {
  if (request.profileId !== undefined || (request.exclude !== undefined && request.exclude.length > 0)) return null;
  const provider = request.provider ?? "anthropic";
  const now = ctx.now();
  const info = ctx.models.get(snap.config, request.model);
  const view = ctx.orders.view(snap.orderData, snap.config, provider, now, request.fast === true ? info.fastFamily : info.family, ctx.headroom);
  const { sessionId } = request;
  const sticky = sessionId === undefined ? undefined : ctx.sessions.get(sessionId);
  const profileId = sticky !== undefined && view.usableIds.has(sticky) && !view.exhaustedIds.has(sticky) ? sticky : view.head();
  if (profileId === undefined) return null;
  const credential = sendableNow(ctx, snap, profileId, now);
  if (credential === null) return null;
  ctx.markPicked(profileId, now, request.fast === true ? info.fastFamily : info.family);
  view.rotate(profileId);
  if (sessionId !== undefined) rememberSession(ctx.sessions, sessionId, profileId);
  if (ctx.emit !== null) ctx.emit({ type: "selected", at: now, profileId, family: request.fast === true ? info.fastFamily : info.family, mode: credential.mode, source: credential.source });
  return ctx.auths.resolved(credential, info);
}

function sendableNow(ctx: PickContext, snap: Snapshot, profileId: string, now: number): Credential | null {
  if (profileId === CLAUDE_CLI_PROFILE_ID && ctx.claudeCli !== null) return null;
  const entry = snap.data.profiles[profileId];
  if (!isKnownCredential(entry)) return null;
  if (entry.type === "oauth") return ctx.oauth.sendable(profileId, entry, snap.data.usageStats?.[profileId], now);
  return ctx.auths.credentialOf(profileId, entry);
}
