import { randomBytes } from "node:crypto";
import { DEFAULT_AGENT_ID, validateAgentId } from "../config/agent-id.js";
import { AuthProfilesError } from "../model/errors.js";
import { createStoreCodec } from "./codec.js";
import { backoffDelayMs, sleepMs } from "./backoff.js";
import { createFieldCipher } from "./crypto.js";
import { REDIS_COMMAND_TIMEOUT_MS, redisCall, type RedisCallTarget } from "./errors.js";
import { REDIS_LOCK_TTL_MS, REDIS_LOCK_WAIT_MS, withRedisLock } from "./lock.js";
import {
  integerOption,
  openRedisConnection,
  REDIS_DEFAULT_KEY_PREFIX,
  REDIS_MAX_CONFLICT_RETRIES,
  type RedisProfileStoreOptions,
} from "./options.js";
import { COMPARE_AND_SET_SCRIPT } from "./scripts.js";
import { createVersionWatcher, REDIS_WATCH_INTERVAL_MS } from "./watch.js";
import type { ProfileStore, StoreData, StoreMutator, StoreUpdateResult } from "../model/store.js";
import { requireObject } from "../model/arguments.js";

/**
 * A {@link ProfileStore} in Redis, shared by every gateway host that points at the same keys.
 *
 * @category Store
 */
export interface RedisProfileStore extends ProfileStore {
  /**
   * The profile ids agent `agentId` stores under the same key prefix (read from its key; no
   * field is decrypted, so another agent's encryption binding does not matter). `status()` uses it
   * for a shared config's entries that belong to other agents.
   *
   * @param agentId - the other agent
   * @returns its profile ids (empty when it has no store here)
   * @throws AuthProfilesError `INVALID_ARGUMENT` for an unsafe agent id, `STORE_UNAVAILABLE`
   */
  profileIdsOfAgent(agentId: string): Promise<readonly string[]>;
  /**
   * Runs `work` while holding this profile's refresh lock in Redis, so only one host at a time
   * calls the OAuth token endpoint for it. Inside `work`: re-read the store (another host may have
   * refreshed already), call the endpoint, then save the result with a pure `update` mutator. Do
   * not call the endpoint inside the mutator: after a conflicting write it runs again, and a
   * second call would spend the rotated refresh token.
   *
   * @param profileId - the profile being refreshed
   * @param work - the refresh
   * @returns what `work` returned
   * @throws AuthProfilesError `STORE_LOCKED` when another host holds the lock too long or the lock
   * was lost; `STORE_UNAVAILABLE` when Redis is down
   */
  withRefreshLock<T>(profileId: string, work: () => Promise<T>): Promise<T>;
  /** Stops watching, waits for queued updates, and closes the client if the store created it; idempotent. */
  close(): Promise<void>;
}

/**
 * Creates a profile store kept in Redis, so several gateway hosts share one set of profiles,
 * cooldowns, round-robin state and refreshed OAuth tokens.
 *
 * @remarks
 * The document (the `auth-profiles.json` shape, validated with the same schema) and a version
 * counter live in the hash `<keyPrefix><agentId>:store`. `update` is an optimistic
 * read-modify-write: it reads document and version, applies the mutator, and writes with a Lua
 * compare-and-set on the version; when another host wrote first it retries with jittered backoff
 * (so a mutator may run more than once and must be pure). Updates from one store instance run one
 * at a time. `watch` polls the version once a second. Refresh locks are separate keys
 * `<keyPrefix><agentId>:refresh-lock:<profileId>`.
 *
 * @param options - `url` (the store owns the client) or `client` (you own it), plus key prefix,
 * agent id, encryption and timing options
 * @returns the store
 * @throws AuthProfilesError `INVALID_ARGUMENT` for a bad URL, agent id, encryption key or option. Its
 * methods throw `STORE_UNAVAILABLE` (Redis down, with a hint), `STORE_INVALID`, `STORE_DECRYPT`
 * (naming the key id and profile id) and `STORE_LOCKED` (too many conflicting writes)
 *
 * @example
 * ```ts
 * import { createRedisProfileStore } from "auth-profiles/redis";
 * const store = createRedisProfileStore({
 *   url: "rediss://gateway:secret@cache.internal:6380",
 *   agentId: "main",
 *   encryption: { keys: { k1: Buffer.from(process.env.PROFILE_KEY!, "base64") }, currentKeyId: "k1" },
 * });
 * const resolver = createAuthResolver({ store });
 * ```
 *
 * @category Store
 */
