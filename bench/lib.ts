/**
 * The library as shipped: every bench measures `dist/` (run `npm run build` first), typed from the
 * sources it was built from. Loaded by path, so a fresh clone still type-checks without `dist/`.
 *
 * @module
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as RootEntry from "../src/index.js";
import type * as AnthropicEntry from "../src/anthropic.js";
import type * as StoreEntry from "../src/store.js";
import type * as SelectionEntry from "../src/selection.js";
import type * as RedisEntry from "../src/redis.js";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function newestMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMs(`${path}/`) : statSync(path).mtimeMs);
  }
  return newest;
}

function load<T>(file: string): Promise<T> {
  const path = `${DIST}${file}`;
  if (!existsSync(path)) throw new Error(`bench: ${path} is missing; run \`npm run build\` first (the bench measures the shipped dist/).`);
  if (statSync(path).mtimeMs < newestMs(SRC)) process.stderr.write(`bench: warning: ${path} is older than src/; run \`npm run build\` to measure the current code.\n`);
  return import(pathToFileURL(path).href) as Promise<T>;
}

/** `auth-profiles` (dist/index.js). */
export const root = await load<typeof RootEntry>("index.js");
/** `auth-profiles/anthropic` (dist/anthropic.js). */
export const anthropic = await load<typeof AnthropicEntry>("anthropic.js");
/** `auth-profiles/store` (dist/store.js). */
export const store = await load<typeof StoreEntry>("store.js");
/** `auth-profiles/selection` (dist/selection.js). */
export const selection = await load<typeof SelectionEntry>("selection.js");

let redisEntry: Promise<typeof RedisEntry> | undefined;
/** @returns `auth-profiles/redis` (dist/redis.js), loaded on first use (it loads ioredis) */
export function redis(): Promise<typeof RedisEntry> {
  redisEntry ??= load<typeof RedisEntry>("redis.js");
  return redisEntry;
}

/** @returns the path of a built entry file, e.g. `dist/index.js` */
export function distFile(file: string): string {
  return `${DIST}${file}`;
}

/** @returns when dist/index.js was built, epoch ms */
export function distBuiltAt(): number {
  return statSync(distFile("index.js")).mtimeMs;
}
