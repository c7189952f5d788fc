import { AuthProfilesError } from "../model/errors.js";
import { isKnownCredential } from "../credentials/stored.js";
import type { StoredCredential } from "../model/store.js";
import { writerTarget, type WriterLocation } from "./target.js";
import { withProfile } from "../selection/usage.js";
import { checkWriterOptions } from "./arguments.js";

/**
 * One side of a copy: an agent id (with the shared location options), or a full location / store.
 *
 * @category Writing credentials
 */
export type CopySide = string | WriterLocation;

/**
 * Options of {@link copyProfiles}.
 *
 * @category Writing credentials
 */
export interface CopyProfilesOptions extends Omit<WriterLocation, "agentId" | "agentDir" | "store"> {
  /** Source agent id or location (e.g. `"main"`, or `{ store: fileStore }`). */
  readonly from: CopySide;
  /** Target agent id or location (e.g. `"work"`, or `{ store: redisStore }`). */
  readonly to: CopySide;
  /** Only these profile ids. Default: every credential of the source. */
  readonly profileIds?: readonly string[] | undefined;
  /** Replace profiles the target already has. Default `false` (they are skipped). */
  readonly overwrite?: boolean | undefined;
  /**
   * Also copy OAuth logins. Default `false`: two stores holding one rotating refresh token refresh
   * it independently, and the loser is logged out (`invalid_grant`). Use it to move a login (then
   * delete it at the source), not to share one.
   */
  readonly includeOAuth?: boolean | undefined;
}

/**
 * A profile {@link copyProfiles} left out, and why.
 *
 * @category Writing credentials
 */
export interface SkippedProfile {
  /** The profile id. */
  readonly profileId: string;
  /** `exists` (target has it), `oauth` (see `includeOAuth`), `unknown_type`, or `missing` (not in the source). */
  readonly reason: "exists" | "oauth" | "unknown_type" | "missing";
}

/**
 * What {@link copyProfiles} did.
 *
 * @category Writing credentials
 */
export interface CopyProfilesResult {
  /** Profile ids written to the target. */
  readonly copied: readonly string[];
  /** Profile ids left out, and why. */
  readonly skipped: readonly SkippedProfile[];
  /** The source store. */
  readonly fromPath: string;
  /** The target store. */
  readonly toPath: string;
}

/**
 * Copies credentials from one agent (or store) to another: auth is per agent and never inherited,
 * so this is the explicit way to share a key. Works between any two `ProfileStore`s (file ↔ Redis).
 * Usage stats and cooldowns are not copied. Each copied profile is recorded in the target's config.
 *
 * @param options - source, target and what to copy
 * @returns what was copied and skipped
 * @throws AuthProfilesError `INVALID_ARGUMENT` when source and target are the same store; `STORE_*`,
 *   `CONFIG_*`, `FILE_UNSAFE`
 *
 * @example
 * ```ts
 * await copyProfiles({ from: "main", to: "work" }); // API keys and setup-tokens of main → work
 * ```
 *
 * @category Writing credentials
 */
export async function copyProfiles(options: CopyProfilesOptions): Promise<CopyProfilesResult> {
  checkWriterOptions("copyProfiles", options);
  const { from, to, profileIds, overwrite = false, includeOAuth = false, ...shared } = options;
  const source = await writerTarget(side(from, shared));
  const target = await writerTarget(side(to, shared)).catch(async (error: unknown) => {
    await source.close();
    throw error;
  });
  try {
    if (source.store.path === target.store.path) {
      throw new AuthProfilesError("INVALID_ARGUMENT", `copyProfiles: source and target are the same store (${source.store.path}).`, { hint: "Pass two different agents or stores." });
    }
    const data = await source.store.read();
    const wanted = profileIds ?? Object.keys(data.profiles);
    const skipped: SkippedProfile[] = [];
    const entries: [string, StoredCredential][] = [];
    for (const id of wanted) {
      const entry = data.profiles[id];
      if (entry === undefined) skipped.push({ profileId: id, reason: "missing" });
      else if (!isKnownCredential(entry)) skipped.push({ profileId: id, reason: "unknown_type" });
      else if (entry.type === "oauth" && !includeOAuth) skipped.push({ profileId: id, reason: "oauth" });
      else entries.push([id, entry]);
    }
    const { result: copied } = await target.store.update((current) => {
      let next = current;
      const written: string[] = [];
      for (const [id, entry] of entries) {
        if (Object.hasOwn(current.profiles, id) && !overwrite) continue;
        next = withProfile(next, id, entry);
        written.push(id);
      }
      return { data: written.length > 0 ? next : undefined, result: written };
    });
    for (const [id] of entries) if (!copied.includes(id)) skipped.push({ profileId: id, reason: "exists" });
    for (const [id, entry] of entries) {
      if (copied.includes(id)) await target.recordMeta(id, { provider: entry.provider, mode: entry.type, ...(typeof entry.email === "string" ? { email: entry.email } : {}) });
    }
    return { copied, skipped, fromPath: source.store.path, toPath: target.store.path };
  } finally {
    await source.close();
    await target.close();
  }
}

function side(value: CopySide, shared: Omit<WriterLocation, "agentId" | "agentDir" | "store">): WriterLocation {
  return typeof value === "string" ? { ...shared, agentId: value } : { ...shared, ...value };
}
