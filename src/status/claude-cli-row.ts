import { isAuthProfilesError, type AuthProfilesError } from "../model/errors.js";
import type { UnusableProfile } from "../model/failure.js";
import { expiryStatus } from "./expiry.js";
import { maskClaudeCli } from "./labels.js";
import type { ClaudeCliReading, ProfileRow } from "./types.js";

/**
 * The row of the live Claude Code login (`anthropic:claude-cli`). It is never refreshed by default,
 * so its expiry counts as is: Claude Code renews it when someone runs `claude` on this host.
 *
 * @param profileId - `anthropic:claude-cli`
 * @param reading - the probe result
 * @param unusable - its cooldown, if any
 * @param now - epoch ms
 * @returns the row
 * @internal
 */
export function claudeCliRow(profileId: string, reading: ClaudeCliReading, unusable: UnusableProfile | null, now: number): ProfileRow {
  const masked = maskClaudeCli(reading.credential);
  const credential = reading.credential;
  if (credential === null) {
    const expiresAt = errorExpiry(reading.error);
    const state = reading.error?.code === "CLAUDE_CLI_EXPIRED" && expiresAt !== null ? "expired" : "missing";
    const detail = reading.error?.message ?? "The Claude Code login could not be read.";
    return { profileId, type: "oauth", source: "claude-cli", masked, state, unusable, expiresAt, refreshable: false, detail };
  }
  const expiry = expiryStatus(credential.expiresAt, now, false);
  const state =
    expiry.status === "expired" ? "expired" : unusable !== null ? unusable.kind : expiry.status === "expiring" ? "expiring" : "ok";
  const detail = state === "expired" ? "The Claude Code login has expired." : null;
  return { profileId, type: credential.mode, source: "claude-cli", masked, state, unusable, expiresAt: credential.expiresAt, refreshable: false, detail };
}

/** `CLAUDE_CLI_EXPIRED` errors may carry the login's `expiresAt` (epoch ms) in their details. */
function errorExpiry(error: AuthProfilesError | null): number | null {
  const value = error !== null && isAuthProfilesError(error, "CLAUDE_CLI_EXPIRED") ? error.details.expiresAt : undefined;
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
