/**
 * Warm `resolve()` against the naive re-read baseline at 1, 10 and 10,000 API-key profiles: calls
 * per second, fs calls, heap bytes per call, and how the per-call cost grows with the profiles.
 *
 * @module
 */
import { countFsCalls } from "../../test/helpers/fs-calls.js";
import { exposedGc } from "../gc.js";
import { heapPerCall } from "../heap.js";
import { interleavedRounds } from "../measure.js";
import { naiveResolve } from "../naive-resolve.js";
import { figuresOf, verdictOf, type Figure, type SectionResult } from "../report.js";
import { apiKeyStore, makeWorkspace } from "../workspace.js";

/** Profile counts compared. */
export const PROFILE_COUNTS = [1, 10, 10_000] as const;
/** Warm resolves observed by the fs-call counter (fewer when one call is slow: about 1 s of calls). */
const FS_COUNTED_CALLS = 10_000;
/** Calls per window of the retained-bytes check (fewer when slow: about 0.75 s). */
const RETAINED_CALLS = 50_000;
/** Nothing kept per call: less than one pointer-sized field per call survives a full GC. */
const MAX_RETAINED_BYTES = 8;
/** The goal: warm resolve at least this many times the naive baseline. */
const MIN_SPEEDUP = 20;

/** What was measured at one profile count. */
interface AtCount {
  readonly profiles: number;
  readonly warmOps: number;
  readonly naiveOps: number;
  readonly fsCalls: number;
  readonly fsCountedCalls: number;
  readonly allocatedBytes: number | null;
  readonly retainedBytes: number | null;
  readonly retainedCalls: number;
  readonly naiveAllocatedBytes: number | null;
}

async function measureAt(profiles: number): Promise<AtCount> {
  const ws = await makeWorkspace();
  try {
    await ws.writeStore(apiKeyStore(profiles));
    const resolver = ws.resolver();
    const request = { model: "claude-sonnet-4-6" };
    await resolver.resolve(request); // cold: reads the store once
    const warm = () => resolver.resolve(request);
    const naive = () => naiveResolve(ws.storePath, Date.now());
    // Short, many rounds: the naive baseline's fs latency drifts with other load on the machine.
    const rounds = profiles >= 10_000 ? { rounds: 5, roundMs: 600 } : { rounds: 9, roundMs: 250 };
    const ops = await interleavedRounds({ warm, naive }, { ...rounds, warmupMs: 300 });
    const warmOps = ops["warm"]?.opsPerSec ?? Number.NaN;
    const fsCountedCalls = Math.min(FS_COUNTED_CALLS, roundTo(warmOps));
    const fsCalls = await countFsCalls(async () => {
      for (let i = 0; i < fsCountedCalls; i += 1) await warm();
    });
    const retainedCalls = Math.min(RETAINED_CALLS, roundTo(warmOps * 0.75));
    // Round-robin visits every profile: the resolver's per-profile pick times fill up once first.
    const heap = await heapPerCall(warm, { retainedCalls, retainedWarmupCalls: Math.max(retainedCalls, profiles) });
    const naiveHeap = await heapPerCall(naive, { retainedCalls: 0, batchCalls: 100 });
    return {
      profiles,
      warmOps,
      naiveOps: ops["naive"]?.opsPerSec ?? Number.NaN,
      fsCalls,
      fsCountedCalls,
      allocatedBytes: heap.allocatedBytes,
      retainedBytes: heap.retainedBytes,
      retainedCalls,
      naiveAllocatedBytes: naiveHeap.allocatedBytes,
    };
  } finally {
    await ws.cleanup();
  }
}

/** @returns `n` rounded down to 1 significant digit times a power of ten (at least 100) */
function roundTo(n: number): number {
  if (!Number.isFinite(n) || n < 100) return 100;
  const power = 10 ** Math.floor(Math.log10(n));
  return Math.floor(n / power) * power;
}

/**
 * Growth exponent of a per-call cost between two profile counts: 0 is flat, 1 is linear.
 *
 * @param costLow - cost at `low` profiles
 * @param costHigh - cost at `high` profiles
 * @param low - the smaller count
 * @param high - the larger count
 * @returns log(costHigh / costLow) / log(high / low)
 */
export function growthExponent(costLow: number, costHigh: number, low: number, high: number): number {
  return Math.log(costHigh / costLow) / Math.log(high / low);
}

