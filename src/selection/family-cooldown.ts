// Cooldowns of one (profile, model family) pair, and their mirror in OpenClaw's single
// `cooldownUntil` / `cooldownReason` / `cooldownModel` slot.
//
// The slot belongs to a profile-wide cooldown when there is one (no `cooldownModel`). Otherwise it
// mirrors the family cooldown that ends last, with `cooldownModel` set to the model that failed:
// OpenClaw (≥ 2026.3) then reads it as "in cooldown for that model only", which is what it means.
import type { FamilyCooldown, UsageStats } from "../model/store.js";
import { modelFamilyOf } from "./model-family.js";

/** A family cooldown in force. @internal */
export interface ActiveFamilyCooldown {
  /** Epoch ms. */
  readonly until: number;
  /** Its reason as stored. */
  readonly reason: string;
}

/**
 * The profile-wide cooldown: `cooldownUntil` when no `cooldownModel` scopes it.
 *
 * @param stats - a profile's usage stats
 * @returns epoch ms, or `-Infinity` when there is none
 * @internal
 */
export function profileCooldownUntil(stats: UsageStats | undefined): number {
  if (isScoped(stats)) return Number.NEGATIVE_INFINITY;
  return time(stats?.cooldownUntil);
}

/**
 * The cooldown of one family on a profile: its own entry, or OpenClaw's slot scoped to a model of
 * that family (the later of the two).
 *
 * @param stats - a profile's usage stats
 * @param family - the family, or `null` (then there is none)
 * @param now - epoch ms
 * @returns the cooldown in force, or `null`
 * @internal
 */
export function familyCooldownOf(stats: UsageStats | undefined, family: string | null, now: number): ActiveFamilyCooldown | null {
  if (family === null || stats === undefined) return null;
  let best: ActiveFamilyCooldown | null = null;
  const own = entry(stats, family);
  if (own !== null && own.until > now) best = { until: own.until, reason: own.reason };
  if (isScoped(stats) && modelFamilyOf(stats.cooldownModel) === family) {
    const until = time(stats.cooldownUntil);
    if (until > now && (best === null || until > best.until)) best = { until, reason: String(stats.cooldownReason ?? "rate_limit") };
  }
  return best;
}

/**
 * Every family cooldown in force on a profile (for the status report).
 *
 * @param stats - a profile's usage stats
 * @param now - epoch ms
 * @returns family → cooldown, latest first
 * @internal
 */
export function activeFamilyCooldowns(stats: UsageStats | undefined, now: number): readonly (readonly [string, ActiveFamilyCooldown])[] {
  if (stats === undefined) return [];
  const families = new Set(Object.keys(familyEntries(stats)));
  if (isScoped(stats)) {
    const family = modelFamilyOf(stats.cooldownModel);
    if (family !== null) families.add(family);
  }
  const out: [string, ActiveFamilyCooldown][] = [];
  for (const family of families) {
    const active = familyCooldownOf(stats, family, now);
    if (active !== null) out.push([family, active]);
  }
  return out.sort((a, b) => b[1].until - a[1].until);
}

/**
 * The ladder position of a family: its failures in the current window.
 *
 * @param stats - a profile's usage stats
 * @param family - the family
 * @returns the count (0 when none)
 * @internal
 */
