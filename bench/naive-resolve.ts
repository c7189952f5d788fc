/**
 * The naive baseline a warm resolve is compared with: what a resolver without a cache would do on
 * every call.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { parseStore } from "../src/store/format.js";
import type { StoreData } from "../src/model/store.js";

/** What the baseline returns: enough to send a request. */
export interface NaiveAuth {
  /** The profile picked. */
  readonly profileId: string;
  /** Its API key or token. */
  readonly secret: string;
  /** The auth header to send. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads the store file, parses and validates it with the library's `parseStore` (JSON.parse plus
 * the valibot schema), and picks the first usable profile in file order: a known credential of the
 * provider that is not in cooldown or disabled. No round-robin sort and no TTL lookup, so the
 * baseline does less selection work than the library.
 *
 * @param path - the store file
 * @param now - epoch ms
 * @returns the picked credential
 * @throws Error when no profile is usable
 */
export async function naiveResolve(path: string, now: number): Promise<NaiveAuth> {
  const data = parseStore(await readFile(path, "utf8"), path);
  const picked = firstUsable(data, "anthropic", now);
  if (picked === null) throw new Error(`naive baseline: no usable profile in ${path}`);
  return picked;
}

function firstUsable(data: StoreData, provider: string, now: number): NaiveAuth | null {
  for (const [profileId, entry] of Object.entries(data.profiles)) {
    if (entry.provider !== provider) continue;
    const stats = data.usageStats?.[profileId];
    if ((stats?.cooldownUntil ?? 0) > now || (stats?.disabledUntil ?? 0) > now) continue;
    if (entry.type === "api_key" && typeof entry["key"] === "string") return { profileId, secret: entry["key"], headers: { "x-api-key": entry["key"] } };
    const token = entry.type === "oauth" ? entry["access"] : entry.type === "token" ? entry["token"] : undefined;
    if (typeof token === "string") return { profileId, secret: token, headers: { authorization: `Bearer ${token}` } };
  }
  return null;
}
