import { lstat } from "node:fs/promises";
import type { Stats } from "node:fs";

/** The identity of one version of a file: what the stat poller compares. */
interface FileVersion {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/**
 * Remembers the version of a file that this store object wrote last, so that its own watchers are
 * not woken by its own writes (the resolver already holds the document it wrote).
 *
 * @remarks The stat is taken right after the rename, still under the store lock, so a writer that
 * honours the lock cannot slip in between. Any later change (another process, OpenClaw) gives a
 * different inode, size or time and is reported as usual.
 *
 * @internal
 */
export class OwnWrites {
  readonly #path: string;
  #last: FileVersion | null = null;

  /** @param path - the file */
  constructor(path: string) {
    this.#path = path;
  }

  /** Records the file as it is now (call right after writing it, under the lock). Never throws. */
  async record(): Promise<void> {
    try {
      const { ino, size, mtimeMs, ctimeMs } = await lstat(this.#path);
      this.#last = { ino, size, mtimeMs, ctimeMs };
    } catch {
      this.#last = null;
    }
  }

  /**
   * @param current - the stat the poller saw
   * @returns whether it is exactly the version this store object wrote last
   */
  isOwn(current: Stats): boolean {
    const last = this.#last;
    return (
      last !== null &&
      current.ino === last.ino &&
      current.size === last.size &&
      current.mtimeMs === last.mtimeMs &&
      current.ctimeMs === last.ctimeMs
    );
  }
}
