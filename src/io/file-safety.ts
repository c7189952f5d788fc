import { lstat, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname } from "node:path";
import { AuthProfilesError } from "../model/errors.js";

/** Options of {@link assertSafeFile}. @internal */
export interface FileSafetyOptions {
  /**
   * Skip the permission checks (group/other access to the file, a world-writable directory), for
   * setups where another tool manages permissions. Symbolic links are refused regardless.
   */
  readonly allowUnsafePermissions?: boolean;
  /**
   * Accept a symbolic link and check the file it points to (Claude Code's own file, which a
   * dotfiles tool may link). Default `false`: a link is refused.
   */
  readonly followSymlink?: boolean;
  /** Extra advice appended to the permission hint (e.g. to sign in again after a leak). */
  readonly exposedAdvice?: string;
}

/** Permission bits that give the group or other users any access. */
const GROUP_OTHER_BITS = 0o077;
const OTHER_WRITE_BIT = 0o002;
const STICKY_BIT = 0o1000;

/**
 * Refuses a credential file that other users could read or swap: a symbolic link, a file with any
 * group/other permission bit, or a directory that every user can write to (without the sticky
 * bit, anyone could replace the file). A missing file or directory is fine: it will be created
 * private.
 *
 * @param path - the file (need not exist)
 * @param options - the permission opt-out
 * @throws AuthProfilesError `FILE_UNSAFE` with the exact `chmod` to run; `STORE_IO` when the file
 * cannot be inspected
 * @internal
 */
export async function assertSafeFile(path: string, options: FileSafetyOptions = {}): Promise<void> {
  const file = await statOrNull(path, options.followSymlink === true);
  if (file?.isSymbolicLink() === true) {
    throw new AuthProfilesError("FILE_UNSAFE", `Refusing to use ${path}: it is a symbolic link.`, {
      hint: `Point the store option at the real file, or replace the link with the file itself (another user who can change the link could redirect your credentials).`,
      details: { file: path, reason: "symlink" },
    });
  }
  // Mode bits mean nothing on Windows; its ACLs are out of scope here.
  if (options.allowUnsafePermissions === true || process.platform === "win32") return;

  if (file !== null && (file.mode & GROUP_OTHER_BITS) !== 0) {
    const mode = formatMode(file.mode);
    throw new AuthProfilesError("FILE_UNSAFE", `${path} is accessible by other users (mode ${mode}); it holds credentials.`, {
      hint: `Run: chmod 600 ${shellQuote(path)}${options.exposedAdvice === undefined ? "" : ` (${options.exposedAdvice})`} (or pass allowUnsafePermissions: true if another tool manages its permissions).`,
      details: { file: path, mode, reason: "permissions" },
    });
  }

  const dir = dirname(path);
  const dirStats = await statOrNull(dir, false);
  if (dirStats !== null && (dirStats.mode & OTHER_WRITE_BIT) !== 0 && (dirStats.mode & STICKY_BIT) === 0) {
    const mode = formatMode(dirStats.mode);
    throw new AuthProfilesError(
      "FILE_UNSAFE",
      `The directory ${dir} of ${path} is writable by every user (mode ${mode}), so anyone could replace the file.`,
      {
        hint: `Run: chmod 700 ${shellQuote(dir)} (or pass allowUnsafePermissions: true if another tool manages its permissions).`,
        details: { file: path, directory: dir, mode, reason: "directory" },
      },
    );
  }
}

async function statOrNull(path: string, follow: boolean): Promise<Stats | null> {
  try {
    return await (follow ? stat(path) : lstat(path));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new AuthProfilesError("STORE_IO", `Could not inspect ${path}.`, {
      hint: "Check that this user can access the file and its directory.",
      cause: error,
      details: { file: path },
    });
  }
}

function formatMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

/** Quotes a path for a POSIX shell only when it needs it, so the common hint stays copy-pasteable. */
function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
