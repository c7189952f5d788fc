/**
 * `auth-profiles/store`: the file profile store (`auth-profiles.json`, OpenClaw's format) and the
 * `ProfileStore` contract any other store implements. Every write is locked, re-read, applied and
 * written atomically.
 *
 * @module auth-profiles/store
 */

export { createFileProfileStore } from "./store/file-store.js";
export type { FileProfileStore, FileProfileStoreOptions } from "./store/file-store.js";
export type { LockKind } from "./io/lock.js";
export { emptyStore, parseStore, serializeStore } from "./store/format.js";
export { keptEntriesOf } from "./store/kept-entries.js";
export { KEPT_ENTRIES } from "./model/store.js";
export type {
  ApiKeyProfile,
  KeptEntry,
  OAuthProfile,
  ProfileStore,
  StoreData,
  StoredCredential,
  StoreMutation,
  StoreMutator,
  StoredReason,
  StoreUpdateResult,
  TokenProfile,
  TokenRotation,
  UnknownProfile,
  UsageStats,
  WatchOptions,
} from "./model/store.js";
