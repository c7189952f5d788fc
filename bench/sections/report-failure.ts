/**
 * `reportFailure` on a 10- and a 10,000-profile store: the call itself (applied in memory, written
 * behind), the call plus `flush()` (durable: lock, own-write check, validate what changed, fsynced write), and how many
 * writes 20 failures reported at once take.
 *
 * @module
 */
import { performance } from "node:perf_hooks";
import type { ProfileStore } from "../../src/model/store.js";
import { store as storeEntry } from "../lib.js";
import { median } from "../measure.js";
import { figuresOf, verdictOf, type Figure, type SectionResult } from "../report.js";
import { apiKeyStore, makeWorkspace } from "../workspace.js";

const MAX_DURABLE_MS = 3;
const SAMPLES = 40;
const BURST = 20;

async function measureAt(profiles: number): Promise<{ callMs: number; durableMs: number; burstWrites: number }> {
  const ws = await makeWorkspace();
  try {
    await ws.writeStore(apiKeyStore(profiles));
    const file = storeEntry.createFileProfileStore({ path: ws.storePath });
    let writes = 0;
    const store: ProfileStore = { path: file.path, read: () => file.read(), update: (m) => ((writes += 1), file.update(m)), watch: (c, o) => file.watch(c, o), close: () => file.close() };
    let offsetMs = 0;
    const resolver = ws.resolver({ store, now: () => Date.now() + offsetMs });
    await resolver.resolve();
    const call: number[] = [];
    const durable: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const id = `anthropic:key-${String((i % profiles) + 1).padStart(6, "0")}`;
      offsetMs += 25 * 3_600_000; // a fresh failure window each time: the same ladder step
      const t0 = performance.now();
      await resolver.reportFailure(id, { status: 429 });
      const t1 = performance.now();
      await resolver.flush();
      const t2 = performance.now();
      call.push(t1 - t0);
      durable.push(t2 - t0);
    }
    writes = 0;
    await Promise.all(Array.from({ length: BURST }, (_, i) => resolver.reportFailure(`anthropic:key-${String((i % profiles) + 1).padStart(6, "0")}`, { status: 529 })));
    await resolver.flush();
    return { callMs: median(call), durableMs: median(durable), burstWrites: writes };
  } finally {
    await ws.cleanup();
  }
}

/** @returns the reportFailure figures */
export async function benchReportFailure(): Promise<SectionResult> {
  const fig = figuresOf("reportFailure");
  const figures: Figure[] = [];
  const small = await measureAt(10);
  const large = await measureAt(10_000);
  for (const [profiles, r] of [[10, small], [10_000, large]] as const) {
    const label = `${profiles.toLocaleString("en-US")} profiles`;
    figures.push(fig(`reportFailure call (in memory, written behind), ${label}`, r.callMs, "ms", "-", "INFO"));
    figures.push(fig(`reportFailure + flush (durable write), ${label}`, r.durableMs, "ms", profiles === 10 ? `≤ ${MAX_DURABLE_MS} ms` : "-", profiles === 10 ? verdictOf(r.durableMs <= MAX_DURABLE_MS) : "INFO"));
    figures.push(fig(`store writes for ${BURST} failures reported at once, ${label}`, r.burstWrites, "writes", "≤ 2 (one per lock hold)", verdictOf(r.burstWrites <= 2)));
  }
  const perProfileRatio = large.durableMs / small.durableMs / (10_000 / 10);
  figures.push(fig("durable cost growth 10 → 10,000 profiles ÷ profile growth", perProfileRatio, "(≤ 1: at most linear)", "≤ 1", verdictOf(perProfileRatio <= 1)));
  return {
    figures,
    notes: [
      `reportFailure: one resolver (dist/) over the file store of N API keys, wrapped to count update() calls; ${SAMPLES} failures (429) one after another, each timed alone: the call, then flush() (lock; the store is not read again when it is still the file this store object wrote last, only stat-ed; validation of what changed; temp write + fsync + rename + directory fsync: 22 fs calls); median. Then ${BURST} failures (529) reported at once and flushed: a failure's write starts 20 ms after it is reported (flush() starts it at once), so failures reported together go out in one write; a failure reported while a write is in flight joins the next one.`,
    ],
  };
}
