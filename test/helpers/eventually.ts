/**
 * How long a test waits for something that is bound to happen soon (a watcher firing, a background
 * refresh landing, another process's write being noticed). Reaching it fails the test; it is a
 * cap, never a verdict on speed, so it is far above what an idle machine needs and holds on a
 * 2-core machine at load 8.
 */
export const PATIENCE_MS = 60_000;

/**
 * Polls `probe` every `intervalMs` until it returns true, for at most {@link PATIENCE_MS}.
 *
 * @returns whether `probe` became true; assert on the outcome after it, not on the time it took
 */
export async function eventually(probe: () => boolean | Promise<boolean>, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
