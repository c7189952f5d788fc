import { existsSync, unwatchFile, watchFile, type Stats } from "node:fs";

/** How often a watched file is stat-ed in the background. @internal */
export const FILE_WATCH_INTERVAL_MS = 250;

/**
 * How often a watched file that does not exist is stat-ed, when the caller asks for the slower
 * rate ({@link watchFileChanges}' `missingIntervalMs`): OpenClaw's `auth-state.json` is missing
 * for every store before 2026.4.7, and one poller per agent at the full rate doubled the idle cost
 * of a process with many agents. @internal
 */
export const MISSING_FILE_WATCH_INTERVAL_MS = 2_000;

/**
 * Calls `onChange` when `path` is created, replaced, modified or removed, by polling its stat in the
 * background (libuv's stat poller: no work on the caller's path, and it never keeps the process
 * alive).
 *
 * @remarks With `missingIntervalMs`, the file is polled at that slower rate while it does not
 * exist, and at `intervalMs` from the poll that sees it appear (that change is reported as usual);
 * when it is removed again the poller slows down again. A file that appears is thus seen up to
 * `missingIntervalMs` late; changes of an existing file are seen at `intervalMs`.
 *
 * @param path - the file to watch (may not exist yet)
 * @param onChange - called after each detected change, with the file's new stat (all zero when it is gone)
 * @param intervalMs - poll interval
 * @param missingIntervalMs - poll interval while the file does not exist (default: `intervalMs`)
 * @returns a function that stops watching
 * @internal
 */
export function watchFileChanges(path: string, onChange: (current: Stats) => void, intervalMs = FILE_WATCH_INTERVAL_MS, missingIntervalMs = intervalMs): () => void {
  let active = true;
  let stopPoller = (): void => undefined;
  const start = (interval: number): void => {
    const listener = (current: Stats, previous: Stats): void => {
      if (
        current.mtimeMs !== previous.mtimeMs ||
        current.ctimeMs !== previous.ctimeMs ||
        current.size !== previous.size ||
        current.ino !== previous.ino
      ) {
        const exists = current.ino !== 0 || current.nlink !== 0 || current.mtimeMs !== 0;
        const wanted = exists ? intervalMs : missingIntervalMs;
        if (wanted !== interval && active) {
          stopPoller();
          start(wanted);
        }
        onChange(current);
      }
    };
    // Node shares one stat watcher per path in a process: several resolvers of one agent each add
    // a listener, which is expected, so the listener limit grows and shrinks with them.
    const watcher = watchFile(path, { interval, persistent: false }, listener);
    watcher.setMaxListeners(watcher.getMaxListeners() + 1);
    stopPoller = () => {
      unwatchFile(path, listener);
      watcher.setMaxListeners(Math.max(10, watcher.getMaxListeners() - 1));
    };
  };
  start(missingIntervalMs !== intervalMs && !existsSync(path) ? missingIntervalMs : intervalMs);
  return () => {
    if (!active) return;
    active = false;
    stopPoller();
  };
}
