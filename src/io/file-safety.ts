import { constants, type BigIntStats, type Stats } from "node:fs";
import { lstat, open, realpath, stat } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname } from "node:path";
import { AuthProfilesError } from "../model/errors.js";

/** Options of the file safety checks. @internal */
export interface FileSafetyOptions {
  /**
   * Skip the ownership and permission checks (another user owns the file or its directory, group or
   * other users can access the file or write to its directory), for setups where another tool
   * manages them. Symbolic links at the file itself are refused regardless (unless
   * `followSymlink`).
   */
  readonly allowUnsafePermissions?: boolean;
  /**
   * Accept a symbolic link at the file and check the file it points to, opened through the link
   * (Claude Code's own file, which a dotfiles tool may link), and the target's directory as well as
   * the link's. Default `false`: a link is refused.
   */
  readonly followSymlink?: boolean;
  /** Extra advice appended to the permission hint (e.g. to sign in again after a leak). */
  readonly exposedAdvice?: string;
}

/** Permission bits that give the group or other users any access to a file. */
const GROUP_OTHER_BITS = 0o077;
/** Permission bits that let the group or other users add, remove or rename entries of a directory. */
const GROUP_OTHER_WRITE_BITS = 0o022;
/** Owner id of root: a directory root owns (and only root can write) is as safe as one of ours. */
const ROOT_UID = 0;

/**
 * The flags every credential file is opened with for reading: never wait for a writer of a FIFO
 * (`O_NONBLOCK`), never become the controlling terminal of a device. Windows has none of them; 0
 * leaves the flags unchanged there.
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * The open flags for reading a credential file: {@link READ_FLAGS}, plus `O_NOFOLLOW` (a link at
 * the file itself fails with `ELOOP`) unless the caller follows links.
 *
 * @param options - whether links are followed
 * @returns the flags
 * @internal
 */
export function safeReadFlags(options: FileSafetyOptions = {}): number {
  return options.followSymlink === true ? READ_FLAGS : READ_FLAGS | (constants.O_NOFOLLOW ?? 0);
}

/**
 * Refuses a credential file that other users could read, swap or have planted. Checks the directory
 * (see {@link assertSafeDirectory}), then opens the file without following a link and checks the
 * opened file (see {@link assertSafeOpenedFile}). A missing file is fine when its directory is: it
 * will be created private.
 *
 * @param path - the file (need not exist)
 * @param options - the permission opt-out
 * @throws AuthProfilesError `FILE_UNSAFE` naming the path, what is wrong and the command that fixes
 *   it; `STORE_IO` when the file cannot be inspected
 * @internal
 */
export async function assertSafeFile(path: string, options: FileSafetyOptions = {}): Promise<void> {
  await assertSafeDirectory(path, options);
  let handle;
  try {
    handle = await open(path, safeReadFlags(options));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return;
    if (code === "ELOOP") throw symlinkError(path);
    throw inspectError(path, error);
  }
  try {
    assertSafeOpenedFile(path, await handle.stat(), options);
  } finally {
    await handle.close();
  }
}

/**
 * Checks a file through its open handle's `fstat`, so what is checked is what gets read (a path
 * checked before opening can be swapped in between): it must be owned by this user, and no group or
 * other permission bit may be set.
 *
 * @param path - the file, for messages
 * @param stats - `fstat` of the opened file
 * @param options - the permission opt-out
 * @throws AuthProfilesError `FILE_UNSAFE`
 * @internal
 */
export function assertSafeOpenedFile(path: string, stats: Stats | BigIntStats, options: FileSafetyOptions = {}): void {
  const me = currentUid();
  // Mode bits and owners mean nothing on Windows; its ACLs are out of scope here.
  if (options.allowUnsafePermissions === true || me === null) return;
  const uid = Number(stats.uid);
  if (uid !== me) {
    throw new AuthProfilesError("FILE_UNSAFE", `Refusing to use ${path}: it is owned by another user (uid ${uid}), not by this one (uid ${me}).`, {
      hint: `Another user could have planted it or can change it. If its content is yours, run: chown ${userName()} ${shellQuote(path)} (or pass allowUnsafePermissions: true if another tool manages its ownership).`,
      details: { file: path, owner: uid, uid: me, reason: "owner" },
    });
  }
  const mode = Number(stats.mode);
  if ((mode & GROUP_OTHER_BITS) !== 0) {
    throw new AuthProfilesError("FILE_UNSAFE", `${path} is accessible by other users (mode ${formatMode(mode)}); it holds credentials.`, {
      hint: `Run: chmod 600 ${shellQuote(path)}${options.exposedAdvice === undefined ? "" : ` (${options.exposedAdvice})`} (or pass allowUnsafePermissions: true if another tool manages its permissions).`,
      details: { file: path, mode: formatMode(mode), reason: "permissions" },
    });
  }
}