export function createRedisProfileStore(options: RedisProfileStoreOptions): RedisProfileStore {
  requireObject("createRedisProfileStore", "options", options);
  // The same rule as the file store's agent directories: no separators, so agent "a:b" can never
  // read or write the keys of agent "a".
  const agentId = validateAgentId(options.agentId ?? DEFAULT_AGENT_ID);
  const keyPrefix = options.keyPrefix ?? REDIS_DEFAULT_KEY_PREFIX;
  const prefix = `${keyPrefix}${agentId}`;
  const maxConflictRetries = integerOption("maxConflictRetries", options.maxConflictRetries, REDIS_MAX_CONFLICT_RETRIES, 0);
  const timeoutMs = integerOption("commandTimeoutMs", options.commandTimeoutMs, REDIS_COMMAND_TIMEOUT_MS, 1);
  const watchIntervalMs = integerOption("watchIntervalMs", options.watchIntervalMs, REDIS_WATCH_INTERVAL_MS, 1);
  const lockTtlMs = integerOption("refreshLockTtlMs", options.refreshLockTtlMs, REDIS_LOCK_TTL_MS, 30);
  const lockWaitMs = integerOption("refreshLockWaitMs", options.refreshLockWaitMs, REDIS_LOCK_WAIT_MS, 0);
  const cipher = options.encryption === undefined ? undefined : createFieldCipher(options.encryption, { keyPrefix, agentId });
  const { client, owned, path } = openRedisConnection(options);

  const key = `${prefix}:store`;
  const target: RedisCallTarget = { path, key, timeoutMs };
  const codec = createStoreCodec(`${path} (key ${key})`, cipher);
  /** The version this instance last read or wrote: where a new watch starts from. */
  let seenVersion: string | null | undefined;
  const readVersion = async (): Promise<string | null> => redisCall(target, "watch", () => client.hget(key, "version"));
  const watcher = createVersionWatcher(readVersion, () => seenVersion, watchIntervalMs, options.logger);
  let queue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;

  const closedError = (): AuthProfilesError =>
    new AuthProfilesError("STORE_UNAVAILABLE", `The Redis profile store ${path} (key ${key}) is closed.`, {
      hint: "Create a new store; close() is for shutdown.",
      details: { file: path, key },
    });

  const readRaw = async (): Promise<{ readonly text: string | null; readonly version: string }> => {
    const [text, version] = await redisCall(target, "read", () => client.hmget(key, "data", "version"));
    seenVersion = version ?? null;
    return { text: text ?? null, version: version ?? "0" };
  };

  const attemptUpdates = async <T>(mutator: StoreMutator<T>): Promise<StoreUpdateResult<T>> => {
    for (let conflicts = 0; ; conflicts += 1) {
      const raw = await readRaw();
      const current = codec.decode(raw.text);
      const mutation = await mutator(current);
      if (mutation.data === undefined) return { result: mutation.result, data: current };
      const encoded = codec.encode(mutation.data);
      const writeId = randomBytes(12).toString("base64url");
      const reply = await redisCall(target, "update", () => client.eval(COMPARE_AND_SET_SCRIPT, 1, key, raw.version, encoded.text, writeId));
      if (Array.isArray(reply) && reply[0] === 1) {
        seenVersion = String(reply[1]);
        return { result: mutation.result, data: encoded.data };
      }
      if (conflicts >= maxConflictRetries) {
        throw new AuthProfilesError("STORE_LOCKED", `Gave up updating ${path} (key ${key}): other hosts wrote first ${conflicts + 1} times in a row.`, {
          hint: "Many hosts are updating this store at once. Retry; if it keeps happening, raise maxConflictRetries.",
          details: { file: path, key, attempts: conflicts + 1 },
        });
      }
      await sleepMs(backoffDelayMs(conflicts, 5, 200));
    }
  };

  return {
    path,
    refreshJournalPath: options.refreshJournalPath,
    async read(): Promise<StoreData> {
      if (closing !== undefined) throw closedError();
      return codec.decode((await readRaw()).text);
    },
    update<T>(mutator: StoreMutator<T>): Promise<StoreUpdateResult<T>> {
      if (closing !== undefined) return Promise.reject(closedError());
      // One update at a time per instance: concurrent callers here would only conflict with each other.
      const run = queue.then(() => attemptUpdates(mutator));
      queue = run.catch(() => undefined);
      return run;
    },
    watch(onChange: () => void): () => void {
      if (closing !== undefined) throw closedError();
      return watcher.add(onChange);
    },
    withRefreshLock<T>(profileId: string, work: () => Promise<T>): Promise<T> {
      if (closing !== undefined) return Promise.reject(closedError());
      const lockTarget = { path, key: `${prefix}:refresh-lock:${profileId}`, timeoutMs };
      return withRedisLock(client, lockTarget, work, { ttlMs: lockTtlMs, waitMs: lockWaitMs, purpose: `the refresh of profile "${profileId}"` });
    },
    async profileIdsOfAgent(otherAgentId: string): Promise<readonly string[]> {
      if (closing !== undefined) throw closedError();
      const otherKey = `${keyPrefix}${validateAgentId(otherAgentId)}:store`;
      const text = await redisCall({ path, key: otherKey, timeoutMs }, "read", () => client.hget(otherKey, "data"));
      return profileIdsIn(text);
    },
    close(): Promise<void> {
      closing ??= (async () => {
        watcher.stop();
        await queue;
        if (!owned) return;
        if (client.status === "ready") {
          await redisCall(target, "close", () => client.quit()).catch(() => client.disconnect());
        } else {
          client.disconnect();
        }
      })();
      return closing;
    },
  };
}

/** The profile ids of a stored document's text (no field is decrypted); none when it does not parse. */
function profileIdsIn(text: string | null): readonly string[] {
  if (text === null) return [];
  try {
    const profiles: unknown = (JSON.parse(text) as { profiles?: unknown } | null)?.profiles;
    return typeof profiles === "object" && profiles !== null && !Array.isArray(profiles) ? Object.keys(profiles) : [];
  } catch {
    return [];
  }
}
