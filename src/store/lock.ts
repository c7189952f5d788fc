import lockfile from "proper-lockfile";
import { AuthProfilesError } from "../errors.js";
import { ensurePrivateDir } from "./atomic-write.js";
import { dirname } from "node:path";

/**
 * The stale time OpenClaw uses for the `auth-profiles.json.lock` directory: a lock not refreshed
 * for this long belongs to a dead process and is taken over.
 */
export const STORE_LOCK_STALE_MS = 30_000;

/** How a lock is waited for. @internal */
export interface FileLockOptions {
  /** Lock considered stale after this (min 2000, proper-lockfile's floor). Default {@link STORE_LOCK_STALE_MS}. */
  readonly staleMs?: number;
  /** Give up waiting after roughly this long, then throw `STORE_LOCKED`. Default 60 s. */
  readonly waitMs?: number;
}

/**
 * Runs `work` while holding the proper-lockfile lock on `path` (the lock is the directory
 * `<path>.lock`, the same one OpenClaw takes, so both never interleave writes). Waits with
 * randomized exponential backoff; a lock it cannot get in time throws `STORE_LOCKED`. A lock that
 * is lost while `work` runs (compromised) makes the call fail instead of crashing the process.
 *
 * @param path - the file to lock (need not exist)
 * @param work - the critical section
 * @param options - stale and wait times
 * @returns what `work` returned
 * @throws AuthProfilesError `STORE_LOCKED` when the lock cannot be taken in time
 * @internal
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const staleMs = Math.max(2000, options.staleMs ?? STORE_LOCK_STALE_MS);
  const waitMs = options.waitMs ?? 60_000;
  await ensurePrivateDir(dirname(path));
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: staleMs,
      update: Math.floor(staleMs / 2),
      retries: { retries: retriesFor(waitMs), factor: 1.6, minTimeout: 5, maxTimeout: 1000, randomize: true },
      onCompromised: (error: Error) => {
        compromised = error;
      },
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ELOCKED") {
      throw new AuthProfilesError("STORE_LOCKED", `Could not lock ${path}: another process holds ${path}.lock.`, {
        hint: `Another program (an OpenClaw gateway or another bot) is writing this store. Retry; if no process is running, remove the stale directory ${path}.lock.`,
        cause: error,
        details: { file: path },
      });
    }
    throw new AuthProfilesError("STORE_IO", `Could not lock ${path}.`, { cause: error, details: { file: path } });
  }
  try {
    const result = await work();
    if (compromised !== undefined) {
      throw new AuthProfilesError("STORE_LOCKED", `Lost the lock on ${path} while updating it.`, {
        hint: "The update took longer than the lock's stale time or the lock was removed; retry.",
        cause: compromised,
        details: { file: path },
      });
    }
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}

/** Number of backoff retries that adds up to about `waitMs` (5 ms × 1.6ⁿ, capped at 1 s). */
function retriesFor(waitMs: number): number {
  let total = 0;
  let delay = 5;
  let retries = 0;
  while (total < waitMs && retries < 1000) {
    total += delay;
    delay = Math.min(1000, delay * 1.6);
    retries += 1;
  }
  return retries;
}
