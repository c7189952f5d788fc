import type { StoreData } from "../model/store.js";
import { explainProfiles, type CandidateExplanation, type CandidateSource, type ProfileSelectionInput } from "./candidates.js";
import type { UnusableProfile } from "../model/failure.js";
import { storedExhaustion } from "./headroom.js";
import { checkSelectionInput } from "./arguments.js";

/**
 * Input of {@link orderProfiles}.
 *
 * @category Selection
 */
export interface OrderProfilesInput extends ProfileSelectionInput {
  /** A session's sticky profile: first when it is eligible, usable now and not exhausted. */
  readonly preferred?: string | undefined;
  /**
   * Profiles known to have no headroom left for the call's family (see `exhaustionOf`), with the
   * epoch ms of their reset: they rest until then, like a cooldown of the (profile, family) pair.
   * The store's own `rateLimits[family]` readings count too.
   */
  readonly exhausted?: ReadonlyMap<string, number> | undefined;
  /**
   * Profiles to try only after those with headroom, though usable (a unified utilization at or
   * above the threshold but below 100 %, see `Exhaustion.soft`). The store's soft readings count too.
   */
  readonly softExhausted?: ReadonlySet<string> | undefined;
  /**
   * Order among `softExhausted` profiles, lowest first (e.g. requests in flight); equal or missing
   * ranks keep the usual order. Default: the usual order.
   */
  readonly softRank?: ReadonlyMap<string, number> | undefined;
  /** The window that binds for each profile of `exhausted` (`requests`, `5h`, `in_flight`, …), when known. */
  readonly exhaustedWindows?: ReadonlyMap<string, string> | undefined;
}

/**
 * What {@link orderProfiles} returns.
 *
 * @category Selection
 */
export interface ProfileOrder {
  /** Eligible profile ids, best first; the unusable ones (cooldown / disabled) last, soonest first. */
  readonly order: readonly string[];
  /** The eligible profiles in cooldown or disabled, sorted by `remainingMs`. */
  readonly unusable: readonly UnusableProfile[];
  /** Where the candidates came from; an explicit order (`store_order`, `config_order`) is kept as written. */
  readonly source: CandidateSource;
  /**
   * The usable profiles tried after the others for the family (a soft exhaustion), in the order
   * they appear in `order`. Profiles exhausted outright are in `unusable` (with `window`).
   */
  readonly exhausted: readonly string[];
}

/** Round-robin precedence of credential types. */
const TYPE_RANK: ReadonlyMap<string, number> = new Map([
  ["oauth", 0],
  ["token", 1],
  ["api_key", 2],
]);

/**
 * Orders a provider's profiles for the next call (contract rule 2, OpenClaw's rules).
 *
 * @remarks
 * 1. Candidates: the store's `order[provider]`, else the config's `auth.order[provider]`, else the
 *    config's `auth.profiles` for the provider, else every stored profile of the provider.
 * 2. Eligible: a stored credential of the provider, of a known type, accepted by the config mode
 *    (`oauth` also accepts a `token`), not empty, and (for a `token`) not expired. Expired OAuth stays:
 *    it can be refreshed. Duplicates are dropped. {@link explainProfiles} says why a candidate is not.
 * 3. An explicit order is kept as written; otherwise `oauth`, then `token`, then `api_key`, each
 *    least recently used first (round-robin), ties in the store's (or config's) insertion order, as OpenClaw does.
 * 4. Profiles without headroom for the family (`exhausted`, or the store's `rateLimits`) rest until
 *    the reset, as if the (profile, family) pair were cooling down: they are listed in `unusable`
 *    with `reason: "rate_limit"`, the `family` and the exhausted `window`. A soft exhaustion
 *    (`softExhausted`: a utilization at or above the threshold the server still answers) goes after
 *    the profiles with headroom instead, in the same order among themselves.
 * 5. Profiles in cooldown or disabled go last, soonest available first; with a `family`, that
 *    family's cooldowns count as well as profile-wide ones.
 * 6. `preferred`, when eligible, usable and not exhausted, goes first.
 *
 * @param input - store, config, provider, `now` and an optional preferred profile
 * @returns the order, the unusable profiles and the candidate source
 *
 * @example
 * ```ts
 * const { order, unusable } = orderProfiles({ store, config, provider: "anthropic", now: Date.now() });
 * // order: ["anthropic:me@example.com", "anthropic:manual", "anthropic:default"]
 * ```
 *
 * @category Selection
 */
