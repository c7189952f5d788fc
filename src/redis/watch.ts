/** How often a watched Redis store polls its version (at most once a second by default). @internal */
export const REDIS_WATCH_INTERVAL_MS = 1_000;

/**
 * The logger calls the store may make.
 *
 * @category Store
 */
export type RedisStoreLogger = Pick<Console, "debug" | "warn">;

/** One background poller shared by every `watch()` of a store. @internal */
export interface VersionWatcher {
  /** Adds a listener; the poller runs while there is at least one. */
  add(onChange: () => void): () => void;
  /** Stops polling and drops every listener. */
  stop(): void;
}

/**
 * Polls a version on an unref'd timer and calls the listeners when it changes.
 *
 * @remarks
 * Without a starting version, the first poll only records it. After a failed poll (Redis down) the next successful
 * one notifies once, since changes may have happened meanwhile; an extra notice only makes the
 * listener re-read.
 *
 * @param readVersion - reads the current version (`null` when the store does not exist)
 * @param seenVersion - the version the store last read or wrote, if any: the starting point, so a
 * change made between a caller's `read()` and its `watch()` is not missed
 * @param intervalMs - poll period
 * @param logger - told about failed polls (debug) and throwing listeners (warn)
 * @returns the watcher
 * @internal
 */
export function createVersionWatcher(
  readVersion: () => Promise<string | null>,
  seenVersion: () => string | null | undefined,
  intervalMs: number,
  logger?: RedisStoreLogger,
): VersionWatcher {
  const listeners = new Set<{ readonly onChange: () => void }>();
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let known = false;
  let last: string | null = null;

  const notify = (): void => {
    for (const listener of [...listeners]) {
      try {
        listener.onChange();
      } catch (error) {
        logger?.warn("auth-profiles: a Redis store watch listener threw", error);
      }
    }
  };

  const poll = async (first: boolean): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const version = await readVersion();
      const changed = !known || version !== last;
      last = version;
      known = true;
      if (changed && !first) notify();
    } catch (error) {
      known = false;
      logger?.debug("auth-profiles: polling the Redis store version failed", error);
    } finally {
      polling = false;
    }
  };

  const stop = (): void => {
    listeners.clear();
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    known = false;
  };

  return {
    add(onChange) {
      const listener = { onChange };
      listeners.add(listener);
      if (timer === undefined) {
        const seen = seenVersion();
        if (seen === undefined) {
          void poll(true);
        } else {
          known = true;
          last = seen;
        }
        timer = setInterval(() => void poll(false), intervalMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
    stop,
  };
}
