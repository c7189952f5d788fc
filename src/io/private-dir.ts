import { lstat, mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { AuthProfilesError } from "../model/errors.js";

/** Mode of directories we create for credential and store files. @internal */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `dir` (and parents) with mode 0700 when missing. An existing directory is left as is.
 *
 * @param dir - the directory
 * @throws AuthProfilesError `STORE_IO` naming the directory (and the file in the way, for
 *   `ENOTDIR` / `EEXIST`) when it cannot be created
 * @internal
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    throw await mkdirError(dir, error);
  }
}

async function mkdirError(dir: string, cause: unknown): Promise<AuthProfilesError> {
  const code = (cause as { code?: unknown } | null)?.code;
  const errno = typeof code === "string" ? code : "I/O error";
  const details = { file: dir, directory: dir, errno };
  if (errno === "ENOTDIR" || errno === "EEXIST") {
    const blocker = await firstNonDirectory(dir);
    return new AuthProfilesError("STORE_IO", `Could not create directory ${dir}: ${blocker} is not a directory (${errno}).`, {
      hint: `Move ${blocker} out of the way, or point stateDir / agentDir (or the store path) at another directory.`,
      cause,
      details: { ...details, blocker },
    });
  }
  const hint =
    errno === "EACCES" || errno === "EPERM"
      ? `This user may not create ${dir}: check the owner and mode of ${dirname(dir)}, or point stateDir / agentDir at a directory this user owns.`
      : `Check that the file system holding ${dir} is writable and not full.`;
  return new AuthProfilesError("STORE_IO", `Could not create directory ${dir} (${errno}).`, { hint, cause, details });
}

/**
 * The deepest existing component of `dir` that is not a directory (what made mkdir fail): a file,
 * or a symbolic link that points nowhere or at a file.
 */
async function firstNonDirectory(dir: string): Promise<string> {
  for (let current = dir; ; current = dirname(current)) {
    const followed = await stat(current).catch(() => null);
    if (followed !== null && !followed.isDirectory()) return current;
    if (followed === null && (await lstat(current).catch(() => null)) !== null) return current;
    if (dirname(current) === current) return dir;
  }
}
