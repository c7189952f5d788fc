import { isKnownCredential } from "../credentials/stored.js";
import type { Credential } from "../model/credential.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import type { ModelInfo } from "./model-info.js";
import type { LimitPair } from "./limit-book.js";
import type { RingNode } from "./order-cache.js";
import type { PickContext } from "./pick.js";
import type { Snapshot } from "./state.js";
import type { ResolvedAuth, ResolveRequest } from "./types.js";

/**
 * What the warm path keeps on a profile's node of a computed order (so for one store document and
 * config): the settled answer for the last model asked, and the profile's pick-time holder.
 *
 * @internal
 */
export interface WarmSlot {
  /** The model the answer is for (a stable object per config and model id). */
  readonly info: ModelInfo;
  /** The credential sent and the already settled promise of the resolved auth, handed out as is. */
  readonly answer: { readonly credential: Credential; readonly settled: Promise<ResolvedAuth> };
  /**
   * Until when (epoch ms, exclusive) the answer may be handed out again: forever for an API key or
   * a setup-token (the order is dropped when its entry changes), the end of an OAuth token's fresh
   * window (after it, the full freshness check runs: a background refresh, or a wait).
   */
  readonly answerUntil: number;
  /** The profile's in-process pick time, updated in place. */
  readonly picked: { at: number };
  /** The headroom pair a pick counts against (the order's family), or `null` without a family. */
  readonly pair: LimitPair | null;
}

/**
 * The warm path of a resolve, done synchronously: the profile that {@link pickAuth} would pick
 * first, when its credential is in memory and needs no wait (an API key, a setup-token, an OAuth
 * token outside its refresh margin). One clock read, no I/O, no string built; for an API key, a
 * setup-token or an OAuth token still in its fresh window, asked again for the same model, no
 * allocation either: the answer is a promise that
 * settled earlier, kept on the profile's node of the computed order, which is dropped with the
 * order whenever the store document, the config, the headroom readings or a cooldown/expiry
 * boundary changes it, so a cached answer never outlives the credential it carries.
 *
 * @remarks Returns `null`, having changed nothing, whenever the answer needs the full path: an
 * explicit `profileId`, exclusions, a credential that must be refreshed or read live (the Claude
 * Code login), or no usable profile (env fallback and errors). The caller then runs `pickAuth`,
 * which gives the same answer for every case handled here.
 *
 * @param ctx - the resolver's parts
 * @param snap - config, env and store, already loaded
 * @param request - the request
 * @returns a settled promise of the resolved auth, or `null` to take the full path
 * @internal
 */
export function pickWarm(ctx: PickContext, snap: Snapshot, request: ResolveRequest): Promise<ResolvedAuth> | null {
  if (request.profileId !== undefined || (request.exclude !== undefined && request.exclude.length > 0)) return null;
  const now = ctx.now();
  const info = ctx.models.get(snap.config, request.model);
  const family = request.fast === true ? info.fastFamily : info.family;
  const view = ctx.orders.view(snap.orderData, snap.config, request.provider ?? "anthropic", now, family, ctx.headroom, ctx.pickTimes);
  const { sessionId } = request;
  const sticky = sessionId === undefined ? undefined : ctx.sessions.get(sessionId);
  let node: RingNode | undefined = sticky === undefined ? undefined : view.node(sticky);
  if (node === undefined || node.exhausted) node = view.headNode();
  if (node === undefined) return null;
  const profileId = node.id;
  const held = node.warm !== null && node.warm.info === info ? node.warm : null;
  let slot: WarmSlot;
  if (held !== null && now < held.answerUntil) {
    slot = held;
  } else {
    const sendable = sendableNow(ctx, snap, profileId, now);
    if (sendable === null) return null;
    const entry = snap.data.profiles[profileId];
    const answerUntil = isKnownCredential(entry) && entry.type === "oauth" ? ctx.oauth.freshUntil(entry, snap.data.usageStats?.[profileId]) : Number.POSITIVE_INFINITY;
    const answer = held !== null && held.answer.credential === sendable ? held.answer : { credential: sendable, settled: ctx.auths.settled(sendable, info) };
    slot = { info, answer, answerUntil, picked: node.warm?.picked ?? ctx.pickHolder(profileId), pair: held?.pair ?? (family === null ? null : ctx.limitPair(profileId, family)) };
    node.warm = slot;
  }
  const { credential, settled } = slot.answer;
  ctx.markPickedOn(slot.picked, slot.pair, now);
  view.rotateNode(node);
  if (sessionId !== undefined) ctx.sessions.remember(sessionId, profileId);
  if (ctx.emit !== null) ctx.emit({ type: "selected", at: now, profileId, family, mode: credential.mode, source: credential.source });
  return settled;
}

function sendableNow(ctx: PickContext, snap: Snapshot, profileId: string, now: number): Credential | null {
  if (profileId === CLAUDE_CLI_PROFILE_ID && ctx.claudeCli !== null) return null;
  const entry = snap.data.profiles[profileId];
  if (!isKnownCredential(entry)) return null;
  if (entry.type === "oauth") return ctx.oauth.sendable(profileId, entry, snap.data.usageStats?.[profileId], now);
  return ctx.auths.credentialOf(profileId, entry);
}
