import { AuthProfilesError } from "../model/errors.js";
import { writeFileAtomically } from "../io/atomic-write.js";
import { isSameFile, type FileIdentity } from "../io/file-identity.js";
import type { HeldFileLock } from "../io/lock.js";
import type { Stats } from "node:fs";

/**
 * How a commit ended: written, or abandoned before the rename because the lock is no longer
 * provably ours (`lock-lost`) or the file is no longer the one the update read (`changed`).
 * @internal
 */
export type CommitOutcome = "committed" | "lock-lost" | "changed";

/** A commit's outcome and, when it wrote, the `fstat` of the file it renamed into place. @internal */
export interface CommitResult {
  /** How it ended. */
  readonly outcome: CommitOutcome;
  /** The temp file's `fstat` taken before the rename (same inode, size and mtime as the file it became); `null` unless committed. */
  readonly written: Stats | null;
}

/**
 * Replaces the store file with `text`, unless it is no longer safe to: the one place where a store
 * update decides to write.
 *
 * @remarks
 * The new content is written to a temp file and fsynced first; then, right before the rename:
 * 1. the lock must still be ours (`lock.isHeld()`): a holder stopped past the stale time (SIGSTOP,
 *    a suspended laptop, a long GC pause) may have been robbed, and its document is stale;
 * 2. the file must still be the one that was read (`isSameFile`: device, inode, size, mtime and
 *    ctime), which also catches writers that ignore the lock and a link swapped in.
 * Otherwise the temp file is removed and the store is left exactly as the other writer left it; the
 * caller re-reads and re-applies. The only window left is a process stopped between these checks
 * and the rename itself (one system call), longer than a quarter of the lock's stale time.
 *
 * @param path - the store file
 * @param text - its new content
 * @param expected - the identity of the file as the update read it (`null`: it was missing)
 * @param lock - the lock the update holds
 * @returns the outcome, with the written file's `fstat` when committed
 * @throws AuthProfilesError `STORE_IO` when the file cannot be written (it was not changed)
 * @internal
 */
export async function commitStoreText(path: string, text: string, expected: FileIdentity | null, lock: HeldFileLock): Promise<CommitResult> {
  let abandoned: CommitOutcome = "committed";
  let written: Stats | null = null;
  const beforeRename = async (temp: Stats): Promise<boolean> => {
    // Both looked at now, at once (one round trip); a lost lock is reported first.
    const [held, same] = await Promise.all([lock.isHeld(), isSameFile(path, expected)]);
    if (!held) abandoned = "lock-lost";
    else if (!same) abandoned = "changed";
    if (abandoned === "committed") written = temp;
    return abandoned === "committed";
  };
  try {
    // The lock held beside the file proves its directory exists: no mkdir per update.
    await writeFileAtomically(path, text, { beforeRename, directoryExists: true });
  } catch (error) {
    throw new AuthProfilesError("STORE_IO", `Could not write profile store ${path}; the file was not changed.`, {
      hint: `Check free disk space and that this user can write to the directory of ${path}.`,
      cause: error,
      details: { file: path },
    });
  }
  return { outcome: abandoned, written: abandoned === "committed" ? written : null };
}
