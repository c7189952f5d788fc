import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The folders of `src/`, lowest first. A module may import from its own folder and from folders
 * listed before its own, never from a later one: the architecture reads from bottom to top, and no
 * folder edge points up or closes a cycle. The entry files at the root of `src/` (`index.ts` and
 * the subpath entries) sit above every folder and are imported by none.
 */
const LAYERS = [
  "model", // domain types, ids, errors, masking, Clock, Logger
  "io", // file lock, atomic write, file safety, watch: the only fs code besides the stores
  "config", // paths, JSON5 parse, schema, migration, load
  "store", // the file store
  "redis", // the Redis store (entry auth-profiles/redis)
  "sqlite", // OpenClaw's SQLite store, 2026.6+ (entry auth-profiles/sqlite)
  "selection", // order, cooldown, classification (pure)
  "credentials", // env, setup-token, oauth/, claude-cli/
  "request", // pure decoration: headers, betas, cache TTL
  "writers", // saveApiKey, saveToken, useClaudeCli, copyProfiles, profile meta
  "status", // the status report
  "resolver", // the composition root
  "anthropic", // SDK client, middleware, failover (entry auth-profiles/anthropic)
] as const;

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The folder a file under `src/` belongs to, or `"(entry)"` for a file at the root of `src/`. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? "(entry)" : (parts[0] ?? "");
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly fromFolder: string;
  readonly toFolder: string;
}

/** Every relative import of every source file, type-only and dynamic ones included. */
function edges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) => {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    return info.importedFiles
      .filter((ref) => ref.fileName.startsWith("."))
      .map((ref) => {
        const target = resolve(dirname(file), ref.fileName.replace(/\.js$/, ".ts"));
        return { from: relative(SRC, file), to: relative(SRC, target), fromFolder: folderOf(file), toFolder: folderOf(target) };
      });
  });
}

describe("architecture", () => {
  const all = edges();

  it("reads every source file's imports", () => {
    expect(all.length).toBeGreaterThan(200);
  });

  it("has a layer for every folder of src/", () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect([...folders].sort()).toEqual([...LAYERS].sort());
  });

  it("has no folder edge that points up or closes a cycle", () => {
    const rank = (folder: string): number => (folder === "(entry)" ? LAYERS.length : LAYERS.indexOf(folder as (typeof LAYERS)[number]));
    const upward = all
      .filter((edge) => edge.fromFolder !== edge.toFolder && rank(edge.toFolder) >= rank(edge.fromFolder))
      .map((edge) => `${edge.from} → ${edge.to} (${edge.fromFolder} may not import ${edge.toFolder})`);
    expect(upward).toEqual([]);
  });

  it("imports no entry file from inside a folder", () => {
    const intoEntries = all.filter((edge) => edge.toFolder === "(entry)").map((edge) => `${edge.from} → ${edge.to}`);
    expect(intoEntries).toEqual([]);
  });
});
