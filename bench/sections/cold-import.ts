/**
 * Cold `import("auth-profiles")`: a fresh node process imports dist/index.js; median of runs.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { distFile } from "../lib.js";
import { median } from "../measure.js";
import { figuresOf, verdictOf, type SectionResult } from "../report.js";

const RUNS = 15;
const MAX_IMPORT_MS = 40;

function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

/** @returns the cold-import figures */
export async function benchColdImport(): Promise<SectionResult> {
  const root: number[] = [];
  const anthropic: number[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  for (let i = 0; i < RUNS; i += 1) {
    root.push(importMs(distFile("index.js")));
    anthropic.push(importMs(distFile("anthropic.js")));
  }
  const fig = figuresOf("cold start");
  const rootMs = median(root);
  const loadAfter = loadavg()[0] ?? 0;
  const sorted = [...root].sort((a, b) => a - b);
  return {
    figures: [
      fig(`import("auth-profiles") in a fresh process`, rootMs, "ms", `≤ ${MAX_IMPORT_MS} ms`, verdictOf(rootMs <= MAX_IMPORT_MS)),
      fig(`import("auth-profiles/anthropic") in a fresh process (loads @anthropic-ai/sdk)`, median(anthropic), "ms", "-", "INFO"),
    ],
    notes: [
      `cold start: ${RUNS} fresh node processes per entry, alternating, each timing one dynamic import of the built dist/ file (npm run build first) with performance.now(); median. import("auth-profiles") runs: fastest ${(sorted[0] ?? 0).toFixed(1)} ms, median ${rootMs.toFixed(1)} ms, slowest ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (the figure grows with the load: a fresh process compiles every module it loads). json5, node:crypto and node:child_process are loaded on first use, not at import.`,
    ],
  };
}
