import { constants, type Stats } from "node:fs";
import { open, rename, unlink, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { ensurePrivateDir } from "./private-dir.js";

export { PRIVATE_DIR_MODE, ensurePrivateDir } from "./private-dir.js";

/** File mode of every credential or store file we write. @internal */
export const PRIVATE_FILE_MODE = 0o600;

/** Options of {@link writeFileAtomically}. @internal */
export interface AtomicWriteOptions {
  /** File mode, default 0600. */
  readonly mode?: number;
  /**
   * Runs once the temp file is complete and on disk, right before the rename: the last moment a
   * writer can still decide not to replace the target. Receives the temp file's `fstat` (the
   * rename keeps its inode, size and mtime). Resolve `false` to abandon the write (the temp file
   * is removed, the target is left as it is).
   */
  readonly beforeRename?: (written: Stats) => Promise<boolean>;
  /**
   * The caller knows the directory exists (it holds a lock inside it): skip creating it. Default
   * `false`: the directory is created 0700 when missing.
   */
  readonly directoryExists?: boolean;
}

/**
 * Writes a file atomically: temp file in the same directory, fsync, rename over the target, then
 * fsync of the directory so the rename itself survives a crash. Readers see the old or the new
 * content, never a torn file.
 *
 * @remarks
 * Written here rather than with `write-file-atomic`, which resolves symbolic links (so a link
 * swapped in place of the store would receive the new secrets) and, as root, hands the new file to
 * the old file's owner (another user who planted the file would receive root's keys). Here:
 * - the temp file `<path>.<random>` is created with `O_CREAT | O_EXCL | O_NOFOLLOW`: it is always
 *   a new file owned by the writing user, never an existing file or a link someone prepared;
 * - `rename` replaces the directory entry at `path` itself: if `path` is a symbolic link, the link
 *   is replaced and its target is never written;
 * - the mode is checked on the open handle (`fstat`) and set with `fchmod` when the umask changed
 *   it, so the umask cannot widen or narrow it.
 * The temp name keeps `write-file-atomic`'s `<file>.<digits>` shape, which `removeStaleTempFiles`
 * recognises after a crash.
 *
 * @param path - the target file
 * @param data - the full new content
 * @param options - file mode and the last check before the rename
 * @returns `true` when the file was replaced, `false` when `beforeRename` abandoned the write
 * @internal
 */
export async function writeFileAtomically(path: string, data: string, options: AtomicWriteOptions = {}): Promise<boolean> {
  const dir = dirname(path);
  if (options.directoryExists !== true) await ensurePrivateDir(dir);
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  const temp = `${path}.${randomTempNumber()}`;
  let handle: FileHandle | undefined;
  let renamed = false;
  try {
    // O_NOFOLLOW is undefined on Windows; 0 leaves the flags unchanged there.
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), PRIVATE_FILE_MODE);
    await handle.writeFile(data, "utf8");
    let written = await handle.stat();
    if ((written.mode & 0o7777) !== mode) {
      await handle.chmod(mode);
      written = await handle.stat();
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.beforeRename !== undefined && !(await options.beforeRename(written))) return false;
    await rename(temp, path);
    renamed = true;
  } finally {
    await handle?.close().catch(() => undefined);
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
  await fsyncDir(dir);
  return true;
}

/** A random 32-bit number (Web Crypto, global in Node 20: no module to load at import time). */
function randomTempNumber(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
