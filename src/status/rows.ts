import type { AuthProfilesConfig } from "../config/types.js";
import type { CredentialMode } from "../model/credential.js";
import { redactText } from "../model/redact.js";
import type { CandidateExplanation, CandidateSource } from "../selection/candidates.js";
import { explainProfiles } from "../selection/candidates.js";
import { orderProfiles } from "../selection/order.js";
import { describeUnusable } from "../selection/cooldown.js";
import { activeFamilyCooldowns } from "../selection/family-cooldown.js";
import type { UnusableProfile } from "../model/failure.js";
import type { StoreData, StoredCredential, UnknownProfile } from "../model/store.js";
import { claudeCliRow } from "./claude-cli-row.js";
import { expiryStatus, storedExpiry } from "./expiry.js";
import { maskStored } from "./labels.js";
import type { ClaudeCliReading, ProfileState, ProfileRow } from "./types.js";

/** Input of {@link providerRows}. @internal */
export interface ProviderRowsInput {
  /** The provider (normalised: trimmed, lower case). */
  readonly provider: string;
  /** The store document, with the Claude Code placeholder when that login is declared. */
  readonly data: StoreData;
  /** The config. */
  readonly config: AuthProfilesConfig;
  /** Epoch ms. */
  readonly now: number;
  /** The Claude Code profile id and its reading, or `null` when it is not declared for this provider. */
  readonly claudeCli: { readonly profileId: string; readonly reading: ClaudeCliReading } | null;
}

/** What {@link providerRows} returns. @internal */
export interface ProviderRows {
  /** Every row: eligible ones in resolution order, then excluded candidates, then ignored profiles. */
  readonly rows: readonly ProfileRow[];
  /** How many rows are eligible (the first ones). */
  readonly eligibleCount: number;
  /**
   * The eligible profiles in cooldown or disabled: profile-wide ones, then one entry per model
   * family in cooldown (with `family`) on a profile that is otherwise usable.
   */
  readonly unusable: readonly UnusableProfile[];
}

const MODES: ReadonlySet<string> = new Set(["api_key", "token", "oauth"]);

/**
 * Builds one row per profile of a provider, mirroring the resolver's choice (same candidates, same
 * order, same eligibility rules), plus the stored or configured profiles it never tries.
 *
 * @param input - provider, store, config, clock and Claude Code reading
 * @returns the rows and the unusable profiles
 * @internal
 */
export function providerRows(input: ProviderRowsInput): ProviderRows {
  const selection = { store: input.data, config: input.config, provider: input.provider, now: input.now };
  const explanation = explainProfiles(selection);
  const { order, unusable } = orderProfiles(selection);
  const byId = new Map(explanation.candidates.map((candidate) => [candidate.profileId, candidate]));
  const eligible = order.flatMap((id) => {
    const candidate = byId.get(id);
    return candidate === undefined ? [] : [eligibleRow(input, candidate)];
  });
  const excluded = explanation.candidates.filter((c) => c.excluded !== null).map((c) => excludedRow(input, c));
  const ignored = ignoredIds(input, byId).map((id) => ignoredRow(input, id, explanation.source));
  const wide = new Set(unusable.map((u) => u.profileId));
  const scoped = explanation.candidates
    .filter((c) => c.excluded === null && !wide.has(c.profileId))
    .flatMap((c) => familyRows(input, c.profileId));
  return { rows: [...eligible, ...excluded, ...ignored], eligibleCount: eligible.length, unusable: [...unusable, ...scoped] };
}

function familyRows(input: ProviderRowsInput, profileId: string): UnusableProfile[] {
  const stats = Object.hasOwn(input.data.usageStats ?? {}, profileId) ? input.data.usageStats?.[profileId] : undefined;
  return activeFamilyCooldowns(stats, input.now).flatMap(([family]) => {
    const u = describeUnusable(profileId, input.provider, stats, input.now, family);
    return u === null ? [] : [u];
  });
}

function eligibleRow(input: ProviderRowsInput, candidate: CandidateExplanation): ProfileRow {
  const { profileId } = candidate;
  // A profile usable for some families but cooling for another shows that cooldown, with its family.
  const unusable = candidate.unusable ?? familyRows(input, profileId)[0] ?? null;
  const cli = claudeCliOf(input, profileId, unusable);
  if (cli !== null) return cli;
  const row = storedRow(profileId, entryOf(input.data, profileId), input.now);
  const state: ProfileState = row.state === "expired" ? "expired" : unusable !== null ? unusable.kind : row.state;
  return { ...row, state, unusable };
}