/**
 * Refuses the directory of a credential file when another user could replace the file in it: the
 * directory is owned by another user (root excepted), or is writable by its group or by others,
 * sticky bit included (in a sticky `/tmp`-like directory, another user can still create the file
 * before us). When the directory is a symbolic link (a symlinked agent directory), the directory
 * holding the link must be safe too (or the link could be re-pointed), and the message names both
 * the link and its target. A directory that does not exist yet is fine: it is created 0700.
 *
 * @param path - the file whose directory is checked
 * @param options - the permission opt-out
 * @throws AuthProfilesError `FILE_UNSAFE`; `STORE_IO` when the directory cannot be inspected
 * @internal
 */
export async function assertSafeDirectory(path: string, options: FileSafetyOptions = {}): Promise<void> {
  const me = currentUid();
  if (options.allowUnsafePermissions === true || me === null) return;
  await checkDirectoryOf(path, me);
  if (options.followSymlink !== true || (await lstatOrNull(path))?.isSymbolicLink() !== true) return;
  // A followed link: whoever can write the target's directory can replace the target.
  const target = await realpath(path).catch(() => null);
  if (target !== null) await checkDirectoryOf(target, me);
}

async function checkDirectoryOf(path: string, me: number): Promise<void> {
  const dir = dirname(path);
  const entry = await lstatOrNull(dir);
  if (entry === null) return;
  if (!entry.isSymbolicLink()) {
    checkDirectory(path, dir, entry, me, null);
    return;
  }
  // The link can be replaced by whoever can write the directory that holds it.
  checkDirectory(path, dirname(dir), await statOrThrow(dirname(dir)), me, null);
  const target = await realpath(dir).catch(() => null);
  if (target === null) return; // dangling: mkdir reports it with the path in the way
  checkDirectory(path, target, await statOrThrow(target), me, dir);
}

function checkDirectory(path: string, dir: string, stats: Stats, me: number, viaLink: string | null): void {
  const subject = viaLink === null ? `The directory ${dir} of ${path} is` : `The directory ${viaLink} of ${path} is a symbolic link to ${dir}, which is`;
  const mode = formatMode(stats.mode);
  const base = { file: path, directory: dir, ...(viaLink === null ? {} : { link: viaLink }) };
  if (stats.uid !== me && stats.uid !== ROOT_UID) {
    throw new AuthProfilesError("FILE_UNSAFE", `${subject} owned by another user (uid ${stats.uid}), who could replace the file.`, {
      hint: `Move the file to a directory this user owns (e.g. pass agentDir / stateDir), or run: chown ${userName()} ${shellQuote(dir)} (or pass allowUnsafePermissions: true if another tool manages it).`,
      details: { ...base, owner: stats.uid, uid: me, reason: "directory-owner" },
    });
  }
  if ((stats.mode & GROUP_OTHER_WRITE_BITS) !== 0) {
    const who = (stats.mode & 0o002) !== 0 ? "every user" : "its group";
    const sticky = (stats.mode & 0o1000) !== 0 ? " (the sticky bit does not stop another user from creating the file first)" : "";
    throw new AuthProfilesError("FILE_UNSAFE", `${subject} writable by ${who} (mode ${mode}), so another user could replace the file${sticky}.`, {
      hint: `Run: chmod 700 ${shellQuote(dir)}, or keep the file in a private directory (pass agentDir / stateDir); or pass allowUnsafePermissions: true if another tool manages its permissions.`,
      details: { ...base, mode, reason: "directory" },
    });
  }
}

/**
 * The error for a symbolic link at the file itself.
 *
 * @param path - the file
 * @returns `FILE_UNSAFE` with reason `symlink`
 * @internal
 */
export function symlinkError(path: string): AuthProfilesError {
  return new AuthProfilesError("FILE_UNSAFE", `Refusing to use ${path}: it is a symbolic link.`, {
    hint: `Point the option at the real file, or replace the link with the file itself (another user who can change the link could redirect your credentials).`,
    details: { file: path, reason: "symlink" },
  });
}

function currentUid(): number | null {
  return typeof process.geteuid === "function" ? process.geteuid() : null;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(currentUid());
  }
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw inspectError(path, error);
  }
}

async function statOrThrow(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw inspectError(path, error);
  }
}

function inspectError(path: string, cause: unknown): AuthProfilesError {
  const code = (cause as { code?: unknown } | null)?.code;
  return new AuthProfilesError("STORE_IO", `Could not inspect ${path}${typeof code === "string" ? ` (${code})` : ""}.`, {
    hint: "Check that this user can access the file and its directory.",
    cause,
    details: { file: path, ...(typeof code === "string" ? { errno: code } : {}) },
  });
}

function formatMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}

/**
 * Quotes a path for a POSIX shell only when it needs it, so the common hint stays copy-pasteable.
 *
 * @param path - the path
 * @returns the path, single-quoted when it holds characters a shell would interpret
 * @internal
 */
export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
