import type { StoredCredential, UnknownProfile } from "../model/store.js";
import type { Credential } from "../model/credential.js";
import { AuthProfilesError } from "../model/errors.js";
import { describeUnsendable, headerValueProblem, sentSecretOf } from "../model/header-value.js";
import { isOpenClawClaudeCliEntry } from "../model/ids.js";

/**
 * Tells whether a store entry is one of the three credential types this library can send.
 *
 * @param entry - a store entry
 * @returns `true` for usable `api_key`, `token` and `oauth` entries
 * @internal
 */
export function isKnownCredential(entry: StoredCredential | UnknownProfile | undefined): entry is StoredCredential {
  if (entry === undefined) return false;
  return entry.type === "api_key" || entry.type === "token" || entry.type === "oauth";
}

/**
 * Maps a stored entry to the credential it sends.
 *
 * @param profileId - the entry's id
 * @param entry - the stored entry
 * @returns the credential (the OAuth refresh token is never part of it); OpenClaw 2026.4's
 *   `anthropic:claude-cli` entry (provider `claude-cli`) sends for `anthropic`
 * @throws AuthProfilesError `CREDENTIAL_INVALID` naming the profile when its secret cannot be sent in
 * a header (trailing newline, inner space, NUL, non-ASCII)
 * @internal
 */
export function credentialFromStored(profileId: string, entry: StoredCredential): Credential {
  const problem = headerValueProblem(sentSecretOf(entry));
  if (problem !== null) throw credentialInvalidError(profileId, entry.type, problem);
  const email = typeof entry.email === "string" ? entry.email : undefined;
  const provider = isOpenClawClaudeCliEntry(profileId, entry) ? "anthropic" : entry.provider;
  const base = { provider, profileId, source: "store" as const, ...(email === undefined ? {} : { email }) };
  switch (entry.type) {
    case "api_key":
      return { ...base, mode: "api_key", secret: entry.key, expiresAt: null };
    case "token":
      return { ...base, mode: "token", secret: entry.token, expiresAt: entry.expires ? entry.expires : null };
    case "oauth":
      return { ...base, mode: "oauth", secret: entry.access, expiresAt: entry.expires };
  }
}

/**
 * The error for a stored credential that cannot be sent in a header.
 *
 * @param profileId - the profile
 * @param type - its stored type
 * @param problem - from `headerValueProblem`
 * @returns a `CREDENTIAL_INVALID` error naming the profile and the problem (never the value)
 * @internal
 */
export function credentialInvalidError(profileId: string, type: string, problem: string): AuthProfilesError {
  const { message, fix } = describeUnsendable(profileId, type, problem);
  return new AuthProfilesError("CREDENTIAL_INVALID", message, {
    hint: fix,
    details: { profileId, type, problem },
  });
}
