/**
 * The one refresh policy of both OAuth sources (stored OAuth profiles and the Claude Code login):
 * where a token stands relative to its expiry, and how soon an optional refresh that failed may be
 * tried again.
 */

/**
 * Where a token stands:
 * - `fresh`: expires beyond the refresh margin; send it as is.
 * - `advisory`: inside the margin but unexpired; send it, and refresh when convenient (a failure
 *   is tolerated and retried after {@link ADVISORY_RETRY_MS}).
 * - `required`: expired, without a usable expiry, or forced after a 401; refresh before sending.
 *
 * @internal
 */
export type RefreshWindow = "fresh" | "advisory" | "required";

/** After an advisory refresh failed, the next one waits this long (the token is still valid). @internal */
export const ADVISORY_RETRY_MS = 30_000;

/**
 * Places a token in its refresh window.
 *
 * @param expiresAt - epoch ms; `null` for a token without expiry (fresh unless forced)
 * @param now - epoch ms
 * @param marginMs - refresh this long before the expiry
 * @param forced - `true` after a 401: refresh regardless of the expiry
 * @returns the window
 * @internal
 */
export function refreshWindow(expiresAt: number | null, now: number, marginMs: number, forced: boolean): RefreshWindow {
  if (forced) return "required";
  if (expiresAt === null) return "fresh";
  if (!Number.isFinite(expiresAt) || expiresAt <= now) return "required";
  return expiresAt - marginMs <= now ? "advisory" : "fresh";
}

/**
 * Until when {@link refreshWindow} places a token in `fresh`: `refreshWindow(expiresAt, now, …)`
 * is `"fresh"` exactly when `now` is before the returned time, so a caller may reuse a "fresh"
 * answer until then without asking again.
 *
 * @param expiresAt - epoch ms, or `null` (no expiry)
 * @param marginMs - the refresh margin
 * @param forced - `true` after a 401
 * @returns epoch ms (exclusive); `-Infinity` when never fresh, `Infinity` when always
 * @internal
 */
export function freshUntil(expiresAt: number | null, marginMs: number, forced: boolean): number {
  if (forced) return Number.NEGATIVE_INFINITY;
  if (expiresAt === null) return Number.POSITIVE_INFINITY;
  if (!Number.isFinite(expiresAt)) return Number.NEGATIVE_INFINITY;
  return Math.min(expiresAt, expiresAt - marginMs);
}

/**
 * Remembers, per key, when an advisory refresh last failed, so it is not retried on every call.
 *
 * @internal
 */
export class AdvisoryRetry<K> {
  readonly #failedAt = new Map<K, number>();
  readonly #retryMs: number;

  /** @param retryMs - how long after a failure the next advisory refresh may run */
  constructor(retryMs: number = ADVISORY_RETRY_MS) {
    this.#retryMs = retryMs;
  }

  /**
   * @param key - the token's identity
   * @param now - epoch ms
   * @returns whether an advisory refresh may run now
   */
  mayTry(key: K, now: number): boolean {
    const failedAt = this.#failedAt.get(key);
    return failedAt === undefined || now - failedAt >= this.#retryMs;
  }

  /**
   * @param key - the token's identity
   * @param now - epoch ms of the failure
   */
  failed(key: K, now: number): void {
    this.#failedAt.set(key, now);
  }

  /** @param key - the token's identity, refreshed (or replaced) successfully */
  succeeded(key: K): void {
    this.#failedAt.delete(key);
  }
}
