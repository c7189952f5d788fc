import { createRequire } from "node:module";

let requireHere: NodeJS.Require | undefined;

/**
 * Defers loading a module until its first use, synchronously, so that importing the library does
 * not pay for modules that most callers never need (JSON5 for a config that is not plain JSON, the
 * hash and child-process modules for Claude Code's Keychain).
 *
 * @param id - the module to load, resolved from this package
 * @returns a function giving the module (loaded on its first call, then kept)
 * @internal
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) {
      requireHere ??= createRequire(import.meta.url);
      loaded = requireHere(id) as T;
    }
    return loaded;
  };
}
