import { statSync, unwatchFile, watch, watchFile, type FSWatcher, type Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname } from "node:path";

/** How often a watched file is stat-ed in the background when no change notification is available. @internal */
export const FILE_WATCH_INTERVAL_MS = 250;

/**
 * How often a watched file that does not exist is stat-ed, when the caller asks for the slower
 * rate ({@link watchFileChanges}' `missingIntervalMs`): OpenClaw's `auth-state.json` is missing
 * for every store before 2026.4.7, and one poller per agent at the full rate doubled the idle cost
 * of a process with many agents. @internal
 */
export const MISSING_FILE_WATCH_INTERVAL_MS = 2_000;

/**
 * The safety-net poll while the directory is watched for change notifications (inotify): the
 * notifications make changes visible at once, and the poll catches what a file system does not
 * report (a network mount, a change made from another host or VM). @internal
 */
export const NOTIFIED_FILE_POLL_INTERVAL_MS = 10_000;

/** What a watcher reports of the file after a change: all zero when it is gone. @internal */
export type FileStamp = Pick<Stats, "ino" | "size" | "mtimeMs" | "ctimeMs" | "nlink">;

const GONE: FileStamp = Object.freeze({ ino: 0, size: 0, mtimeMs: 0, ctimeMs: 0, nlink: 0 });

function stampOf(stats: Stats): FileStamp {
  return { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, nlink: stats.nlink };
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

function exists(stamp: FileStamp): boolean {
  return stamp.ino !== 0 || stamp.nlink !== 0 || stamp.mtimeMs !== 0;
}

/** Options of {@link watchFileChanges}. @internal */
export interface WatchFileOptions {
  /** Poll interval without change notifications. Default {@link FILE_WATCH_INTERVAL_MS}. */
  readonly intervalMs?: number | undefined;
  /** Poll interval without change notifications while the file does not exist. Default: `intervalMs`. */
  readonly missingIntervalMs?: number | undefined;
  /**
   * Also watch the directory for change notifications, and poll only as a safety net. For files
   * whose readers re-read on any change anyway (the profile store); a caller that relies on a change
   * being noticed only at the next poll (a cache that must outlive a write it is about to make
   * itself) leaves it off. Default `false`.
   */
  readonly notify?: boolean | undefined;
  /** Safety-net poll interval while notifications work. Default {@link NOTIFIED_FILE_POLL_INTERVAL_MS}. */
  readonly notifiedIntervalMs?: number | undefined;
}

/**
 * Calls `onChange` when `path` is created, replaced, modified or removed.
 *
 * @remarks With `notify`, two sources, one verdict: the file's directory is watched for change notifications
 * (`fs.watch`, inotify on Linux: no work while nothing changes), and the file's stat is polled in
 * the background (libuv's stat poller; Node shares one per path in a process; it never keeps the
 * process alive). Both compare the file's stat with the last one reported, so one change is
 * reported once. While notifications work the poll runs every
 * {@link NOTIFIED_FILE_POLL_INTERVAL_MS} as a safety net; where the directory cannot be watched
 * (it does not exist yet, the notification limit is reached, the platform has none) or the watch
 * fails later, the file is polled every `intervalMs` (`missingIntervalMs` while it does not
 * exist). Without `notify`, only the poll.
 *
 * @param path - the file to watch (may not exist yet)
 * @param onChange - called after each detected change, with the file's new stat (all zero when it is gone)
 * @param options - poll intervals and change notifications
 * @returns a function that stops watching
 * @internal
 */
export function watchFileChanges(path: string, onChange: (current: FileStamp) => void, options: WatchFileOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? FILE_WATCH_INTERVAL_MS;
  const missingIntervalMs = options.missingIntervalMs ?? intervalMs;
  let active = true;
  let last: FileStamp = initialStamp(path);
  let notified: FSWatcher | null = null;
  let stopPoller = (): void => undefined;
  let pollInterval = 0;

  const report = (current: FileStamp): void => {
    if (!active || sameStamp(current, last)) return;
    last = current;
    const wanted = desiredInterval();
    if (wanted !== pollInterval) startPoller(wanted);
    onChange(current);
  };

  const desiredInterval = (): number => {
    if (notified !== null) return Math.max(intervalMs, options.notifiedIntervalMs ?? NOTIFIED_FILE_POLL_INTERVAL_MS);
    return exists(last) ? intervalMs : missingIntervalMs;
  };

  const startPoller = (interval: number): void => {
    stopPoller();
    pollInterval = interval;
    const listener = (current: Stats): void => report(exists(current) ? stampOf(current) : GONE);
    // Node shares one stat watcher per path in a process: several resolvers of one agent each add
    // a listener, which is expected, so the listener limit grows and shrinks with them.
    const watcher = watchFile(path, { interval, persistent: false }, listener);
    watcher.setMaxListeners(watcher.getMaxListeners() + 1);
    stopPoller = () => {
      unwatchFile(path, listener);
      watcher.setMaxListeners(Math.max(10, watcher.getMaxListeners() - 1));
    };
  };

  // A notification says only that something in the directory changed: the file's stat decides.
  // One stat at a time; a notification during it asks for one more.
  let checking = false;
  let again = false;
  const check = (): void => {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    stat(path)
      .then(stampOf, () => GONE)
      .then((current) => {
        checking = false;
        report(current);
        if (again && active) {
          again = false;
          check();
        }
      });
  };

  const name = basename(path);
  if (options.notify === true) startNotifications();
  startPoller(desiredInterval());

  function startNotifications(): void {
    try {
      notified = watch(dirname(path), { persistent: false }, (_event, filename) => {
        if (filename === null || filename === name) check();
      });
      notified.on("error", () => {
        // The directory went away or the watch broke: poll at the full rate from now on.
        notified?.close();
        notified = null;
        if (active) startPoller(desiredInterval());
        check();
      });
    } catch {
      // The directory does not exist yet, the notification limit is reached, or the platform has none.
      notified = null;
    }
  }

  return () => {
    if (!active) return;
    active = false;
    notified?.close();
    notified = null;
    stopPoller();
  };
}

function initialStamp(path: string): FileStamp {
  try {
    return stampOf(statSync(path));
  } catch {
    return GONE;
  }
}
