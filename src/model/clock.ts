/**
 * A clock returning epoch milliseconds. Injected everywhere time matters, for tests.
 *
 * @category Resolving
 */
export type Clock = () => number;

/**
 * The system clock: the default of the `now` option, applied only where a public entry point
 * fills in its defaults (the resolver's settings, `useClaudeCli`, `authMiddleware`); nothing below
 * them reads the time by itself.
 *
 * @internal
 */
export const systemClock: Clock = () => Date.now();
