import { expiryStatus } from "./expiry.js";
import { profileLabel } from "./labels.js";
import type { OAuthProfileStatus, ProfileStatus } from "./types.js";

/**
 * The expiry entries of a provider's bearer-token profiles (setup-tokens, OAuth logins, the Claude
 * Code login). Profiles the resolver never tries (`ignored`) or cannot use for another reason
 * (`excluded`) are left out: their expiry does not affect the agent.
 *
 * @param provider - the provider
 * @param rows - the provider's rows
 * @param now - epoch ms
 * @returns one entry per token or OAuth profile, in row order
 * @internal
 */
export function oauthProfiles(provider: string, rows: readonly ProfileStatus[], now: number): readonly OAuthProfileStatus[] {
  return rows.flatMap((row) => {
    if (row.state === "ignored" || row.state === "excluded" || row.state === "invalid") return [];
    if (row.type !== "token" && row.type !== "oauth") return [];
    const expiry = expiryStatus(row.expiresAt, now, row.refreshable);
    const status: OAuthProfileStatus["status"] = row.state === "missing" ? "missing" : row.state === "expired" ? "expired" : expiry.status;
    return [
      {
        profileId: row.profileId,
        provider,
        type: row.type,
        status,
        expiresAt: row.expiresAt,
        remainingMs: expiry.remainingMs,
        source: row.source,
        label: profileLabel(row.profileId, row.masked),
        refreshable: row.refreshable,
      },
    ];
  });
}
