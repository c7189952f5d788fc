import { agentModel } from "../config/agents.js";
import { CLAUDE_CLI_PROFILE_ID, isOpenClawClaudeCliEntry } from "../model/ids.js";
import { withClaudeCliPlaceholder } from "../model/claude-cli-placeholder.js";
import type { AuthProfilesConfig } from "../config/types.js";
import { fromEnv } from "../credentials/env.js";
import type { CredentialMode } from "../model/credential.js";
import { redactDeep, redactSecret } from "../model/redact.js";
import type { UnusableProfile } from "../model/failure.js";
import type { StoreData } from "../model/store.js";
import { cacheStatus } from "./cache.js";
import { EXPIRY_WARN_AFTER_MS } from "./expiry.js";
import { profileLabel } from "./labels.js";
import { oauthProfiles } from "./oauth-block.js";
import { providerRows } from "./rows.js";
import { checkBuildStatusInput } from "./arguments.js";
import type { AuthStatus, ClaudeCliReading, EffectiveAuth, HeldLoginStatus, EnvCredentialStatus, OtherAgentProfile, ProfileCounts, ProfileRow, ProfileStatus, ProviderStatus } from "./types.js";
import { hintStep, type HintCommandArgs, type HintCommands } from "../model/hints.js";
import { actionText } from "./format-hints.js";
import type { StoredElsewhere } from "./other-agents.js";

/** Input of {@link buildAuthStatus}: everything the report is made from, already loaded. @internal */
export interface BuildAuthStatusInput {
  /** The agent id. */
  readonly agentId: string;
  /** The config file path, or `null` when none is used. */
  readonly configPath: string | null;
  /** The store path (or URL without password). */
  readonly storePath: string;
  /** The validated config. */
  readonly config: AuthProfilesConfig;
  /** The store document. */
  readonly data: StoreData;
  /** The resolver's env (with the config's `env` block applied). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Epoch ms. */
  readonly now: number;
  /**
   * The Claude Code login read for `anthropic:claude-cli`, or `null` when that profile is not
   * declared (or reading it is turned off).
   */
  readonly claudeCli: ClaudeCliReading | null;
  /** Refreshed OAuth logins the store does not hold yet (from the resolver's store). Default none. */
  readonly heldLogins?: readonly HeldLoginStatus[] | undefined;
  /** The bot's command names for the rows' actions and the missing-credential line; default: the library calls. */
  readonly commands?: HintCommands | undefined;
  /** The resolver option `cacheTtlForSubscription`: the TTL applies to subscription auth too. Default `false`. */
  readonly cacheTtlForSubscription?: boolean | undefined;
  /**
   * Configured ids this agent does not store but other agents do (read by `findOtherAgentProfiles`
   * at the edge). Their rows are left out, and the report names them once. Default none.
   */
  readonly storedElsewhere?: readonly StoredElsewhere[] | undefined;
}

/** The default provider: always listed, so a missing credential shows. */
const DEFAULT_PROVIDER = "anthropic";

/**
 * Builds the status report: per provider the effective credential source, the profiles in
 * resolution order with their state, the unusable ones, token expiry, and prompt-cache TTLs.
 * Pure: no I/O, `now` passed in. Secrets appear only in their {@link redactSecret} form.
 *
 * @remarks
 * It follows the resolver's rules: the same candidates, order and eligibility (`orderProfiles`),
 * the env only when no profile is eligible. A refreshable OAuth login reads `ok` whatever its access
 * token's expiry (it renews on use); setup-tokens and the Claude Code login read `expiring` within
 * 24 h (`warnAfterMs`) and `expired` after. The effective auth kind of the cache lines is the mode
 * of the first usable profile (else the first eligible one, else the env credential).
 *
 * @param input - agent, paths, config, store document, env, `now`, the Claude Code reading and the bot's commands
 * @returns a JSON-ready, secret-free report
 *
 * @example
 * ```ts
 * const status = buildAuthStatus({ agentId: "main", configPath: null, storePath, config: {}, data, env: {}, now: Date.now(), claudeCli: null });
 * console.log(formatAuthStatus(status));
 * ```
 * @internal
 */
