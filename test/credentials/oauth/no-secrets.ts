import { inspect } from "node:util";
import { expect } from "vitest";

/** Every Anthropic-looking secret: nothing of this shape may appear unredacted. */
const SECRET_SHAPE = /sk-ant-(?:api03|oat01|ort01)-[A-Za-z0-9_-]{6,}/;

/**
 * Asserts that an error (message, hint, details, JSON and inspect views) shows none of `secrets`
 * and nothing shaped like a full Anthropic secret.
 */
export function expectNoSecrets(error: unknown, secrets: readonly string[]): void {
  const e = error as { message?: unknown; hint?: unknown; details?: unknown; stack?: unknown };
  const views = [
    String(e.message),
    String(e.hint),
    JSON.stringify(e.details ?? null),
    JSON.stringify(error),
    inspect(error, { depth: 8 }),
    String(error),
  ];
  for (const view of views) {
    for (const secret of secrets) expect(view).not.toContain(secret);
    expect(view).not.toMatch(SECRET_SHAPE);
  }
}

/** Runs `fn`, expecting it to reject; returns the error. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
