/**
 * What the middleware remembers about one SDK call across its HTTP attempts (the SDK's own retries
 * run the middleware again for the same call).
 *
 * @internal
 */
export interface CallState {
  /** Profiles that failed during this call: never tried again by it. */
  readonly failed: string[];
  /** The profile of the last attempt that did not fail over, so an SDK retry stays on it. */
  profileId: string | null;
  /** Failovers made so far by this call. */
  failovers: number;
}

/** Key of a call when the SDK gives none (token exchanges): a fresh state per attempt. */
type CallKey = object | undefined;

/** The states of a middleware's calls. @internal */
export interface CallStates {
  /**
   * @param key - the call's request options object (`ctx.options`)
   * @param headers - the attempt's headers (for `X-Stainless-Retry-Count`)
   * @returns the state of the call this attempt retries, or a fresh one for a call's first attempt
   */
  start(key: CallKey, headers: Headers): CallState;
  /**
   * Remembers the state of an attempt that the SDK may retry (it did not end in a 2xx response).
   *
   * @param key - the call's request options object
   * @param state - the attempt's state
   */
  keep(key: CallKey, state: CallState): void;
}

/**
 * Keeps one {@link CallState} per SDK call, keyed by the call's request options object (the same
 * object across the SDK's retries of one call), without keeping calls alive.
 *
 * @remarks A call's first attempt (`X-Stainless-Retry-Count: 0`) starts a fresh state, so a reused
 * options object does not inherit an old state. The state is stored only when the SDK may come
 * back with a retry (an attempt that threw or answered non-2xx), or when the options object
 * already had one: the common call, answered 2xx at once, adds no entry.
 *
 * @returns the lookup
 * @internal
 */
export function createCallStates(): CallStates {
  const states = new WeakMap<object, CallState>();
  return {
    start: (key, headers) => {
      const existing = key === undefined ? undefined : states.get(key);
      // The retry count is read only when there is a state to resume (a header read costs ~1 µs).
      if (existing !== undefined && Number(headers.get("x-stainless-retry-count") ?? "0") > 0) return existing;
      const state: CallState = { failed: [], profileId: null, failovers: 0 };
      if (existing !== undefined) states.set(key as object, state);
      return state;
    },
    keep: (key, state) => {
      if (key !== undefined && states.get(key) !== state) states.set(key, state);
    },
  };
}
