/**
 * Counts file system work around a piece of code: used by the warm-path test and the bench.
 *
 * @module
 */
import { AsyncLocalStorage, createHook } from "node:async_hooks";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

/**
 * Counts real file system calls while `run` runs: every async fs request (promise or callback API)
 * shows up as an async resource of an FS type, and every sync call goes through the `fs` exports,
 * which are wrapped (each wrapper calls the real function) for the duration.
 *
 * @param run - the work to observe
 * @returns the number of fs calls seen
 */
export async function countFsCalls(run: () => Promise<void>): Promise<number> {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type.startsWith("FSREQ") || type === "FILEHANDLE" || type === "STATWATCHER") count += 1;
    },
  });
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(fs)) {
    const value = target[name];
    if (name.endsWith("Sync") && typeof value === "function") {
      originals.set(name, value);
      target[name] = (...args: unknown[]) => {
        count += 1;
        return value.apply(fs, args);
      };
    }
  }
  syncBuiltinESMExports();
  hook.enable();
  try {
    await run();
  } finally {
    hook.disable();
    for (const [name, value] of originals) target[name] = value;
    syncBuiltinESMExports();
  }
  return count;
}

/** A counter of fs calls made only by chosen code. */
export interface FsCallCounter {
  /** Calls seen inside `during` so far. */
  readonly count: number;
  /**
   * Counts the fs calls that `run` starts, itself or through anything it awaits, until its promise
   * settles (tracked with AsyncLocalStorage, so background work that happens to run meanwhile, such
   * as a timer or a write-behind flush, is not counted).
   */
  during<T>(run: () => Promise<T>): Promise<T>;
  /** Uninstalls the hooks. */
  stop(): void;
}

/**
 * Like {@link countFsCalls}, but counts only the calls made on behalf of chosen code.
 *
 * @returns the counter; call `stop()` when done
 */
export function createFsCallCounter(): FsCallCounter {
  let count = 0;
  const inside = new AsyncLocalStorage<true>();
  const hook = createHook({
    init(_id, type) {
      if (inside.getStore() === true && (type.startsWith("FSREQ") || type === "FILEHANDLE" || type === "STATWATCHER")) count += 1;
    },
  });
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(fs)) {
    const value = target[name];
    if (name.endsWith("Sync") && typeof value === "function") {
      originals.set(name, value);
      target[name] = (...args: unknown[]) => {
        if (inside.getStore() === true) count += 1;
        return value.apply(fs, args);
      };
    }
  }
  syncBuiltinESMExports();
  hook.enable();
  return {
    get count() {
      return count;
    },
    during(run) {
      return inside.run(true, run);
    },
    stop() {
      hook.disable();
      for (const [name, value] of originals) target[name] = value;
      syncBuiltinESMExports();
    },
  };
}
