/**
 * Cold `import("auth-profiles")`: a fresh node process imports dist/index.js; median of runs,
 * interleaved with the floors it is made of (an empty module, the Node built-ins the package
 * imports, valibot's whole module from node_modules) and the CommonJS entry.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { distFile } from "../lib.js";
import { median } from "../measure.js";
import { figuresOf, verdictOf, type SectionResult } from "../report.js";

const RUNS = 15;
const MAX_IMPORT_MS = 40;

/** The Node built-ins the root entry imports statically (ESM namespaces of node:fs and node:util load their lazy parts). */
const BUILTINS = ["node:fs", "node:fs/promises", "node:path", "node:os", "node:util", "node:timers/promises", "node:module"];

interface Timing {
  /** Wall time of the import, ms. */
  readonly wall: number;
  /** CPU time (user + system, all threads) of the import, ms: less sensitive to the machine's load. */
  readonly cpu: number;
}

function timeIn(setup: string, load: string, type: "module" | "commonjs"): Timing {
  const script = `${setup}const c = process.cpuUsage(); const t = performance.now(); ${load}; const wall = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall, cpu: (u.user + u.system) / 1000 }));`;
  const out = execFileSync(process.execPath, [`--input-type=${type}`, "-e", script], { encoding: "utf8" });
  return JSON.parse(out) as Timing;
}

/** The files an ESM import of `file` loads (its static relative imports, transitively) and their total size. */
function staticGraph(file: string): { readonly files: number; readonly bytes: number } {
  const seen = new Set<string>();
  let bytes = 0;
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    bytes += statSync(path).size;
    const text = readFileSync(path, "utf8");
    for (const match of text.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = match[1];
      if (target !== undefined) visit(resolve(dirname(path), target));
    }
  };
  visit(file);
  return { files: seen.size, bytes };
}

function importTiming(href: string): Timing {
  return timeIn("", `await import(${JSON.stringify(href)})`, "module");
}

function requireTiming(file: string): Timing {
  return timeIn(`const r = require("node:module").createRequire(${JSON.stringify(file)});`, `r(${JSON.stringify(file)})`, "commonjs");
}

/** @returns the cold-import figures */
export async function benchColdImport(): Promise<SectionResult> {
  const dir = mkdtempSync(join(tmpdir(), "cold-import-"));
  try {
    const empty = join(dir, "empty.mjs");
    writeFileSync(empty, "export {};\n");
    const builtins = join(dir, "builtins.mjs");
    writeFileSync(builtins, BUILTINS.map((id) => `import ${JSON.stringify(id)};`).join("\n") + "\n");
    // valibot is bundled into dist/ (tree-shaken); its whole module from node_modules is what the
    // package used to load.
    const valibotFile = createRequire(import.meta.url).resolve("valibot").replace(/index\.cjs$/, "index.mjs");
    const cases = {
      root: () => importTiming(pathToFileURL(distFile("index.js")).href),
      rootCjs: () => requireTiming(distFile("index.cjs")),
      empty: () => importTiming(pathToFileURL(empty).href),
      builtins: () => importTiming(pathToFileURL(builtins).href),
      valibot: () => importTiming(pathToFileURL(valibotFile).href),
      anthropic: () => importTiming(pathToFileURL(distFile("anthropic.js")).href),
    } as const;
    const runs = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as Timing[]])) as Record<keyof typeof cases, Timing[]>;
    const loadBefore = loadavg()[0] ?? 0;
    for (let i = 0; i < RUNS; i += 1) {
      for (const name of Object.keys(cases) as (keyof typeof cases)[]) runs[name].push(cases[name]());
    }
    const loadAfter = loadavg()[0] ?? 0;
    const wall = (name: keyof typeof cases): number => median(runs[name].map((t) => t.wall));
    const cpu = (name: keyof typeof cases): number => median(runs[name].map((t) => t.cpu));
    const fig = figuresOf("cold start");
    const rootMs = wall("root");
    const sorted = runs.root.map((t) => t.wall).sort((a, b) => a - b);
    const own = rootMs - wall("builtins");
    const graph = staticGraph(distFile("index.js"));
    return {
      figures: [
        fig(`import("auth-profiles") in a fresh process`, rootMs, "ms", `≤ ${MAX_IMPORT_MS} ms`, verdictOf(rootMs <= MAX_IMPORT_MS)),
        fig(`… CPU time of that import (user + system, all threads)`, cpu("root"), "ms", "-", "INFO"),
        fig(`… floor: import of an empty module (Node's ESM loader)`, wall("empty"), "ms", "-", "INFO"),
        fig(`… floor: import of the Node built-ins the package imports`, wall("builtins"), "ms", "-", "INFO"),
        fig(`… the package's own share (import minus the built-ins floor)`, own, "ms", "-", "INFO"),
        fig(`… files of the package that import loads`, graph.files, "files", "-", "INFO"),
        fig(`… JavaScript those files hold (compiled by V8 on load)`, graph.bytes / 1024, "KB", "-", "INFO"),
        fig(`… for comparison: import of valibot's whole module from node_modules (bundled, tree-shaken, since)`, wall("valibot"), "ms", "-", "INFO"),
        fig(`require("auth-profiles") (CommonJS entry) in a fresh process`, wall("rootCjs"), "ms", "-", "INFO"),
        fig(`import("auth-profiles/anthropic") in a fresh process (loads @anthropic-ai/sdk)`, wall("anthropic"), "ms", "-", "INFO"),
      ],
      notes: [
        `cold start: ${RUNS} fresh node processes per case, the cases interleaved, each timing one import of the built dist/ file (npm run build first) with performance.now() and process.cpuUsage(); medians. import("auth-profiles") runs: fastest ${(sorted[0] ?? 0).toFixed(1)} ms, median ${rootMs.toFixed(1)} ms, slowest ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (the figure grows with the load: a fresh process compiles every module it loads). The floors are an empty module and a module importing only ${BUILTINS.join(", ")}; the package's own share is what loading, compiling and running its files adds (Node's ESM loader costs about a millisecond per file, so the root entry, the light subpaths and everything they share with the peer entries are built into 3 files: dist/index.js, dist/core.js and one chunk; see tsup.config.ts). json5, node:crypto and node:child_process are loaded on first use, and the valibot schemas are built on first use, not at import.`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
