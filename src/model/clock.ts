/** A clock returning epoch milliseconds. Injected everywhere time matters, for tests. */
export type Clock = () => number;

/** The system clock. Only the composition root reads it. @internal */
export const systemClock: Clock = () => Date.now();
