/**
 * The naive baseline a warm resolve is compared with: what a user without this library writes,
 * per call, to pick a key from the store.
 *
 * @module
 */
import { readFileSync } from "node:fs";

/** What the baseline returns: enough to send a request. */
export interface NaiveAuth {
  /** The profile picked. */
  readonly profileId: string;
  /** Its API key or token. */
  readonly secret: string;
  /** The auth header to send. */
  readonly headers: Readonly<Record<string, string>>;
}

interface NaiveStore {
  readonly profiles: Readonly<Record<string, { type?: string; provider?: string; key?: string; token?: string; access?: string }>>;
  readonly usageStats?: Readonly<Record<string, { cooldownUntil?: number; disabledUntil?: number }>>;
}

/**
 * `readFileSync` + `JSON.parse` of the store, then the first profile of the provider that is not
 * cooling down, in file order. No validation, no round-robin, no TTL lookup: the least a naive
 * caller does, so the comparison is if anything flattering to the baseline.
 *
 * @param path - the store file
 * @param now - epoch ms
 * @returns the picked credential
 * @throws Error when no profile is usable
 */
export async function naiveResolve(path: string, now: number): Promise<NaiveAuth> {
  const data = JSON.parse(readFileSync(path, "utf8")) as NaiveStore;
  for (const [profileId, entry] of Object.entries(data.profiles)) {
    if (entry.provider !== "anthropic") continue;
    const stats = data.usageStats?.[profileId];
    if ((stats?.cooldownUntil ?? 0) > now || (stats?.disabledUntil ?? 0) > now) continue;
    if (entry.type === "api_key" && typeof entry.key === "string") return { profileId, secret: entry.key, headers: { "x-api-key": entry.key } };
    const token = entry.type === "oauth" ? entry.access : entry.type === "token" ? entry.token : undefined;
    if (typeof token === "string") return { profileId, secret: token, headers: { authorization: `Bearer ${token}` } };
  }
  throw new Error(`naive baseline: no usable profile in ${path}`);
}
