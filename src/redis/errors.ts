import { AuthProfilesError } from "../model/errors.js";
import { redactText } from "../model/redact.js";

/** How long one Redis command may take before the store gives up on it. @internal */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

/** Where a Redis call goes, for error messages. @internal */
export interface RedisCallTarget {
  /** The Redis URL without password. */
  readonly path: string;
  /** The key the call works on. */
  readonly key: string;
  /** Give up after this long. */
  readonly timeoutMs: number;
}

/**
 * Runs one Redis call with a deadline and turns every client failure into a typed error.
 *
 * @remarks
 * A timed-out command may still run on the server later; callers treat it as "not acknowledged".
 * Compare-and-set writes carry a write id, so a command the client re-sends after a reconnect is
 * never applied twice.
 *
 * @param target - URL, key and deadline
 * @param operation - what is being done (`read`, `update`, `lock`, …), for messages
 * @param call - the command
 * @returns what the command returned
 * @throws AuthProfilesError `STORE_UNAVAILABLE` when Redis cannot be reached, refuses the login or
 * does not answer in time; `STORE_INVALID` when the key holds another Redis type
 * @internal
 */
export async function redisCall<T>(target: RedisCallTarget, operation: string, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(target.timeoutMs)), target.timeoutMs);
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (error) {
    throw toStoreError(error, target, operation);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Maps a Redis client error to the store's typed error (an {@link AuthProfilesError} passes through).
 *
 * @param error - what the client threw
 * @param target - URL and key
 * @param operation - what was being done
 * @returns the typed error
 * @internal
 */
export function toStoreError(error: unknown, target: Pick<RedisCallTarget, "path" | "key">, operation: string): AuthProfilesError {
  if (error instanceof AuthProfilesError) return error;
  const details = { file: target.path, key: target.key, operation };
  const message = error instanceof Error ? error.message : "";
  const cause = plainCause(error);
  if (message.startsWith("WRONGTYPE")) {
    return new AuthProfilesError("STORE_INVALID", `Redis key ${target.key} at ${target.path} is not a profile store (it holds another Redis type).`, {
      hint: `Point the store at another keyPrefix, or delete the key ${target.key} if nothing else uses it.`,
      cause,
      details,
    });
  }
  const refused = /^(NOAUTH|WRONGPASS)\b/.test(message) ? "authentication failed" : /^NOPERM\b|can't run this command/.test(message) ? "permission denied" : undefined;
  if (refused !== undefined) {
    return new AuthProfilesError("STORE_UNAVAILABLE", `Redis at ${target.path} refused the ${operation} of ${target.key}: ${refused}.`, {
      hint: "Check the ACL user and password (rediss://user:password@host:port or the client's username/password options) and that the user may run EVAL, GET, SET, DEL, PEXPIRE, HGET, HMGET, HSET and HINCRBY on keys under the store's keyPrefix.",
      cause,
      details,
    });
  }
  const timedOut = error instanceof RedisTimeoutError;
  const what = timedOut ? `did not answer within ${error.timeoutMs} ms` : "is unavailable";
  return new AuthProfilesError("STORE_UNAVAILABLE", `Redis at ${target.path} ${what} (${operation} of ${target.key}).`, {
    hint: `Check that Redis at ${target.path} is running and reachable from this host (address, port, TLS, firewall), then retry. The client reconnects on its own.`,
    cause,
    details,
  });
}

/**
 * ioredis errors carry the failed command with its arguments (the whole document, credentials
 * included, for a write): keep only name, message and code.
 */
function plainCause(error: unknown): Error {
  const plain = new Error(redactText(error instanceof Error ? error.message : String(error)));
  plain.name = error instanceof Error ? error.name : "Error";
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") Object.defineProperty(plain, "code", { value: code, enumerable: true });
  return plain;
}

/** The deadline of {@link redisCall} passed. */
class RedisTimeoutError extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`Redis command timed out after ${timeoutMs} ms`);
    this.name = "RedisTimeoutError";
    this.timeoutMs = timeoutMs;
  }
}