export function familyFailureCount(stats: UsageStats | undefined, family: string): number {
  const count = stats === undefined ? undefined : entry(stats, family)?.count;
  return typeof count === "number" && Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

/**
 * Sets a family cooldown (never shortening one in force) and re-mirrors OpenClaw's slot.
 *
 * @param stats - usage stats (not mutated)
 * @param family - the family
 * @param next - until, reason, model and ladder count
 * @param now - epoch ms
 * @returns the new stats
 * @internal
 */
export function withFamilyCooldown(stats: UsageStats, family: string, next: FamilyCooldown, now: number): UsageStats {
  const existing = entry(stats, family);
  const until = existing !== null && existing.until > next.until ? existing.until : next.until;
  const reason = existing !== null && existing.until > next.until ? existing.reason : next.reason;
  const updated: FamilyCooldown = { ...next, until, reason };
  return mirrorSlot({ ...stats, familyCooldowns: { ...familyEntries(stats), [family]: updated } }, now);
}

/**
 * Removes one family's cooldown (a success of that family) and re-mirrors OpenClaw's slot; other
 * families keep theirs.
 *
 * @param stats - usage stats (not mutated)
 * @param family - the family that succeeded, or `null`
 * @param now - epoch ms
 * @returns the new stats
 * @internal
 */
export function withoutFamilyCooldown(stats: UsageStats, family: string | null, now: number): UsageStats {
  const entries = { ...familyEntries(stats) };
  if (family !== null) delete entries[family];
  let next: UsageStats = omit(stats, ["familyCooldowns"]);
  if (Object.keys(entries).length > 0) next = { ...next, familyCooldowns: entries };
  // A scoped slot of the family that succeeded is over, whoever wrote it.
  if (isScoped(next) && family !== null && modelFamilyOf(next.cooldownModel) === family) next = omit(next, SLOT);
  return mirrorSlot(next, now);
}

/**
 * Re-derives OpenClaw's slot: left alone while it holds a profile-wide cooldown; otherwise the
 * family cooldown in force that ends last, or nothing.
 *
 * @param stats - usage stats (not mutated)
 * @param now - epoch ms
 * @returns the new stats
 * @internal
 */
export function mirrorSlot(stats: UsageStats, now: number): UsageStats {
  if (stats.cooldownUntil !== undefined && !isScoped(stats) && time(stats.cooldownUntil) > now) return stats;
  let imported = stats;
  // A scoped slot OpenClaw wrote (no entry of ours yet) becomes a family entry, so it survives.
  if (isScoped(stats) && time(stats.cooldownUntil) > now) {
    const family = modelFamilyOf(stats.cooldownModel);
    const own = family === null ? null : entry(stats, family);
    if (family !== null && (own === null || own.until < time(stats.cooldownUntil))) {
      const carried: FamilyCooldown = { until: time(stats.cooldownUntil), reason: String(stats.cooldownReason ?? "rate_limit"), model: String(stats.cooldownModel) };
      imported = { ...stats, familyCooldowns: { ...familyEntries(stats), [family]: { ...own, ...carried } } };
    }
  }
  const latest = Object.values(familyEntries(imported))
    .filter((e) => e.until > now)
    .sort((a, b) => b.until - a.until)[0];
  const cleared = omit(imported, SLOT);
  if (latest === undefined) return isScoped(imported) ? cleared : imported;
  return {
    ...cleared,
    cooldownUntil: latest.until,
    cooldownReason: latest.reason as NonNullable<UsageStats["cooldownReason"]>,
    ...(latest.model === undefined ? {} : { cooldownModel: latest.model }),
  };
}

const SLOT = ["cooldownUntil", "cooldownReason", "cooldownModel"] as const;

function isScoped(stats: UsageStats | undefined): stats is UsageStats & { cooldownModel: string } {
  return typeof stats?.cooldownModel === "string" && stats.cooldownModel !== "";
}

/** The well-formed family entries (a hand-edited bad one is ignored, not fatal). */
function familyEntries(stats: UsageStats): Record<string, FamilyCooldown> {
  const raw: unknown = stats.familyCooldowns;
  if (typeof raw !== "object" || raw === null) return {};
  const out: Record<string, FamilyCooldown> = {};
  for (const [family, value] of Object.entries(raw as Record<string, unknown>)) {
    const e = value as Partial<FamilyCooldown> | null;
    if (typeof e === "object" && e !== null && typeof e.until === "number" && Number.isFinite(e.until) && typeof e.reason === "string") {
      out[family] = e as FamilyCooldown;
    }
  }
  return out;
}

function entry(stats: UsageStats, family: string): FamilyCooldown | null {
  const entries = familyEntries(stats);
  return Object.hasOwn(entries, family) ? (entries[family] ?? null) : null;
}

function time(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : Number.NEGATIVE_INFINITY;
}

function omit(stats: UsageStats, keys: readonly string[]): UsageStats {
  return Object.fromEntries(Object.entries(stats).filter(([key]) => !keys.includes(key))) as UsageStats;
}
