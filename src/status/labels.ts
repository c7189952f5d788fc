import type { Credential } from "../model/credential.js";
import { redactSecret } from "../model/redact.js";
import type { StoredCredential, UnknownProfile } from "../model/store.js";
import { resolvedRefMark } from "../model/secret-ref.js";

/**
 * The masked form of a stored entry, as OpenClaw's status labels show it: an API key as
 * `sk-ant-api03-…wxyz`, a token as `token:sk-ant-oat01-…wxyz`, an OAuth login as `OAuth (email)`.
 *
 * @param entry - the stored entry, or `undefined` when nothing is stored
 * @returns a secret-free string
 * @internal
 */
export function maskStored(entry: StoredCredential | UnknownProfile | undefined): string {
  if (entry === undefined) return "missing";
  // A value resolved from a secret reference is shown by its reference, not even masked.
  const ref = resolvedRefMark(entry);
  if (ref !== undefined) return `${entry.type === "token" ? "tokenRef" : "keyRef"}:${ref.label}`;
  switch (entry.type) {
    case "api_key":
      return typeof entry.key === "string" && entry.key.trim() !== "" ? redactSecret(entry.key) : "empty";
    case "token":
      return typeof entry.token === "string" && entry.token.trim() !== "" ? `token:${redactSecret(entry.token)}` : "token:empty";
    case "oauth":
      return typeof entry.email === "string" && entry.email !== "" ? `OAuth (${entry.email})` : "OAuth";
    default:
      // The stored type is arbitrary file content: never echo it.
      return "unknown type";
  }
}

/**
 * The masked form of the live Claude Code login.
 *
 * @param credential - the login, or `null` when it could not be read
 * @returns e.g. `Claude Code login (me@example.com)`
 * @internal
 */
export function maskClaudeCli(credential: Credential | null): string {
  if (credential === null) return "Claude Code login (unavailable)";
  return credential.email === undefined || credential.email === "" ? "Claude Code login" : `Claude Code login (${credential.email})`;
}

/**
 * An OpenClaw-style label: `<profileId>=<masked>`.
 *
 * @param profileId - the profile id
 * @param masked - the masked credential
 * @returns the label
 * @internal
 */
export function profileLabel(profileId: string, masked: string): string {
  return `${profileId}=${masked}`;
}
