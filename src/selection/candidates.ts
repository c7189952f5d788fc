import { formatEpochMs } from "../model/errors.js";
import { describeUnsendable, headerValueProblem, sentSecretOf } from "../model/header-value.js";
import type { AuthProfilesConfig, ProfileMeta } from "../config/types.js";
import type { StoreData, StoredCredential } from "../model/store.js";
import { describeUnusable } from "./cooldown.js";
import { keptEntriesOf, keptProfile } from "../store/kept-entries.js";
import type { UnusableProfile } from "../model/failure.js";
import { checkSelectionInput } from "./arguments.js";
import { entryServesProvider } from "../model/ids.js";
import { tokenExpiryState } from "../model/token-expiry.js";

/**
 * Where the candidate list came from, in precedence order: the store's `order[provider]`, the
 * config's `auth.order[provider]`, the config's `auth.profiles` for the provider, or every stored
 * profile of the provider.
 *
 * @category Selection
 */
export type CandidateSource = "store_order" | "config_order" | "config_profiles" | "store_profiles";

/**
 * Why a candidate cannot be used at all (as opposed to a cooldown, which ends):
 * - `missing`: no stored credential with that id
 * - `provider_mismatch`: stored (or configured) for another provider
 * - `unknown_type`: a stored `type` this version does not know
 * - `mode_mismatch`: the config `mode` does not accept the stored type
 * - `empty`: the key / token / OAuth tokens are empty
 * - `expired`: a static token past its `expires`
 * - `invalid_expires`: a static token whose `expires` is `0`, negative or no usable time (OpenClaw
 *   ≥ 2026.3 refuses it the same way; absent means "does not expire")
 * - `invalid`: the key / token / access token cannot be sent in a header (a trailing newline, an
 *   inner space, a NUL or non-ASCII character)
 * - `unreadable`: a stored entry this version cannot read (a wrong shape), kept unchanged in the file
 *
 * @category Selection
 */
export type ExclusionReason = "missing" | "provider_mismatch" | "mode_mismatch" | "expired" | "invalid_expires" | "unknown_type" | "empty" | "invalid" | "unreadable";

/**
 * Input of {@link explainProfiles} and `orderProfiles`.
 *
 * @category Selection
 */
export interface ProfileSelectionInput {
  /** The store document. */
  readonly store: StoreData;
  /** The bot config (`auth.profiles`, `auth.order`), if any. */
  readonly config?: AuthProfilesConfig | undefined;
  /** The provider to choose for, e.g. `anthropic`. */
  readonly provider: string;
  /** Epoch ms. */
  readonly now: number;
  /**
   * The model family of the call (see `modelFamilyOf`): that family's cooldowns count too. Absent
   * or `null`: only profile-wide cooldowns count.
   */
  readonly family?: string | null | undefined;
}

/**
 * One candidate profile and what keeps it from being used.
 *
 * @category Selection
 */
export interface CandidateExplanation {
  /** The profile id. */
  readonly profileId: string;
  /** The stored credential type, or `null` when nothing is stored under this id. */
  readonly type: string | null;
  /** Why it is excluded, or `null` when it is eligible. */
  readonly excluded: ExclusionReason | null;
  /** A secret-free sentence for people (status report, error hints), or `null` when eligible. */
  readonly detail: string | null;
  /** For an eligible profile in cooldown or disabled: until when and why; else `null`. */
  readonly unusable: UnusableProfile | null;
}

/**
 * What {@link explainProfiles} returns.
 *
 * @category Selection
 */
