import type { OAuthProfileStatus } from "./types.js";

/** A bearer token expiring within this window reads `expiring` (OpenClaw's `warnAfterMs`). @internal */
export const EXPIRY_WARN_AFTER_MS = 86_400_000;

/** What {@link expiryStatus} returns. @internal */
export interface ExpiryStatus {
  /** `ok`, `expiring`, `expired` or `static`. */
  readonly status: Exclude<OAuthProfileStatus["status"], "missing">;
  /** `expiresAt - now`, or `null` when the token does not expire. */
  readonly remainingMs: number | null;
}

/**
 * Classifies a bearer token's expiry.
 *
 * @param expiresAt - epoch ms, or `null` for a token that does not expire
 * @param now - epoch ms
 * @param refreshable - a refreshable OAuth login renews itself on use, so it always reads `ok`
 * @returns the status and the time left
 * @internal
 */
export function expiryStatus(expiresAt: number | null, now: number, refreshable: boolean): ExpiryStatus {
  if (expiresAt === null) return { status: refreshable ? "ok" : "static", remainingMs: null };
  const remainingMs = expiresAt - now;
  if (refreshable) return { status: "ok", remainingMs };
  if (remainingMs <= 0) return { status: "expired", remainingMs };
  if (remainingMs <= EXPIRY_WARN_AFTER_MS) return { status: "expiring", remainingMs };
  return { status: "ok", remainingMs };
}

/**
 * Reads a stored expiry: `expires` absent, `0` or not a finite positive number means "no expiry".
 *
 * @param expires - the stored `expires` field
 * @returns epoch ms, or `null`
 * @internal
 */
export function storedExpiry(expires: unknown): number | null {
  return typeof expires === "number" && Number.isFinite(expires) && expires > 0 ? expires : null;
}
