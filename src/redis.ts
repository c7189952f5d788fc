/**
 * `auth-profiles/redis`: a `ProfileStore` in Redis, so several gateway hosts share one set of
 * profiles, cooldowns and refreshed OAuth tokens. Needs the optional peer dependency `ioredis`.
 *
 * @module auth-profiles/redis
 */

export { createRedisProfileStore } from "./redis/store.js";
export type { RedisProfileStore } from "./redis/store.js";
export type {
  RedisProfileStoreBaseOptions,
  RedisProfileStoreClientOptions,
  RedisProfileStoreOptions,
  RedisProfileStoreUrlOptions,
} from "./redis/options.js";
export { ENCRYPTED_FIELDS, ENCRYPTION_ALGORITHM } from "./redis/crypto.js";
export type { EncryptedValue, RedisStoreEncryption } from "./redis/crypto.js";
export type { RedisStoreLogger } from "./redis/watch.js";
