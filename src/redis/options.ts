import { Redis, type RedisOptions } from "ioredis";
import { AuthProfilesError } from "../model/errors.js";
import { redactText } from "../model/redact.js";
import type { RedisStoreEncryption } from "./crypto.js";
import { describeRedisClient, describeRedisUrl } from "./url.js";
import type { RedisStoreLogger } from "./watch.js";

/** The key prefix used when none is given: keys look like `auth-profiles:main:store`. @internal */
export const REDIS_DEFAULT_KEY_PREFIX = "auth-profiles:";

/** How many times an update is retried after another host wrote first, before `STORE_LOCKED`. @internal */
export const REDIS_MAX_CONFLICT_RETRIES = 50;

/**
 * Options of {@link createRedisProfileStore} shared by both ways of connecting.
 *
 * @category Store
 */
export interface RedisProfileStoreBaseOptions {
  /** Prefix of every key. @defaultValue `"auth-profiles:"` */
  readonly keyPrefix?: string | undefined;
  /**
   * The agent whose profiles this store holds (auth is per agent). Default `main`. Same rule as
   * the file store: letters, digits, `.`, `_`, `-`, not starting with `.`, at most 128 characters.
   */
  readonly agentId?: string | undefined;
  /** Encrypt `key`, `token`, `access` and `refresh` at rest (AES-256-GCM). Default: plain text. */
  readonly encryption?: RedisStoreEncryption | undefined;
  /** Conflicting writes tolerated per update before `STORE_LOCKED`. @defaultValue `50` */
  readonly maxConflictRetries?: number | undefined;
  /** Deadline of each Redis command, in ms. @defaultValue `5000` */
  readonly commandTimeoutMs?: number | undefined;
  /** How often `watch` polls the version, in ms. @defaultValue `1000` */
  readonly watchIntervalMs?: number | undefined;
  /** Expiry of the refresh lock, renewed while the refresh runs, in ms. @defaultValue `30000` */
  readonly refreshLockTtlMs?: number | undefined;
  /** How long `withRefreshLock` waits for another host's refresh, in ms. @defaultValue `60000` */
  readonly refreshLockWaitMs?: number | undefined;
  /**
   * A local file (0600) where a resolver journals a rotated OAuth pair, fsynced, before writing it
   * to Redis: a process killed (or a Redis that stalls) after the token endpoint answered then
   * loses nothing. Give each process on a host its own file. Default: none (a pair Redis could not
   * take is held in the process's memory only).
   */
  readonly refreshJournalPath?: string | undefined;
  /** Told when Redis becomes unreachable (warn) and about failed watch polls (debug). Default: silent. */
  readonly logger?: RedisStoreLogger | undefined;
}

/**
 * Connect with a URL: the store creates the ioredis client and closes it in `close()`.
 *
 * @category Store
 */
export interface RedisProfileStoreUrlOptions extends RedisProfileStoreBaseOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. */
  readonly url: string;
  /** More ioredis options (TLS certificates, `username`, `password`, timeouts…), applied over the store's defaults. */
  readonly clientOptions?: RedisOptions | undefined;
  /** Not with `url`. */
  readonly client?: never | undefined;
}

/**
 * Use an ioredis client the caller owns: `close()` leaves it open.
 *
 * @category Store
 */
export interface RedisProfileStoreClientOptions extends RedisProfileStoreBaseOptions {
  /** A connected (or lazily connecting) ioredis client. */
  readonly client: Redis;
  /** Not with `client`. */
  readonly url?: never | undefined;
  /** Not with `client`. */
  readonly clientOptions?: never | undefined;
}

/**
 * Options of {@link createRedisProfileStore}: a `url` or a `client`, plus the shared options.
 *
 * @category Store
 */
export type RedisProfileStoreOptions = RedisProfileStoreUrlOptions | RedisProfileStoreClientOptions;

/** The client a store talks through. @internal */
export interface RedisConnection {
  /** The client. */
  readonly client: Redis;
  /** Whether the store created it (and so closes it). */
  readonly owned: boolean;
  /** Where it connects, without password. */
  readonly path: string;
}

/**
 * Creates the ioredis client from `url`, or takes the caller's.
 *
 * @remarks
 * A created client connects lazily, fails a command after one reconnect attempt instead of queueing
 * it for long, and reconnects at most once a second; its connection errors go to `logger` (once per
 * outage) instead of ioredis's default console output.
 *
 * @param options - the store options
 * @returns the client, whether the store owns it, and its password-free location
 * @throws AuthProfilesError `INVALID_ARGUMENT` for a bad URL or when neither `url` nor `client` is given
 * @internal
 */
export function openRedisConnection(options: RedisProfileStoreOptions): RedisConnection {
  if (options.client !== undefined) return { client: options.client, owned: false, path: describeRedisClient(options.client) };
  if (typeof options.url !== "string") {
    throw new AuthProfilesError("INVALID_ARGUMENT", "The Redis profile store needs a `url` or a `client`.", {
      hint: "Pass { url: 'redis://host:6379' } or { client: new Redis(…) }.",
      details: { option: "url" },
    });
  }
  const path = describeRedisUrl(options.url);
  const client = new Redis(options.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    retryStrategy: (times: number) => Math.min(times * 100, 1_000),
    ...options.clientOptions,
  });
  const logger = options.logger;
  let warned = false;
  client.on("error", (error: unknown) => {
    if (warned) return;
    warned = true;
    logger?.warn(`auth-profiles: Redis at ${path} is unreachable: ${redactText(error instanceof Error ? error.message : String(error))}`);
  });
  client.on("ready", () => {
    warned = false;
  });
  return { client, owned: true, path };
}

/**
 * Checks a numeric option.
 *
 * @param name - the option name, for the message
 * @param value - the given value, or `undefined`
 * @param fallback - the default
 * @param min - the smallest allowed value
 * @returns the value to use
 * @throws AuthProfilesError `INVALID_ARGUMENT` when it is not an integer ≥ `min`
 * @internal
 */
export function integerOption(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new AuthProfilesError("INVALID_ARGUMENT", `The Redis profile store option ${name} must be an integer ≥ ${min}.`, {
      hint: `Remove ${name} to use the default (${fallback}).`,
      details: { option: name },
    });
  }
  return value;
}
