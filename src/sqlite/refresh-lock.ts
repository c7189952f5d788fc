import type * as Crypto from "node:crypto";
import { lazyRequire } from "../io/lazy-require.js";
import { join } from "node:path";
import { withFileLock } from "../io/lock.js";

/** Loaded on the first refresh lock: importing the library does not load node:crypto. */
const crypto = lazyRequire<typeof Crypto>("node:crypto");

/**
 * How long OpenClaw (2026.6+) lets its cross-agent OAuth refresh lock stand before calling it
 * stale: long enough for its 120 s refresh call.
 */
const REFRESH_LOCK_STALE_MS = 180_000;

/**
 * The lock OpenClaw takes around an OAuth refresh of a SQLite-backed agent: one lock per
 * (provider, profile) under `<state>/locks/oauth-refresh/`, named `sha256-<hex of provider NUL
 * profileId>`, stale after 180 s. Holding it while the token request runs means OpenClaw and this
 * library never spend the same rotating refresh token twice, and no SQLite transaction is held
 * open across the network call.
 *
 * @param dir - the lock directory
 * @returns a `withRefreshLock` implementation
 * @internal
 */
export function openClawRefreshLock(dir: string): <T>(profileId: string, work: () => Promise<T>) => Promise<T> {
  return (profileId, work) => {
    const provider = profileId.includes(":") ? profileId.slice(0, profileId.indexOf(":")) : "anthropic";
    const name = `sha256-${crypto().createHash("sha256").update(`${provider}\u0000${profileId}`).digest("hex")}`;
    return withFileLock(join(dir, name), () => work(), { staleMs: REFRESH_LOCK_STALE_MS, waitMs: REFRESH_LOCK_STALE_MS });
  };
}
