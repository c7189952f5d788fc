import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    restoreMocks: true,
    unstubEnvs: true,
    // Generous: a 2-core machine at load 8 must pass; a timeout is a hang guard, not a speed test.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
    coverage: {
      include: ["src/**/*.ts"],
      exclude: ["src/index.ts", "src/anthropic.ts", "src/redis.ts"],
    },
  },
});
