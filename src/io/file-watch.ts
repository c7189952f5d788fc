import { unwatchFile, watchFile, type Stats } from "node:fs";

/** How often a watched file is stat-ed in the background. @internal */
export const FILE_WATCH_INTERVAL_MS = 250;

/**
 * Calls `onChange` when `path` is created, replaced, modified or removed, by polling its stat in the
 * background (libuv's stat poller: no work on the caller's path, and it never keeps the process
 * alive).
 *
 * @param path - the file to watch (may not exist yet)
 * @param onChange - called after each detected change, with the file's new stat (all zero when it is gone)
 * @param intervalMs - poll interval
 * @returns a function that stops watching
 * @internal
 */
export function watchFileChanges(path: string, onChange: (current: Stats) => void, intervalMs = FILE_WATCH_INTERVAL_MS): () => void {
  const listener = (current: Stats, previous: Stats): void => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.ctimeMs !== previous.ctimeMs ||
      current.size !== previous.size ||
      current.ino !== previous.ino
    ) {
      onChange(current);
    }
  };
  // Node shares one stat watcher per path in a process: several resolvers of one agent each add a
  // listener, which is expected, so the listener limit grows and shrinks with them.
  const watcher = watchFile(path, { interval: intervalMs, persistent: false }, listener);
  watcher.setMaxListeners(watcher.getMaxListeners() + 1);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    unwatchFile(path, listener);
    watcher.setMaxListeners(Math.max(10, watcher.getMaxListeners() - 1));
  };
}
