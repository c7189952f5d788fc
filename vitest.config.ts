import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    restoreMocks: true,
    unstubEnvs: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
    coverage: {
      include: ["src/**/*.ts"],
      exclude: ["src/index.ts", "src/anthropic.ts", "src/redis.ts"],
    },
  },
});