export function buildAuthStatus(input: BuildAuthStatusInput): AuthStatus {
  checkBuildStatusInput(input);
  const providers: ProviderStatus[] = [];
  const unusable: UnusableProfile[] = [];
  const elsewhere = new Map((input.storedElsewhere ?? []).map((entry) => [entry.profileId, entry.agentIds]));
  const others = new Map<string, OtherAgentProfile>();
  let effectiveMode: CredentialMode | null = null;
  for (const provider of providerIds(input)) {
    const cli = input.claudeCli !== null && provider === DEFAULT_PROVIDER ? { profileId: CLAUDE_CLI_PROFILE_ID, reading: input.claudeCli } : null;
    // Like the resolver: a declared Claude Code login is a candidate even with nothing stored for it.
    const data = cli === null ? input.data : withClaudeCliPlaceholder(input.data);
    const built = providerRows({ provider, data, config: input.config, now: input.now, claudeCli: cli });
    const { eligibleCount, unusable: cooling } = built;
    // A configured id another agent stores is that agent's profile, not a "missing" one of this agent.
    const own = built.rows.filter((row, index) => {
      const agentIds = index < eligibleCount ? undefined : storedByOthers(row, data, elsewhere);
      if (agentIds !== undefined && !others.has(row.profileId)) others.set(row.profileId, { profileId: row.profileId, provider, agentIds });
      return agentIds === undefined;
    });
    const rows: ProfileStatus[] = own.map((row) => ({ ...row, action: actionText(row, input.agentId, input.commands) }));
    const eligible = rows.slice(0, eligibleCount);
    const env = envStatus(input.env, provider, eligibleCount === 0);
    providers.push({ provider, effective: effective(provider, eligibleCount > 0, env, input.storePath, { agentId: input.agentId, provider }, input.commands), profiles: counts(rows), entries: rows, env });
    unusable.push(...cooling);
    if (provider === DEFAULT_PROVIDER) effectiveMode = firstMode(eligible) ?? (env?.used === true ? env.mode : null);
  }
  // Every string of the report is masked: a profile id can be a pasted key, a path or detail can
  // quote one, and the report is meant to be shown and logged.
  const report: AuthStatus = {
    agentId: input.agentId,
    configPath: input.configPath,
    storePath: input.storePath,
    defaultModel: agentModel(input.config, input.agentId),
    generatedAt: input.now,
    auth: {
      storePath: input.storePath,
      providers,
      unusableProfiles: unusable.sort((a, b) => a.remainingMs - b.remainingMs || compare(a.profileId, b.profileId)),
      oauth: { warnAfterMs: EXPIRY_WARN_AFTER_MS, profiles: providers.flatMap((p) => oauthProfiles(p.provider, p.entries, input.now)) },
      cache: cacheStatus(input.config, input.agentId, effectiveMode, input.cacheTtlForSubscription === true),
      heldLogins: (input.heldLogins ?? []).map((held) => ({ profileId: held.profileId, expires: held.expires, since: held.since, heldIn: held.heldIn, recovered: held.recovered })),
      otherAgentProfiles: [...others.values()],
    },
  };
  return redactDeep(report) as AuthStatus;
}

/**
 * `anthropic` first, then every other provider named by a stored or configured profile (OpenClaw
 * 2026.4's `anthropic:claude-cli` with provider `claude-cli` is `anthropic`'s, not a provider of its own).
 */
function providerIds(input: BuildAuthStatusInput): readonly string[] {
  const named = [...Object.entries(input.data.profiles), ...Object.entries(input.config.auth?.profiles ?? {})]
    .filter(([id, entry]) => !isOpenClawClaudeCliEntry(id, entry))
    .map(([, entry]) => (typeof entry?.provider === "string" ? entry.provider.trim().toLowerCase() : ""))
    .filter((provider) => provider !== "" && provider !== DEFAULT_PROVIDER);
  return [DEFAULT_PROVIDER, ...[...new Set(named)].sort(compare)];
}

function envStatus(env: BuildAuthStatusInput["env"], provider: string, used: boolean): EnvCredentialStatus | null {
  const found = fromEnv(env, provider);
  if (found === null) return null;
  return { variable: found.variable, mode: found.credential.mode, masked: redactSecret(found.credential.secret), used };
}

function effective(provider: string, hasProfiles: boolean, env: EnvCredentialStatus | null, storePath: string, args: HintCommandArgs, commands: HintCommands | undefined): EffectiveAuth {
  if (hasProfiles) return { kind: "profiles", detail: `profiles:${storePath}` };
  if (env !== null) return { kind: "env", detail: `env: ${env.variable}` };
  return { kind: "missing", detail: missingHint(provider, args, commands) };
}

function missingHint(provider: string, args: HintCommandArgs, commands: HintCommands | undefined): string {
  if (provider !== DEFAULT_PROVIDER) return `missing: no ${provider} credential is stored for this agent.`;
  return `missing: run \`claude setup-token\`, then ${hintStep("pasteToken", args, commands)}; or save an API key with ${hintStep("saveApiKey", args, commands)}.`;
}

/**
 * The agents storing a row's profile, when the row is a config entry this agent does not store (a
 * candidate that is `missing`, or a configured profile that is `ignored`); else `undefined`.
 */
function storedByOthers(row: ProfileRow, data: StoreData, elsewhere: ReadonlyMap<string, readonly string[]>): readonly string[] | undefined {
  if (row.source !== "store" || (row.state !== "missing" && row.state !== "ignored") || Object.hasOwn(data.profiles, row.profileId)) return undefined;
  return elsewhere.get(row.profileId);
}

/**
 * Counts and labels of the provider's rows the resolver may use (usable now or cooling down):
 * computed from the rows the report lists, so a header never disagrees with them.
 */
function counts(rows: readonly ProfileStatus[]): ProfileCounts {
  const usable = rows.filter((row) => row.state === "ok" || row.state === "expiring" || row.state === "cooldown" || row.state === "disabled");
  const of = (type: CredentialMode): number => usable.filter((row) => row.type === type).length;
  return {
    count: usable.length,
    oauth: of("oauth"),
    token: of("token"),
    apiKey: of("api_key"),
    labels: usable.map((row) => profileLabel(row.profileId, row.masked)),
  };
}

/** The mode of the first profile usable now, else of the first one cooling down. */
function firstMode(eligible: readonly ProfileStatus[]): CredentialMode | null {
  const now = eligible.find((row) => row.state === "ok" || row.state === "expiring");
  const later = eligible.find((row) => row.state === "cooldown" || row.state === "disabled");
  return (now ?? later)?.type ?? null;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
