/**
 * A logger; the default is silent. Messages never contain secrets.
 *
 * @category Resolving
 */
export type Logger = Pick<Console, "debug" | "info" | "warn" | "error">;
