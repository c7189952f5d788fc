import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { AuthProfilesError } from "../model/errors.js";
import { redisCall, type RedisCallTarget } from "./errors.js";
import { RELEASE_LOCK_SCRIPT, RENEW_LOCK_SCRIPT } from "./scripts.js";
import { backoffDelayMs, sleepMs } from "./backoff.js";

/** How long a refresh lock lives without renewal: a dead holder's lock is taken over after this. @internal */
export const REDIS_LOCK_TTL_MS = 30_000;

/** How long `withRefreshLock` waits for a lock another host holds before `STORE_LOCKED`. @internal */
export const REDIS_LOCK_WAIT_MS = 60_000;

/** How a Redis lock is held and waited for. @internal */
export interface RedisLockOptions {
  /** The lock expires this long after it was taken or last renewed. */
  readonly ttlMs: number;
  /** Give up waiting after roughly this long. */
  readonly waitMs: number;
  /** What the lock protects, for messages (e.g. `the refresh of profile "anthropic:work"`). */
  readonly purpose: string;
}

/**
 * Runs `work` while holding a Redis lock: `SET key token NX PX ttl` with a random token, renewed
 * every third of the ttl while `work` runs, and released only by its holder (compare-and-delete).
 * Waiting callers poll with jittered backoff. A holder that dies stops renewing, so its lock
 * expires after `ttlMs` and a waiter takes over.
 *
 * @param client - the Redis client
 * @param target - URL, lock key and command deadline
 * @param work - the critical section
 * @param options - ttl, wait time and purpose
 * @returns what `work` returned
 * @throws AuthProfilesError `STORE_LOCKED` when the lock cannot be taken within `waitMs`, or was
 * lost while `work` ran (it expired or was deleted); `STORE_UNAVAILABLE` when Redis is down
 * @internal
 */
export async function withRedisLock<T>(client: Redis, target: RedisCallTarget, work: () => Promise<T>, options: RedisLockOptions): Promise<T> {
  const token = randomBytes(16).toString("hex");
  await acquire(client, target, token, options);
  const renewal = startRenewal(client, target, token, options.ttlMs);
  try {
    const result = await work();
    if (renewal.lost()) {
      throw new AuthProfilesError("STORE_LOCKED", `Lost the Redis lock ${target.key} at ${target.path} during ${options.purpose}.`, {
        hint: `It expired before it could be renewed (Redis unreachable for longer than ${options.ttlMs} ms) or was deleted; another host may have taken it. Retry.`,
        details: { file: target.path, key: target.key },
      });
    }
    return result;
  } finally {
    renewal.stop();
    await redisCall(target, "unlock", () => client.eval(RELEASE_LOCK_SCRIPT, 1, target.key, token)).catch(() => undefined);
  }
}

async function acquire(client: Redis, target: RedisCallTarget, token: string, options: RedisLockOptions): Promise<void> {
  let waitedMs = 0;
  for (let attempt = 0; ; attempt += 1) {
    const reply = await redisCall(target, "lock", () => client.set(target.key, token, "PX", options.ttlMs, "NX"));
    if (reply === "OK") return;
    // A SET the client re-sent after a reconnect finds the lock already ours.
    if ((await redisCall(target, "lock", () => client.get(target.key))) === token) return;
    if (waitedMs >= options.waitMs) {
      throw new AuthProfilesError("STORE_LOCKED", `Could not take the Redis lock ${target.key} at ${target.path} for ${options.purpose}: another host holds it.`, {
        hint: `Another gateway host has held it for over ${options.waitMs} ms; retry. A lock whose holder died expires by itself after ${options.ttlMs} ms.`,
        details: { file: target.path, key: target.key },
      });
    }
    const delayMs = backoffDelayMs(attempt, 10, 250);
    await sleepMs(delayMs);
    waitedMs += delayMs;
  }
}

interface Renewal {
  lost(): boolean;
  stop(): void;
}

/** Extends the lock every third of its ttl; reports it lost when it was not ours any more or could not be renewed in time. */
function startRenewal(client: Redis, target: RedisCallTarget, token: string, ttlMs: number): Renewal {
  const intervalMs = Math.max(10, Math.floor(ttlMs / 3));
  let lost = false;
  let failedMs = 0;
  let running = false;
  const timer = setInterval(() => {
    if (running || lost) return;
    running = true;
    redisCall({ ...target, timeoutMs: Math.min(target.timeoutMs, intervalMs) }, "renew lock", () => client.eval(RENEW_LOCK_SCRIPT, 1, target.key, token, String(ttlMs)))
      .then((reply) => {
        failedMs = 0;
        if (reply !== 1) lost = true;
      })
      .catch(() => {
        failedMs += intervalMs;
        if (failedMs + intervalMs >= ttlMs) lost = true;
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    lost: () => lost,
    stop: () => clearInterval(timer),
  };
}
