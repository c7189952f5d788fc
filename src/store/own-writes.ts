import { lstat } from "node:fs/promises";
import type { Stats } from "node:fs";
import type { FileStamp } from "../io/file-watch.js";
import { fileIdentity, type FileIdentity } from "../io/file-identity.js";

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

  /**
   * Records the file as it is now, right after this object renamed it into place. Never throws.
   *
   * @param temp - the `fstat` of the temp file that was renamed, when known
   * @returns the file's identity now, when it is provably the file renamed into place (the same
   *   device, inode, size and mtime as `temp`: nobody replaced or wrote it since); else `null`
   */
  async written(temp: Stats | null = null): Promise<FileIdentity | null> {
    let identity: FileIdentity | null = null;
    try {
      const now = await lstat(this.#path, { bigint: true });
      // The watcher's stamps are plain Stats: their ms times are derived as Node derives them.
      this.#last = { ino: Number(now.ino), size: Number(now.size), mtimeMs: msOf(now.mtimeNs), ctimeMs: msOf(now.ctimeNs) };
      const same = temp !== null && Number(now.dev) === temp.dev && Number(now.ino) === temp.ino && Number(now.size) === temp.size && msOf(now.mtimeNs) === temp.mtimeMs;
      if (same) identity = fileIdentity(now);
    } catch {
      this.#last = null;
    }
    this.#end();
    return identity;
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

/** A nanosecond time as `Stats` gives it in ms (seconds × 1000 + nanoseconds ÷ 10⁶, as Node computes it). */
function msOf(ns: bigint): number {
  return Number(ns / 1_000_000_000n) * 1e3 + Number(ns % 1_000_000_000n) / 1e6;
}
