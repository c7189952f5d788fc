import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, join } from "node:path";

/**
 * Finds an executable on the env's `PATH` (with `PATHEXT` on Windows).
 *
 * @param name - e.g. `claude`
 * @param env - the env whose `PATH` is searched
 * @returns the full path, or `null`
 */
export async function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>): Promise<string | null> {
  const dirs = (env["PATH"] ?? env["Path"] ?? "").split(delimiter).filter((dir) => dir !== "");
  const extensions = process.platform === "win32" ? (env["PATHEXT"] ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of dirs) {
    for (const extension of extensions) {
      const candidate = join(dir, `${name}${extension}`);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}

/**
 * Runs a command with the terminal attached (its prompts and output go straight to the person).
 *
 * @param file - the executable
 * @param args - its arguments
 * @param env - its environment
 * @returns its exit code (`1` when it was killed by a signal)
 */
export function runAttached(file: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: "inherit", env });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
}
