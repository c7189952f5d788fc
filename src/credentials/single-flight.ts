/** Options of one {@link SingleFlight.run} call. @internal */
export interface SingleFlightRunOptions {
  /**
   * The caller knows the current value is bad (a 401): never join an unforced run, whose work may
   * decide that nothing needs doing and hand back that same bad value. Default `false`.
   */
  readonly force?: boolean;
}

/**
 * Deduplicates concurrent async work per key: callers that arrive while work for their key is in
 * flight share its promise instead of starting their own.
 * @internal
 */
export interface SingleFlight<K, V> {
  /**
   * Runs `work` for `key`, or joins the run already in flight.
   *
   * @param key - what the work is about (a profile id)
   * @param work - started only when no joinable run is in flight; must not depend on one caller's
   *   `AbortSignal`, since every joined caller waits on it
   * @param options - `force` (see {@link SingleFlightRunOptions.force})
   * @returns the shared result; every joined caller sees the same value or the same error
   */
  run(key: K, work: () => Promise<V>, options?: SingleFlightRunOptions): Promise<V>;
  /**
   * Tells whether work for `key` is in flight (forced or not).
   *
   * @param key - the key
   * @returns `true` while a run for `key` has not settled
   */
  has(key: K): boolean;
}

/**
 * Creates a single-flight group. Each resolver owns its own (no module-level state).
 *
 * @remarks
 * - An entry is removed as soon as its run settles, success or failure, so a failed run is never
 *   cached: the next caller starts fresh work.
 * - Forced runs (`force: true`, after a 401) join only other forced runs, never an unforced one:
 *   the unforced work may conclude "still valid" and return the very token the server just
 *   rejected. This mirrors the Anthropic SDK's token cache.
 * - Unforced callers join a forced run when one is in flight (its result is at least as fresh),
 *   else an unforced one.
 * - Two runs for one key (one forced, one not) can therefore overlap; the refresh work itself must
 *   tolerate that (it does: it re-reads under the store lock and skips the request when the token
 *   it would replace has already changed).
 *
 * @returns a new, empty group
 *
 * @example
 * ```ts
 * const flights = createSingleFlight<string, OAuthProfile>();
 * const results = await Promise.all(ids.map(() => flights.run("anthropic:me", refresh)));
 * // `refresh` ran once
 * ```
 * @internal
 */
export function createSingleFlight<K, V>(): SingleFlight<K, V> {
  const unforced = new Map<K, Promise<V>>();
  const forced = new Map<K, Promise<V>>();

  const start = (flights: Map<K, Promise<V>>, key: K, work: () => Promise<V>): Promise<V> => {
    // `new Promise` turns a synchronous throw of `work` into a rejection shared like any other.
    const running: Promise<V> = new Promise<V>((resolve) => resolve(work())).finally(() => {
      if (flights.get(key) === running) flights.delete(key);
    });
    flights.set(key, running);
    return running;
  };

  return {
    run(key, work, options = {}) {
      if (options.force === true) return forced.get(key) ?? start(forced, key, work);
      return forced.get(key) ?? unforced.get(key) ?? start(unforced, key, work);
    },
    has(key) {
      return forced.has(key) || unforced.has(key);
    },
  };
}