function excludedRow(input: ProviderRowsInput, candidate: CandidateExplanation): ProfileRow {
  const state: ProfileState =
    candidate.excluded === "missing" ? "missing" : candidate.excluded === "expired" ? "expired" : candidate.excluded === "invalid" ? "invalid" : "excluded";
  const detail = candidate.detail === null ? null : redactText(candidate.detail);
  return { ...baseRow(input, candidate.profileId), state, detail };
}

function ignoredRow(input: ProviderRowsInput, profileId: string, source: CandidateSource): ProfileRow {
  return { ...baseRow(input, profileId), state: "ignored", detail: ignoredDetail(profileId, input.provider, source) };
}

/** A row of a profile that is never tried: the live login, the stored entry, or the config mode. */
function baseRow(input: ProviderRowsInput, profileId: string): ProfileRow {
  const cli = claudeCliOf(input, profileId, null);
  if (cli !== null) return cli;
  const entry = entryOf(input.data, profileId);
  const row = storedRow(profileId, entry, input.now);
  return entry === undefined ? { ...row, type: configMode(input.config, profileId) } : row;
}

/** The Claude Code login replaces any stored (or placeholder) entry under its id. */
function claudeCliOf(input: ProviderRowsInput, profileId: string, unusable: UnusableProfile | null): ProfileRow | null {
  if (input.claudeCli === null || profileId !== input.claudeCli.profileId) return null;
  return claudeCliRow(profileId, input.claudeCli.reading, unusable, input.now);
}

/** A stored profile's row before cooldowns are applied: type, mask, expiry. */
function storedRow(profileId: string, entry: StoredCredential | UnknownProfile | undefined, now: number): ProfileRow {
  const type = entry !== undefined && MODES.has(entry.type) ? (entry.type as CredentialMode) : null;
  const expiresAt = type === "token" || type === "oauth" ? storedExpiry(entry?.["expires"]) : null;
  const refresh = entry?.["refresh"];
  const refreshable = type === "oauth" && typeof refresh === "string" && refresh.trim() !== "";
  const expiry = type === null || type === "api_key" ? null : expiryStatus(expiresAt, now, refreshable);
  const state: ProfileState = expiry?.status === "expired" ? "expired" : expiry?.status === "expiring" ? "expiring" : "ok";
  const detail = state === "expired" ? `The ${type === "oauth" ? "OAuth access token" : "token"} of "${profileId}" has expired.` : null;
  return { profileId, type, source: "store", masked: maskStored(entry), state, unusable: null, expiresAt, refreshable, detail };
}

/** Stored or configured profiles of the provider that are not candidates, sorted by id. */
function ignoredIds(input: ProviderRowsInput, candidates: ReadonlyMap<string, CandidateExplanation>): readonly string[] {
  const ofProvider = (record: Readonly<Record<string, { readonly provider?: unknown }>> | undefined): string[] =>
    Object.entries(record ?? {})
      .filter(([, value]) => typeof value?.provider === "string" && value.provider.trim().toLowerCase() === input.provider)
      .map(([id]) => id);
  const ids = new Set([...ofProvider(input.data.profiles), ...ofProvider(input.config.auth?.profiles)]);
  return [...ids].filter((id) => !candidates.has(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function ignoredDetail(profileId: string, provider: string, source: CandidateSource): string {
  switch (source) {
    case "store_order":
      return `"${profileId}" is not in the store's order for ${provider}, so it is never tried.`;
    case "config_order":
      return `"${profileId}" is not in the config's auth.order.${provider}, so it is never tried.`;
    default:
      return `"${profileId}" is not declared in the config's auth.profiles, so it is never tried.`;
  }
}

function configMode(config: AuthProfilesConfig, profileId: string): CredentialMode | null {
  const profiles = config.auth?.profiles;
  const mode = profiles !== undefined && Object.hasOwn(profiles, profileId) ? profiles[profileId]?.mode : undefined;
  return mode !== undefined && MODES.has(mode) ? mode : null;
}

function entryOf(data: StoreData, profileId: string): StoredCredential | UnknownProfile | undefined {
  return Object.hasOwn(data.profiles, profileId) ? data.profiles[profileId] : undefined;
}
