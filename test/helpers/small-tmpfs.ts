import { execFile } from "node:child_process";
import { mkdtemp, open, rm, rmdir, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A real, small tmpfs: a file system that really fills up. */
export interface SmallTmpfs {
  /** Its mount point (mode 0700). */
  readonly dir: string;
  /** Fills it until only `keepPages` pages (4 KiB) are free; `0` leaves it full. */
  fill(keepPages: number): Promise<void>;
  /** Removes the filler: the space is back. */
  free(): Promise<void>;
  /** Unmounts it and removes the mount point. */
  dispose(): Promise<void>;
}

/**
 * Mounts a tmpfs of `sizeKiB` (needs root and a kernel that lets this process mount, as on the
 * project's machines); returns the reason instead when mounting is not permitted, so the caller can
 * skip with it.
 *
 * @param sizeKiB - its size
 * @returns the mount, or why there is none
 */
export async function mountSmallTmpfs(sizeKiB: number): Promise<SmallTmpfs | { readonly skipped: string }> {
  const dir = await mkdtemp(join(tmpdir(), "auth-profiles-tmpfs-"));
  try {
    await run("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k,mode=0700`, "tmpfs", dir]);
  } catch (error) {
    await rmdir(dir).catch(() => undefined);
    return { skipped: `cannot mount a tmpfs here (${(error as Error).message.split("\n")[0]})` };
  }
  const filler = join(dir, "filler");
  return {
    dir,
    async fill(keepPages) {
      const { bavail, bsize } = await statfs(dir);
      const bytes = Math.max(0, (bavail - keepPages) * bsize);
      const handle = await open(filler, "a");
      try {
        const chunk = Buffer.alloc(Math.min(bytes, 64 * 1024) || 1);
        let left = bytes;
        while (left > 0) {
          const { bytesWritten } = await handle.write(chunk, 0, Math.min(chunk.length, left));
          left -= bytesWritten;
        }
      } finally {
        await handle.close();
      }
    },
    async free() {
      await rm(filler, { force: true });
    },
    async dispose() {
      await run("umount", [dir]).catch(() => run("umount", ["-l", dir]));
      await rmdir(dir).catch(() => undefined);
    },
  };
}
