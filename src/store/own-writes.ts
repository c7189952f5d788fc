import { lstat } from "node:fs/promises";
import type { FileStamp } from "../io/file-watch.js";

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
 * honours the lock cannot slip in between. A poll that lands while a write is in flight (after the
 * rename, before that stat) is held back and decided once the stat is known. Any other change
 * (another process, OpenClaw) gives a different inode, size or time and is reported as usual.
 *
 * @internal
 */
export class OwnWrites {
  readonly #path: string;
  #last: FileVersion | null = null;
  #writing = 0;
  readonly #held: Array<{ readonly current: FileStamp; readonly notify: () => void }> = [];

  /** @param path - the file */
  constructor(path: string) {
    this.#path = path;
  }

  /** Marks a write as started: polls until {@link OwnWrites.written} or {@link OwnWrites.failed} are held back. */
  begin(): void {
    this.#writing += 1;
  }

  /** Records the file as it is now, right after this object renamed it into place. Never throws. */
  async written(): Promise<void> {
    try {
      const { ino, size, mtimeMs, ctimeMs } = await lstat(this.#path);
      this.#last = { ino, size, mtimeMs, ctimeMs };
    } catch {
      this.#last = null;
    }
    this.#end();
  }

  /** Ends a write that did not happen. */
  failed(): void {
    this.#end();
  }

  /**
   * Passes a poll on to `notify` unless it shows this object's own last write.
   *
   * @param current - the stat the poller saw
   * @param notify - tells the watcher
   */
  filter(current: FileStamp, notify: () => void): void {
    if (this.#writing > 0) this.#held.push({ current, notify });
    else if (!this.#isOwn(current)) notify();
  }

  #end(): void {
    this.#writing = Math.max(0, this.#writing - 1);
    if (this.#writing > 0) return;
    for (const { current, notify } of this.#held.splice(0)) if (!this.#isOwn(current)) notify();
  }

  #isOwn(current: FileStamp): boolean {
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