export interface ProfileExplanation {
  /** The provider. */
  readonly provider: string;
  /** Where the candidate list came from. */
  readonly source: CandidateSource;
  /** Every distinct candidate, in candidate-list order. */
  readonly candidates: readonly CandidateExplanation[];
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(["api_key", "token", "oauth"]);

/**
 * Lists the candidate profiles for a provider and why each is or is not eligible, following
 * OpenClaw's rules (store order, else config order, else configured profiles, else stored ones).
 *
 * @param input - store, config, provider and `now`
 * @returns the candidate source and one entry per distinct candidate
 *
 * @category Selection
 */
export function explainProfiles(input: ProfileSelectionInput): ProfileExplanation {
  checkSelectionInput("explainProfiles", input);
  const provider = normalizeProvider(input.provider);
  const { source, ids } = candidateIds(input.store, input.config, provider);
  const seen = new Set<string>();
  const candidates: CandidateExplanation[] = [];
  for (const profileId of ids) {
    if (seen.has(profileId)) continue;
    seen.add(profileId);
    candidates.push(explain(input, provider, profileId));
  }
  return { provider: input.provider, source, candidates };
}

/**
 * Normalises a provider id for comparison (trimmed, lower case), as OpenClaw does.
 *
 * @param provider - a provider id
 * @returns the comparable form
 * @internal
 */
export function normalizeProvider(provider: string): string {
  return provider.trim().toLowerCase();
}

function candidateIds(
  store: StoreData,
  config: AuthProfilesConfig | undefined,
  provider: string,
): { readonly source: CandidateSource; readonly ids: readonly string[] } {
  const storeOrder = explicitOrder(store.order, provider);
  if (storeOrder.length > 0) return { source: "store_order", ids: storeOrder };
  const configOrder = explicitOrder(config?.auth?.order, provider);
  if (configOrder.length > 0) return { source: "config_order", ids: configOrder };
  const configured = Object.entries(config?.auth?.profiles ?? {})
    .filter(([id, meta]) => entryServesProvider(id, meta?.provider, provider))
    .map(([id]) => id);
  const stored = Object.entries(store.profiles)
    .filter(([id, entry]) => entryServesProvider(id, entry?.provider, provider))
    .map(([id]) => id);
  const kept = keptEntriesOf(store)
    .filter((entry) => entry.section === "profiles" && entry.key !== null && entryServesProvider(entry.key, rawProvider(entry.raw), provider))
    .map((entry) => entry.key as string);
  // The config's auth.profiles is shared by every agent: when none of its ids is stored for this
  // agent (they belong to other agents), fall back to this agent's own stored profiles, as
  // OpenClaw 2026.4 does, instead of listing other agents' profiles as missing.
  const storedIds = new Set([...stored, ...kept]);
  if (configured.length > 0 && (storedIds.size === 0 || configured.some((id) => storedIds.has(id)))) return { source: "config_profiles", ids: configured };
  return { source: "store_profiles", ids: [...stored, ...kept] };
}

function explicitOrder(orders: Readonly<Record<string, readonly string[]>> | undefined, provider: string): readonly string[] {
  if (orders === undefined || orders === null || typeof orders !== "object") return [];
  const key = Object.keys(orders).find((k) => normalizeProvider(k) === provider);
  const list: unknown = key === undefined ? undefined : orders[key];
  if (!Array.isArray(list)) return [];
  return list.filter((id): id is string => typeof id === "string").map((id) => id.trim()).filter((id) => id !== "");
}

function explain(input: ProfileSelectionInput, provider: string, profileId: string): CandidateExplanation {
  const entry = own(input.store.profiles, profileId);
  const meta = own(input.config?.auth?.profiles, profileId);
  const type = typeof entry?.type === "string" ? entry.type : null;
  const excluded = (reason: ExclusionReason, detail: string): CandidateExplanation => ({
    profileId,
    type,
    excluded: reason,
    detail,
    unusable: null,
  });
  if (entry === undefined) {
    const kept = keptProfile(input.store, profileId);
    if (kept !== undefined) return excluded("unreadable", `The stored entry "${profileId}" cannot be used: ${kept.problem}. It is kept unchanged in the store.`);
    return excluded("missing", `No credentials are stored for "${profileId}".`);
  }
  const storedProvider = typeof entry.provider === "string" ? entry.provider : "";
  if (!entryServesProvider(profileId, storedProvider, provider)) {
    return excluded("provider_mismatch", `"${profileId}" is stored for provider "${storedProvider}", not "${input.provider}".`);
  }
  if (meta !== undefined && !entryServesProvider(profileId, meta.provider, provider)) {
    return excluded("provider_mismatch", `The config declares "${profileId}" for provider "${String(meta.provider)}", not "${input.provider}".`);
  }
  if (type === null || !KNOWN_TYPES.has(type)) {
    return excluded("unknown_type", `"${profileId}" has stored type "${String(type)}", which this version does not use.`);
  }
  if (meta !== undefined && !modeAccepts(meta.mode, type)) {
    return excluded("mode_mismatch", `The config mode "${String(meta.mode)}" of "${profileId}" does not accept a stored "${type}" credential.`);
  }
  const credential = entry as StoredCredential;
  if (isEmpty(credential)) return excluded("empty", `The stored ${type} of "${profileId}" is empty.`);
  // An OAuth login whose access token is empty but whose refresh token is set renews on use.
  const secret = sentSecretOf(credential);
  const problem = credential.type === "oauth" && !filled(secret) ? null : headerValueProblem(secret);
  if (problem !== null) {
    const unsendable = describeUnsendable(profileId, type, problem);
    return excluded("invalid", `${unsendable.message} ${unsendable.fix}`);
  }
  const expiry = credential.type === "token" ? tokenExpiryState(credential.expires, input.now) : "none";
  if (expiry === "invalid") {
    return excluded("invalid_expires", `The token of "${profileId}" has an unusable "expires" (0, negative or not a time); OpenClaw 2026.3+ skips it too. Save the setup-token again (no expiry, or a future one).`);
  }
  if (expiry === "expired") {
    return excluded("expired", `The token of "${profileId}" expired at ${formatEpochMs((credential as { expires: number }).expires)}.`);
  }
  const unusable = describeUnusable(profileId, input.provider, own(input.store.usageStats, profileId), input.now, input.family ?? null);
  return { profileId, type, excluded: null, detail: null, unusable };
}

/**
 * Config `mode` vs stored `type`: `oauth` accepts `oauth` and `token` (a Claude Code login without a
 * refresh token is a plain token); `token` and `api_key` accept only themselves.
 *
 * @param mode - the config mode
 * @param type - the stored type
 * @returns whether they match
 * @internal
 */
export function modeAccepts(mode: ProfileMeta["mode"], type: string): boolean {
  return mode === type || (mode === "oauth" && type === "token");
}

function isEmpty(credential: StoredCredential): boolean {
  switch (credential.type) {
    case "api_key":
      return !filled(credential.key);
    case "token":
      return !filled(credential.token);
    case "oauth":
      return !filled(credential.access) && !filled(credential.refresh);
  }
}

function filled(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "";
}

/** The normalised `provider` of a raw stored entry, or `null`. */
function rawProvider(raw: unknown): string | null {
  const provider = typeof raw === "object" && raw !== null ? (raw as { provider?: unknown }).provider : undefined;
  return typeof provider === "string" ? normalizeProvider(provider) : null;
}

/** Own properties only: a profile id such as `constructor` must not find `Object.prototype`'s. */
function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && record !== null && Object.hasOwn(record, key) ? record[key] : undefined;
}
