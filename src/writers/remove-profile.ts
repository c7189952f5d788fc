import { AuthProfilesError } from "../model/errors.js";
import type { StoreData } from "../model/store.js";
import { asRecord, editConfig } from "./config-edit.js";
import { writerTarget, type WriteResult, type WriterLocation } from "./target.js";
import { checkWriterOptions } from "./arguments.js";

/**
 * Options of {@link removeProfile}.
 *
 * @category Writing credentials
 */
export interface RemoveProfileOptions extends WriterLocation {
  /** The profile to remove, e.g. `anthropic:default`. */
  readonly profileId: string;
}

/**
 * What {@link removeProfile} did.
 *
 * @category Writing credentials
 */
export interface RemoveProfileResult extends WriteResult {
  /** `true` when the store held the credential (or usage stats or an order entry for it). */
  readonly removedFromStore: boolean;
  /** `true` when the config's `auth.profiles` or `auth.order` named it. */
  readonly removedFromConfig: boolean;
}

/**
 * Removes a profile from an agent: its credential, its usage stats and its entries in the store's
 * `order` (under the store lock, atomically), then its `auth.profiles` entry and its `auth.order`
 * entries in the config (under the config's lock). Removing an id that is nowhere is not an error:
 * both flags are `false`.
 *
 * @remarks The config's `auth` block is shared by every agent of the bot; pass `configPath: false`
 * to leave it alone (e.g. when another agent still uses a profile of the same id). Use it after
 * moving an OAuth login to another store: two stores must never refresh one rotating token.
 *
 * @param options - the profile id and the agent's location
 * @returns what was removed, and where
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an empty id; `STORE_*`, `CONFIG_*`, `FILE_UNSAFE`
 *
 * @example
 * ```ts
 * const { removedFromStore } = await removeProfile({ agentId: "work", profileId: "anthropic:old" });
 * ```
 *
 * @category Writing credentials
 */
export async function removeProfile(options: RemoveProfileOptions): Promise<RemoveProfileResult> {
  checkWriterOptions("removeProfile", options);
  const { profileId } = options;
  if (typeof profileId !== "string" || profileId.trim() === "") {
    throw new AuthProfilesError("INVALID_ARGUMENT", "removeProfile needs a profileId.", { hint: 'Pass e.g. { profileId: "anthropic:default" }.' });
  }
  const target = await writerTarget(options);
  try {
    const { result: removedFromStore } = await target.store.update((current) => {
      const next = withoutProfile(current, profileId);
      return next === current ? { result: false } : { data: next, result: true };
    });
    const removedFromConfig = target.configPath === null ? false : await editConfig(target.configPath, (raw) => withoutProfileMeta(raw, profileId));
    return { profileId, storePath: target.store.path, configPath: target.configPath, removedFromStore, removedFromConfig };
  } finally {
    await target.close();
  }
}

/**
 * The store document without a profile: no credential, usage stats, `order` or `lastGood` entry.
 *
 * @param data - the current document
 * @param profileId - the id
 * @returns the new document, or `data` itself when nothing named the id
 * @internal
 */
export function withoutProfile(data: StoreData, profileId: string): StoreData {
  const inOrder = Object.values(data.order ?? {}).some((ids) => ids.includes(profileId));
  const inLastGood = Object.values(data.lastGood ?? {}).includes(profileId);
  const inStats = data.usageStats !== undefined && Object.hasOwn(data.usageStats, profileId);
  if (!Object.hasOwn(data.profiles, profileId) && !inOrder && !inStats && !inLastGood) return data;
  const { [profileId]: _credential, ...profiles } = data.profiles;
  let next: StoreData = { ...data, profiles };
  if (data.usageStats !== undefined) {
    const { [profileId]: _stats, ...usageStats } = data.usageStats;
    next = { ...next, usageStats };
  }
  if (data.order !== undefined) {
    next = { ...next, order: Object.fromEntries(Object.entries(data.order).map(([provider, ids]) => [provider, ids.filter((id) => id !== profileId)])) };
  }
  if (data.lastGood !== undefined) {
    next = { ...next, lastGood: Object.fromEntries(Object.entries(data.lastGood).filter(([, id]) => id !== profileId)) };
  }
  return next;
}

function withoutProfileMeta(raw: Record<string, unknown>, profileId: string): Record<string, unknown> {
  if (!Object.hasOwn(raw, "auth")) return raw;
  const auth = asRecord(raw["auth"]);
  const nextAuth: Record<string, unknown> = { ...auth };
  if (Object.hasOwn(auth, "profiles")) {
    const { [profileId]: _meta, ...profiles } = asRecord(auth["profiles"]);
    nextAuth["profiles"] = profiles;
  }
  if (Object.hasOwn(auth, "order")) {
    const order = asRecord(auth["order"]);
    nextAuth["order"] = Object.fromEntries(Object.entries(order).map(([provider, ids]) => [provider, Array.isArray(ids) ? ids.filter((id) => id !== profileId) : ids]));
  }
  return { ...raw, auth: nextAuth };
}
