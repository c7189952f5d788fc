import { join } from "node:path";

// What the reliability tests and their child scripts (bundled, see test/helpers/node-child.ts)
// share: plain values and functions only, no `import.meta.url` and no test-runner imports.

/** A fixed instant (2026-11-25T12:00:00Z) for every injected clock. */
export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

/** `<stateDir>/agents/<agentId>/agent/auth-profiles.json`. */
export function storePathIn(stateDir: string, agentId = "main"): string {
  return join(stateDir, "agents", agentId, "agent", "auth-profiles.json");
}

/** A small seeded PRNG (mulberry32), so random choices can be replayed from the seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
