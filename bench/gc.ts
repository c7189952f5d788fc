/**
 * Access to `global.gc`.
 *
 * @module
 */

/** @returns `global.gc` when node runs with `--expose-gc`, else `null` */
export function exposedGc(): (() => void) | null {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  return typeof gc === "function" ? (gc as () => void) : null;
}