/** @returns the warm-resolve, allocation and scaling figures */
export async function benchWarmResolve(): Promise<SectionResult> {
  const results: AtCount[] = [];
  for (const n of PROFILE_COUNTS) results.push(await measureAt(n));
  const warmFig = figuresOf("warm resolve");
  const allocFig = figuresOf("allocations");
  const figures: Figure[] = [];
  for (const r of results) {
    const label = `${r.profiles.toLocaleString("en-US")} profile${r.profiles === 1 ? "" : "s"}`;
    const speedup = r.warmOps / r.naiveOps;
    figures.push(warmFig(`warm resolve, ${label}`, r.warmOps, "ops/s", "-", "INFO"));
    figures.push(warmFig(`naive re-read baseline, ${label}`, r.naiveOps, "ops/s", "-", "INFO"));
    figures.push(warmFig(`warm ÷ naive, ${label}`, speedup, "×", `≥ ${MIN_SPEEDUP}×`, verdictOf(speedup >= MIN_SPEEDUP)));
    figures.push(warmFig(`fs calls during warm resolves, ${label}`, r.fsCalls, `calls in ${r.fsCountedCalls.toLocaleString("en-US")} resolves`, "0", verdictOf(r.fsCalls === 0)));
  }
  for (const r of results) {
    const label = `${r.profiles.toLocaleString("en-US")} profile${r.profiles === 1 ? "" : "s"}`;
    figures.push(allocFig(`heap allocated per warm resolve, ${label}`, r.allocatedBytes, "B/call", "-", r.allocatedBytes === null ? "SKIP" : "INFO"));
    if (r.retainedBytes !== null) {
      const unit = `B/call over ${r.retainedCalls.toLocaleString("en-US")} calls`;
      figures.push(allocFig(`heap retained per warm resolve, ${label}`, r.retainedBytes, unit, `< ${MAX_RETAINED_BYTES} B/call`, verdictOf(r.retainedBytes < MAX_RETAINED_BYTES)));
    }
    figures.push(allocFig(`heap allocated per naive call, ${label}`, r.naiveAllocatedBytes, "B/call", "-", r.naiveAllocatedBytes === null ? "SKIP" : "INFO"));
  }
  figures.push(...scalingFigures(results));
  return { figures, notes: notes(results) };
}

function scalingFigures(results: readonly AtCount[]): Figure[] {
  const fig = figuresOf("scaling");
  const series: ReadonlyArray<readonly [string, (r: AtCount) => number]> = [
    ["warm resolve time per call", (r) => 1 / r.warmOps],
    ["warm resolve heap per call", (r) => r.allocatedBytes ?? Number.NaN],
    ["naive baseline time per call", (r) => 1 / r.naiveOps],
  ];
  const figures: Figure[] = [];
  let worst = Number.NEGATIVE_INFINITY;
  for (const [name, cost] of series) {
    for (let i = 1; i < results.length; i += 1) {
      const low = results[i - 1] as AtCount;
      const high = results[i] as AtCount;
      const span = `${compact(low.profiles)}→${compact(high.profiles)} profiles`;
      const exponent = growthExponent(cost(low), cost(high), low.profiles, high.profiles);
      if (Number.isNaN(exponent)) {
        figures.push(fig(`${name}: growth exponent ${span}`, null, "(1 = linear)", "≤ 1.1", "SKIP"));
        continue;
      }
      worst = Math.max(worst, exponent);
      // Linear or better: the cost grows at most like the profile count (10 % slack for timing noise).
      figures.push(fig(`${name}: growth exponent ${span}`, exponent, "(1 = linear)", "≤ 1.1", verdictOf(exponent <= 1.1)));
    }
  }
  figures.push(fig("no per-call figure grows faster than linearly", worst, "worst exponent", "≤ 1.1", verdictOf(worst <= 1.1)));
  return figures;
}

function compact(n: number): string {
  return n >= 1000 ? `${n / 1000}k` : String(n);
}

function notes(results: readonly AtCount[]): string[] {
  const gc = exposedGc() !== null;
  const big = results[results.length - 1] as AtCount;
  const small = results[0] as AtCount;
  return [
    "warm resolve: one createAuthResolver over a real auth-profiles.json (API keys), resolve({ model }) awaited one call after another after one cold call; 9 interleaved rounds of 250 ms per case (5 of 600 ms at 10,000 profiles), median.",
    "naive baseline (bench/naive-resolve.ts): fs.promises.readFile + the library's parseStore (JSON.parse + valibot validation) + first usable profile in file order, on every call; it skips the library's round-robin sort and TTL lookup, so it is if anything flattering to the baseline.",
    "fs calls: async_hooks FSREQ*/FILEHANDLE/STATWATCHER resources plus wrapped fs.*Sync functions during the warm resolves named, as test/resolver/warm-path.test.ts counts them.",
    gc
      ? "heap per call: node --expose-gc; full GC, then process.memoryUsage().heapUsed before/after a batch of calls; batches during which a GC ran (PerformanceObserver 'gc') are dropped and the batch shrunk; median of 9 batches. Retained = heapUsed growth between two forced GCs around the named number of calls, measured after a first unmeasured window of as many calls (at least one call per profile, since the resolver keeps one round-robin pick time per profile it picked: bounded, not a leak)."
      : "heap per call: without --expose-gc: heapUsed before/after batches of calls, dropping batches during which a GC ran (PerformanceObserver 'gc'); median of 9 batches. Retained bytes need --expose-gc and were not measured.",
    `per-call cost at ${big.profiles.toLocaleString("en-US")} vs ${small.profiles} profile: warm resolve ${(small.warmOps / big.warmOps).toFixed(0)}× slower, ${bytes(big.allocatedBytes)} vs ${bytes(small.allocatedBytes)} B/call. Growth exponent = log(cost ratio) / log(profile ratio): 0 flat, 1 linear.`,
  ];
}

function bytes(value: number | null): string {
  return value === null ? "?" : Math.round(value).toLocaleString("en-US");
}
