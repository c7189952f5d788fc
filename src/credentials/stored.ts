import type { StoredCredential, UnknownProfile } from "../model/store.js";
import type { Credential } from "../model/credential.js";

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
 * @returns the credential (the OAuth refresh token is never part of it)
 * @internal
 */
export function credentialFromStored(profileId: string, entry: StoredCredential): Credential {
  const email = typeof entry.email === "string" ? entry.email : undefined;
  const base = { provider: entry.provider, profileId, source: "store" as const, ...(email === undefined ? {} : { email }) };
  switch (entry.type) {
    case "api_key":
      return { ...base, mode: "api_key", secret: entry.key, expiresAt: null };
    case "token":
      return { ...base, mode: "token", secret: entry.token, expiresAt: entry.expires ? entry.expires : null };
    case "oauth":
      return { ...base, mode: "oauth", secret: entry.access, expiresAt: entry.expires };
  }
}
