import { lstat } from "node:fs/promises";
import type { BigIntStats } from "node:fs";

/**
 * What tells two versions of a file apart without reading them: device, inode, size and the
 * nanosecond change times. Every atomic writer (ours, OpenClaw's rename) makes a new inode, and an
 * in-place writer (older OpenClaw, an editor) changes size or mtime, so an equal identity means "the
 * same content as when it was read". Inode numbers are reused, but not with the same nanosecond
 * mtime and ctime. @internal
 */
export interface FileIdentity {
  /** Device id. */
  readonly dev: bigint;
  /** Inode number. */
  readonly ino: bigint;
  /** Size in bytes. */
  readonly size: bigint;
  /** Content change time, ns. */
  readonly mtimeNs: bigint;
  /** Inode change time, ns. */
  readonly ctimeNs: bigint;
}

/**
 * The identity of an opened file, from its `fstat` (or `lstat`) in bigint form.
 *
 * @param stats - the stats
 * @returns the identity
 * @internal
 */
export function fileIdentity(stats: BigIntStats): FileIdentity {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs };
}

/**
 * Tells whether the directory entry at `path` is still the file that was read (`null`: the file
 * was missing and still is). The entry itself is examined (`lstat`): a symbolic link swapped in
 * is a change.
 *
 * @param path - the file
 * @param expected - its identity when it was read, or `null` when it was missing
 * @returns `true` when nothing replaced or changed it since
 * @internal
 */
export async function isSameFile(path: string, expected: FileIdentity | null): Promise<boolean> {
  let now: BigIntStats;
  try {
    now = await lstat(path, { bigint: true });
  } catch (error) {
    return expected === null && (error as { code?: unknown }).code === "ENOENT";
  }
  if (expected === null) return false;
  const actual = fileIdentity(now);
  return (
    actual.dev === expected.dev &&
    actual.ino === expected.ino &&
    actual.size === expected.size &&
    actual.mtimeNs === expected.mtimeNs &&
    actual.ctimeNs === expected.ctimeNs
  );
}
