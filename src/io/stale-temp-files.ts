import { lstat, readdir, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Removes the temp files that an atomic write of `path` left behind when its process crashed
 * between creating the temp file and renaming it (`writeFileAtomically` names them `<file>.<digits>`).
 * Call it only while holding the lock on `path`: then no live writer of ours owns such a file.
 *
 * @remarks
 * A temp file counts as stale when it is older than `olderThanMs`, measured against the mtime of
 * the lock directory that was just created: both times come from the same file system clock, so
 * no process clock is needed and skew between hosts on a network file system does not matter.
 * Best effort: a file that cannot be inspected or removed is left alone.
 *
 * @param path - the store file
 * @param olderThanMs - minimum age of a temp file to remove (the lock's stale time)
 * @param lockDir - the lock directory held by the caller (its mtime is the reference clock);
 *   default `<path>.lock`
 * @returns the removed file paths
 * @internal
 */
export async function removeStaleTempFiles(path: string, olderThanMs: number, lockDir = `${path}.lock`): Promise<readonly string[]> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let referenceMs: number;
  let names: string[];
  try {
    referenceMs = (await stat(lockDir)).mtimeMs;
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    const candidate = join(dir, name);
    try {
      const info = await lstat(candidate);
      if (!info.isFile() || referenceMs - info.mtimeMs < olderThanMs) continue;
      await unlink(candidate);
      removed.push(candidate);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}
