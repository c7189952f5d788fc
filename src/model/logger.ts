/** A logger; the default is silent. Messages never contain secrets. */
export type Logger = Pick<Console, "debug" | "info" | "warn" | "error">;
