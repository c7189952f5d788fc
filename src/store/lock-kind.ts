import { lstat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { LockKind } from "../io/lock.js";

/** The first OpenClaw release whose store lock is a `{pid, createdAt}` file instead of a directory. @internal */
export const OPENCLAW_FILE_LOCK_SINCE = "2026.2.13";

/** The file OpenClaw ≥ 2026.4.7 keeps beside `auth-profiles.json` for order, lastGood and usage. @internal */
export const AUTH_STATE_FILENAME = "auth-state.json";

/** What {@link chooseLockKind} knows about the other program sharing the store. @internal */
export interface LockKindHints {
  /** The caller's explicit choice, if any. */
  readonly explicit?: LockKind | undefined;
  /** OpenClaw's `meta.lastTouchedVersion` from its config, if known. */
  readonly openclawVersion?: string | undefined;
  /** The kind of the last lock another process held at this path, if one was seen. */
  readonly lastSeen?: LockKind | undefined;
}

/**
 * Picks the kind of `auth-profiles.json.lock` to create so that it matches the OpenClaw generation
 * sharing the store, in this order: the explicit option; `auth-state.json` beside the store
 * (OpenClaw ≥ 2026.4.7, file lock); OpenClaw's version stamp in its config (file lock from
 * {@link OPENCLAW_FILE_LOCK_SINCE}); the kind of a lock another process was last seen holding;
 * else `file`, the lock of every OpenClaw release since February 2026.
 *
 * @param storePath - the `auth-profiles.json` path
 * @param hints - what is known
 * @returns the kind to create
 * @internal
 */
export async function chooseLockKind(storePath: string, hints: LockKindHints): Promise<LockKind> {
  if (hints.explicit !== undefined) return hints.explicit;
  const byVersion = hints.openclawVersion === undefined ? null : lockKindOfVersion(hints.openclawVersion);
  const otherwise = byVersion ?? hints.lastSeen ?? "file";
  // auth-state.json can only turn the answer into `file`: looked for only when it would change it.
  if (otherwise === "file") return "file";
  return (await exists(join(dirname(storePath), AUTH_STATE_FILENAME))) ? "file" : otherwise;
}

/**
 * The lock kind an OpenClaw release uses, from its version string (`2026.2.12`, `2026.4.5-beta.1`).
 *
 * @param version - OpenClaw's version
 * @returns `directory` before {@link OPENCLAW_FILE_LOCK_SINCE}, `file` from it, `null` when it does not parse
 * @internal
 */
export function lockKindOfVersion(version: string): LockKind | null {
  const atLeast = isAtLeast(version, OPENCLAW_FILE_LOCK_SINCE);
  return atLeast === null ? null : atLeast ? "file" : "directory";
}

/** The first OpenClaw release that keeps order, lastGood and usage in {@link AUTH_STATE_FILENAME}. @internal */
export const OPENCLAW_AUTH_STATE_SINCE = "2026.4.7";

/**
 * Whether an OpenClaw release keeps its runtime state in `auth-state.json` (2026.4.7 and later).
 *
 * @param version - OpenClaw's version (its config's `meta.lastTouchedVersion`), if known
 * @returns `true` from {@link OPENCLAW_AUTH_STATE_SINCE} on; `false` before it, or when unknown or unparsable
 * @internal
 */
export function usesAuthStateFile(version: string | undefined): boolean {
  return version !== undefined && isAtLeast(version, OPENCLAW_AUTH_STATE_SINCE) === true;
}

function isAtLeast(version: string, since: string): boolean | null {
  const parsed = parseVersion(version);
  const floor = parseVersion(since) as readonly number[];
  if (parsed === null) return null;
  for (let i = 0; i < 3; i += 1) {
    const a = parsed[i] as number;
    const b = floor[i] as number;
    if (a !== b) return a > b;
  }
  return true;
}

function parseVersion(version: string): readonly number[] | null {
  const match = /^v?(\d{4})\.(\d{1,2})\.(\d{1,2})(?:[-+.].*)?$/.exec(version.trim());
  return match === null ? null : [Number(match[1]), Number(match[2]), Number(match[3])];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
