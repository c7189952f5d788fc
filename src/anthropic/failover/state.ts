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

/**
 * Keeps one {@link CallState} per SDK call, keyed by the call's request options object (the same
 * object across the SDK's retries of one call), without keeping calls alive.
 *
 * @returns a lookup that starts a fresh state when the attempt is the call's first
 *   (`X-Stainless-Retry-Count: 0`, so a reused options object does not inherit an old state)
 * @internal
 */
export function createCallStates(): (key: CallKey, headers: Headers) => CallState {
  const states = new WeakMap<object, CallState>();
  return (key, headers) => {
    const existing = key === undefined ? undefined : states.get(key);
    // The retry count is read only when there is a state to resume (a header read costs ~1 µs).
    if (existing !== undefined && Number(headers.get("x-stainless-retry-count") ?? "0") > 0) return existing;
    const state: CallState = { failed: [], profileId: null, failovers: 0 };
    if (key !== undefined) states.set(key, state);
    return state;
  };
}
