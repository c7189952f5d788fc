/**
 * Heap bytes per call of an async operation.
 *
 * @module
 */
import { PerformanceObserver, performance, type PerformanceEntry } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { exposedGc } from "./gc.js";
import { median, type Op } from "./measure.js";

/** What {@link heapPerCall} found. */
export interface HeapPerCall {
  /** Median heap growth per call over batches that saw no garbage collection; `null` when every batch did. */
  readonly allocatedBytes: number | null;
  /** Heap growth per call between two forced full collections, after a first unmeasured window (leak check); `null` without `--expose-gc`. */
  readonly retainedBytes: number | null;
}

/** Options of {@link heapPerCall}. */
export interface HeapPerCallOptions {
  /** Calls for the retained-bytes check (0 skips it). */
  readonly retainedCalls: number;
  /**
   * Unmeasured calls before the retained-bytes window. Default `retainedCalls`. Raise it past any
   * bounded warm-up growth (a resolver remembers one pick time per profile it has picked).
   */
  readonly retainedWarmupCalls?: number;
  /** Calls of the first batch; halved each time a GC runs inside a batch. Default 1000. */
  readonly batchCalls?: number;
}

/** Batches kept per figure. */
const BATCHES = 9;
/** Attempts before giving up (a single call that always triggers a GC). */
const MAX_ATTEMPTS = 40;

/**
 * Measures the heap bytes one call allocates: a full GC (with `--expose-gc`), then `heapUsed`
 * before and after a batch of calls. A batch during which any GC ran (seen by a `gc`
 * PerformanceObserver) is discarded and the next one made smaller.
 *
 * @param op - the operation (already warm)
 * @param options - batch size and retained-check length
 * @returns allocated and retained bytes per call
 */
export async function heapPerCall(op: Op, options: HeapPerCallOptions): Promise<HeapPerCall> {
  const gc = exposedGc();
  const gcTimes: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceEntry[]) gcTimes.push(entry.startTime, entry.startTime + entry.duration);
  });
  observer.observe({ entryTypes: ["gc"] });
  try {
    let calls = options.batchCalls ?? 1000;
    const samples: number[] = [];
    for (let attempt = 0; samples.length < BATCHES && attempt < MAX_ATTEMPTS; attempt += 1) {
      gc?.();
      await sleep(2);
      const start = performance.now();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < calls; i += 1) await op();
      const after = process.memoryUsage().heapUsed;
      const end = performance.now();
      await sleep(5); // GC entries reach the observer a few macrotasks later
      if (gcTimes.some((t) => t >= start && t <= end) || after < before) {
        if (calls === 1) continue;
        calls = Math.max(1, Math.floor(calls / 2));
        continue;
      }
      samples.push((after - before) / calls);
    }
    const retainedBytes =
      gc !== null && options.retainedCalls > 0 ? await retainedPerCall(op, options.retainedWarmupCalls ?? options.retainedCalls, options.retainedCalls, gc) : null;
    return { allocatedBytes: samples.length === 0 ? null : median(samples), retainedBytes };
  } finally {
    observer.disconnect();
  }
}

/**
 * Heap growth per call between full GCs over `calls` calls, after `warmupCalls` unmeasured ones
 * that absorb one-time growth (optimized code, feedback vectors, lazily built caches).
 */
async function retainedPerCall(op: Op, warmupCalls: number, calls: number, gc: () => void): Promise<number> {
  for (let i = 0; i < warmupCalls; i += 1) await op();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i += 1) await op();
  gc();
  return Math.max(0, (process.memoryUsage().heapUsed - before) / calls);
}
