/**
 * A randomized exponential backoff delay ("equal jitter"): between half and all of
 * `min(capMs, baseMs × 1.5^attempt)`, so hosts that collided once spread out.
 *
 * @param attempt - 0 for the first retry
 * @param baseMs - the first delay
 * @param capMs - the largest delay
 * @returns milliseconds to wait
 * @internal
 */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number): number {
  const ceilingMs = Math.min(capMs, baseMs * 1.5 ** attempt);
  return ceilingMs * (0.5 + Math.random() / 2);
}

/**
 * Waits `ms`.
 *
 * @param ms - milliseconds
 * @returns a promise that resolves after `ms`
 * @internal
 */
export async function sleepMs(ms: number): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, ms));
}