export function orderProfiles(input: OrderProfilesInput): ProfileOrder {
  checkSelectionInput("orderProfiles", input);
  const { source, candidates } = explainProfiles(input);
  const family = input.family ?? null;
  const stats = (id: string) => (input.store.usageStats !== undefined && Object.hasOwn(input.store.usageStats, id) ? input.store.usageStats[id] : undefined);
  const hardUntil = (id: string): number | null => {
    if (family === null) return null;
    const given = input.exhausted?.get(id);
    const stored = storedExhaustion(stats(id), family, input.now);
    const until = Math.max(given ?? Number.NEGATIVE_INFINITY, stored !== null && !stored.soft ? stored.until : Number.NEGATIVE_INFINITY);
    return until > input.now ? until : null;
  };
  const eligible = candidates.filter((candidate) => candidate.excluded === null);
  const resting = eligible.map((candidate) => restingOf(candidate, hardUntil(candidate.profileId), input, family));
  const usable = eligible.filter((_, i) => resting[i] === null);
  const unusable = resting
    .flatMap((profile) => (profile === null ? [] : [profile]))
    .sort((a, b) => a.until - b.until || compareIds(a.profileId, b.profileId));
  const explicit = source === "store_order" || source === "config_order";
  const ranked = explicit ? usable : [...usable].sort(byTypeThenLeastRecentlyUsed(input.store));
  const isSoft = (id: string): boolean => (input.softExhausted?.has(id) ?? false) || storedExhaustion(stats(id), family, input.now)?.soft === true;
  const ids = ranked.map((candidate) => candidate.profileId);
  const softIds = family === null ? [] : ids.filter(isSoft);
  const rankOf = (id: string): number => input.softRank?.get(id) ?? 0;
  const exhausted = input.softRank === undefined ? softIds : [...softIds].sort((a, b) => rankOf(a) - rankOf(b));
  const withHeadroom = exhausted.length === 0 ? ids : ids.filter((id) => !exhausted.includes(id));
  const preferred = input.preferred;
  const front = preferred !== undefined && withHeadroom.includes(preferred) ? [preferred, ...withHeadroom.filter((id) => id !== preferred)] : withHeadroom;
  return { order: [...front, ...exhausted, ...unusable.map((profile) => profile.profileId)], unusable, source, exhausted };
}

/** A candidate's rest: its cooldown or disable, or a known exhausted window, whichever ends later. */
function restingOf(candidate: CandidateExplanation, exhaustedUntil: number | null, input: OrderProfilesInput, family: string | null): UnusableProfile | null {
  const cooling = candidate.unusable;
  if (exhaustedUntil === null || family === null || (cooling !== null && cooling.until >= exhaustedUntil)) return cooling;
  const stored = input.store.usageStats?.[candidate.profileId]?.rateLimits?.[family]?.window;
  const window = input.exhaustedWindows?.get(candidate.profileId) ?? stored;
  return {
    profileId: candidate.profileId,
    provider: input.provider,
    kind: "cooldown",
    reason: "rate_limit",
    until: exhaustedUntil,
    remainingMs: exhaustedUntil - input.now,
    family,
    window: typeof window === "string" && window !== "" ? window : "requests",
  };
}

function byTypeThenLeastRecentlyUsed(store: StoreData): (a: CandidateExplanation, b: CandidateExplanation) => number {
  const lastUsed = (profileId: string): number => {
    const stats = store.usageStats !== undefined && Object.hasOwn(store.usageStats, profileId) ? store.usageStats[profileId] : undefined;
    const value = stats?.lastUsed;
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  };
  return (a, b) =>
    // Ties keep the candidate order (the store's or config's insertion order), as OpenClaw does: the sort is stable.
    rank(a.type) - rank(b.type) || lastUsed(a.profileId) - lastUsed(b.profileId);
}

function rank(type: string | null): number {
  return (type === null ? undefined : TYPE_RANK.get(type)) ?? TYPE_RANK.size;
}

/** Code-unit order, independent of the host's locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
