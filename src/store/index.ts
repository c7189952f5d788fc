/**
 * The file-backed profile store: `auth-profiles.json`, OpenClaw compatible. Only the public parts
 * are re-exported here; the fs primitives (`lock`, `atomic-write`, `file-watch`, `file-safety`)
 * are internal and imported from their own modules.
 *
 * @module
 */
export { createFileProfileStore, DEFAULT_PARSE_RETRY_MS } from "./file-store.js";
export type { FileProfileStore, FileProfileStoreOptions } from "./file-store.js";
export { emptyStore, parseStore, serializeStore } from "./format.js";
export { DEFAULT_LOCK_WAIT_MS, MIN_LOCK_STALE_MS, STORE_LOCK_STALE_MS } from "./lock.js";
export type {
  ApiKeyProfile,
  OAuthProfile,
  ProfileStore,
  StoreData,
  StoredCredential,
  StoreMutation,
  StoreMutator,
  StoreUpdateResult,
  TokenProfile,
  UnknownProfile,
  UsageStats,
} from "./types.js";
