import { formatDurationMs } from "../model/errors.js";
import type { AuthStatus } from "./types.js";
import { checkStatusArgument } from "./arguments.js";

/**
 * What {@link checkAuthStatus} returns.
 *
 * @category Status
 */
export interface AuthStatusCheck {
  /** `0` fine, `1` a provider has no credential, a token expired / is missing, or a stored secret cannot be sent; `2` a token expires within 24 h. */
  readonly exitCode: 0 | 1 | 2;
  /** One secret-free line per problem, worst first; empty when `exitCode` is 0. */
  readonly problems: readonly string[];
}

/**
 * Turns a status report into a health verdict, as OpenClaw's `models status --check` does: exit 1
 * when a provider's credential is missing, a token / OAuth login is expired or missing, or a stored
 * key or token cannot be sent (`invalid`), 2 when one
 * expires within `warnAfterMs` (24 h), else 0. Cooldowns do not count: they end by themselves.
 *
 * @param status - a report from `resolver.status()` / `buildAuthStatus`
 * @returns the exit code and the problems behind it, each with its fix (the row's action)
 *
 * @example
 * ```ts
 * const { exitCode, problems } = checkAuthStatus(await resolver.status());
 * for (const line of problems) console.error(line);
 * process.exitCode = exitCode;
 * ```
 *
 * @category Status
 */
export function checkAuthStatus(status: AuthStatus): AuthStatusCheck {
  checkStatusArgument("checkAuthStatus", status);
  const failing: string[] = [];
  const warning: string[] = [];
  for (const provider of status.auth.providers) {
    if (provider.effective.kind === "missing") failing.push(`${provider.provider}: no credential (${provider.effective.detail})`);
    for (const entry of provider.entries) if (entry.state === "invalid") failing.push(`${entry.profileId}: invalid (${entry.detail ?? "cannot be sent"})`);
  }
  const actions = new Map(status.auth.providers.flatMap((p) => p.entries.map((row) => [row.profileId, row.action] as const)));
  const fix = (profileId: string): string => {
    const action = actions.get(profileId) ?? "";
    return action === "" ? "" : ` → ${action}`;
  };
  for (const profile of status.auth.oauth.profiles) {
    if (profile.status === "expired") failing.push(`${profile.profileId}: expired${fix(profile.profileId)}`);
    else if (profile.status === "missing") failing.push(`${profile.profileId}: missing${fix(profile.profileId)}`);
    else if (profile.status === "expiring") warning.push(`${profile.profileId}: expires in ${formatDurationMs(profile.remainingMs ?? 0)}${fix(profile.profileId)}`);
  }
  const exitCode = failing.length > 0 ? 1 : warning.length > 0 ? 2 : 0;
  return { exitCode, problems: [...failing, ...warning] };
}
