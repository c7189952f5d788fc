import { copyFile, mkdir } from "node:fs/promises";
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
  // valibot is bundled, tree-shaken to the ~30 KB of it the schemas use: loading its whole 200 KB
  // module from node_modules cost a fresh process about 8 ms of `import("auth-profiles")`
  // (bench/sections/cold-import.ts). Its MIT licence ships beside the chunks (onSuccess below).
  noExternal: ["valibot"],
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
  async onSuccess() {
    await mkdir("dist/licenses", { recursive: true });
    await copyFile("node_modules/valibot/LICENSE.md", "dist/licenses/valibot.LICENSE.md");
  },
});
