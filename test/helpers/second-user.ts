import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A second OS user created for a test (the attacker, or simply "another user"). */
export interface SecondUser {
  /** Its login name. */
  readonly name: string;
  /** Its uid. */
  readonly uid: number;
  /** Its primary gid. */
  readonly gid: number;
  /** Deletes the user. */
  remove(): Promise<void>;
}

/**
 * Creates a system user without a home or login shell. Needs root and `useradd` (CI runs as root);
 * elsewhere it returns why it could not, so the caller can skip with that reason printed.
 *
 * @returns the user, or the reason it could not be created
 */
export async function createSecondUser(): Promise<SecondUser | string> {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return "not running as root (needed to create a second OS user and chown files to it)";
  const name = `aptest${process.pid}`;
  try {
    await run("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name]);
  } catch (error) {
    return `useradd failed or is missing: ${error instanceof Error ? error.message : String(error)}`;
  }
  const uid = Number((await run("id", ["-u", name])).stdout.trim());
  const gid = Number((await run("id", ["-g", name])).stdout.trim());
  return {
    name,
    uid,
    gid,
    remove: async () => {
      await run("userdel", [name]).catch(() => undefined);
    },
  };
}
