/**
 * `auth-profiles/redis`: a `ProfileStore` in Redis, so several gateway hosts share one set of
 * profiles, cooldowns and refreshed OAuth tokens. Needs the optional peer dependency `ioredis`.
 *
 * @packageDocumentation
 */

export { createRedisProfileStore } from "./redis/store.js";
export type { RedisProfileStore } from "./redis/store.js";
export { REDIS_DEFAULT_KEY_PREFIX, REDIS_MAX_CONFLICT_RETRIES } from "./redis/options.js";
export type {
  RedisProfileStoreBaseOptions,
  RedisProfileStoreClientOptions,
  RedisProfileStoreOptions,
  RedisProfileStoreUrlOptions,
} from "./redis/options.js";
export { ENCRYPTED_FIELDS, ENCRYPTION_ALGORITHM } from "./redis/crypto.js";
export type { EncryptedValue, RedisStoreEncryption } from "./redis/crypto.js";
export { REDIS_COMMAND_TIMEOUT_MS } from "./redis/errors.js";
export { REDIS_LOCK_TTL_MS, REDIS_LOCK_WAIT_MS } from "./redis/lock.js";
export { REDIS_WATCH_INTERVAL_MS } from "./redis/watch.js";
export type { RedisStoreLogger } from "./redis/watch.js";
