import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    config: "src/config.ts",
    store: "src/store.ts",
    selection: "src/selection.ts",
    credentials: "src/credentials.ts",
    request: "src/request.ts",
    anthropic: "src/anthropic.ts",
    redis: "src/redis.ts",
    sqlite: "src/sqlite.ts",
  },
  external: ["@anthropic-ai/sdk", "ioredis", "better-sqlite3", "@opentelemetry/api"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  splitting: true,
  treeshake: true,
  // import.meta.url in the CommonJS build (src/io/lazy-require.ts loads modules on first use).
  shims: true,
});
