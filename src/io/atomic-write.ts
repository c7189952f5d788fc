import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { lazyModule } from "./lazy-module.js";

/** write-file-atomic, loaded on the first write (not when the library is imported). */
const loadWriteFileAtomic = lazyModule(async () => (await import("write-file-atomic")).default);

/** File mode of every credential or store file we write. @internal */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of directories we create for them. @internal */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `dir` (and parents) with mode 0700 when missing. An existing directory is left as is.
 *
 * @param dir - the directory
 * @internal
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Options of {@link writeFileAtomically}. @internal */
export interface AtomicWriteOptions {
  /** File mode, default 0600. */
  readonly mode?: number;
}

/**
 * Writes a file atomically: temp file in the same directory, fsync, rename over the target, then
 * fsync of the directory so the rename itself survives a crash. Readers see the old or the new
 * content, never a torn file.
 *
 * @param path - the target file
 * @param data - the full new content
 * @param options - file mode
 * @internal
 */
export async function writeFileAtomically(path: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  await ensurePrivateDir(dir);
  const writeFileAtomic = await loadWriteFileAtomic();
  await writeFileAtomic(path, data, { mode: options.mode ?? PRIVATE_FILE_MODE, fsync: true, encoding: "utf8" });
  await fsyncDir(dir);
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
