/**
 * Warm `resolve()` at 1, 1,000 and 10,000 API-key profiles, with and without a `sessionId`, beside
 * a floor (an async function returning a cached frozen object) and a naive user's code
 * (`readFileSync` + `JSON.parse` + pick per call): time and heap bytes per call, fs calls.
 *
 * @module
 */
import { countFsCalls } from "../../test/helpers/fs-calls.js";
import { heapPerCall } from "../heap.js";
import { interleavedRounds, type Op } from "../measure.js";
import { naiveResolve } from "../naive-resolve.js";
import { figuresOf, verdictOf, type Figure, type SectionResult } from "../report.js";
import { apiKeyStore, makeWorkspace, type Workspace } from "../workspace.js";
import type { AuthResolver, ResolveRequest } from "../../src/resolver/types.js";

/** Profile counts compared. */
export const PROFILE_COUNTS = [1, 1_000, 10_000] as const;
/** Goal: time per warm resolve, µs. */
const MAX_WARM_US = 0.5;
/** Goal: heap allocated per warm resolve, bytes. */
const MAX_WARM_BYTES = 200;
/** Goal: warm resolve ÷ the naive user's code, at 1 profile. */
const MIN_SPEEDUP = 30;
/** Warm resolves observed by the fs-call counter. */
const FS_COUNTED_CALLS = 10_000;

const FLOOR_AUTH = Object.freeze({ profileId: "anthropic:key-000001" });
/** The floor: the cheapest async call that returns a ready answer. */
async function floor(): Promise<unknown> {
  return FLOOR_AUTH;
}
const SETTLED_AUTH = Promise.resolve(FLOOR_AUTH);
/** The caller's own cost: awaiting a promise that settled earlier (what every case's loop pays). */
function harness(): Promise<unknown> {
  return SETTLED_AUTH;
}

interface AtCount {
  readonly profiles: number;
  readonly us: Readonly<Record<string, number>>;
  readonly bytes: Readonly<Record<string, number | null>>;
  fsCalls: number;
}

/** A resolver over a store of `profiles` API keys, with both requests already resolved once (cold: the store is read). */
async function warmResolverIn(ws: Workspace, profiles: number): Promise<{ resolver: AuthResolver; plain: ResolveRequest; session: ResolveRequest }> {
  await ws.writeStore(apiKeyStore(profiles));
  const resolver = ws.resolver();
  const plain = { model: "claude-sonnet-4-6" };
  const session = { model: "claude-sonnet-4-6", sessionId: "conversation-1" };
  await resolver.resolve(plain);
  await resolver.resolve(session);
  return { resolver, plain, session };
}

/**
 * Time and heap per call at one store size. The fs calls are counted afterwards, for every size at
 * once ({@link countAt}): the counter installs async hooks, which tax every promise made after
 * them, so measuring with them on would inflate the figures of the later sizes.
 */
async function measureAt(profiles: number): Promise<AtCount> {
  const ws = await makeWorkspace();
  try {
    const { resolver, plain, session } = await warmResolverIn(ws, profiles);
    const cases: Record<string, Op> = { harness, floor, warm: () => resolver.resolve(plain), session: () => resolver.resolve(session) };
    if (profiles === 1) cases["naive"] = () => naiveResolve(ws.storePath, Date.now());
    const rounds = profiles >= 10_000 ? { rounds: 7, roundMs: 300 } : { rounds: 9, roundMs: 250 };
    const ops = await interleavedRounds(cases, { ...rounds, warmupMs: 300 });
    const us = Object.fromEntries(Object.entries(ops).map(([name, f]) => [name, 1e6 / f.opsPerSec]));
    const bytes: Record<string, number | null> = {};
    for (const name of ["harness", "floor", "warm", "session"]) {
      const op = cases[name] as Op;
      bytes[name] = (await heapPerCall(op, { retainedCalls: 0 })).allocatedBytes;
    }
    if (profiles === 1) bytes["naive"] = (await heapPerCall(cases["naive"] as Op, { retainedCalls: 0, batchCalls: 100 })).allocatedBytes;
    return { profiles, us, bytes, fsCalls: Number.NaN };
  } finally {
    await ws.cleanup();
  }
}

/** fs calls during warm resolves at one store size. */
async function countAt(profiles: number): Promise<number> {
  const ws = await makeWorkspace();
  try {
    const { resolver, plain, session } = await warmResolverIn(ws, profiles);
    return await countFsCalls(async () => {
      for (let i = 0; i < FS_COUNTED_CALLS; i += 1) await resolver.resolve(i % 2 === 0 ? plain : session);
    });
  } finally {
    await ws.cleanup();
  }
}

/** @returns the warm-resolve figures */
export async function benchWarmResolve(): Promise<SectionResult> {
  const results: AtCount[] = [];
  for (const n of PROFILE_COUNTS) results.push(await measureAt(n));
  for (const r of results) r.fsCalls = await countAt(r.profiles);
  const fig = figuresOf("warm resolve");
  const figures: Figure[] = [];
  for (const r of results) {
    const label = `${r.profiles.toLocaleString("en-US")} profile${r.profiles === 1 ? "" : "s"}`;
    const floorUs = r.us["floor"] ?? Number.NaN;
    figures.push(fig(`floor (async fn returning a cached frozen object), ${label}`, floorUs, "µs/call", "-", "INFO"));
    figures.push(fig(`floor heap allocated, ${label}`, r.bytes["floor"] ?? null, "B/call", "-", "INFO"));
    const harnessBytes = r.bytes["harness"] ?? null;
    figures.push(fig(`caller's await of a settled promise (every case pays it), ${label}`, r.us["harness"] ?? Number.NaN, "µs/call", "-", "INFO"));
    figures.push(fig(`caller's await of a settled promise, heap allocated, ${label}`, harnessBytes, "B/call", "-", "INFO"));
    for (const [name, title] of [["warm", "warm resolve()"], ["session", "warm resolve() with sessionId"]] as const) {
      const us = r.us[name] ?? Number.NaN;
      const raw = r.bytes[name] ?? null;
      const own = raw === null || harnessBytes === null ? null : Math.max(0, raw - harnessBytes);
      figures.push(fig(`${title}, ${label}: time`, us, "µs/call", `≤ ${MAX_WARM_US} µs`, verdictOf(us <= MAX_WARM_US)));
      figures.push(fig(`${title}, ${label}: heap allocated with the caller's await`, raw, "B/call", "-", "INFO"));
      figures.push(fig(`${title}, ${label}: heap allocated by resolve() itself (− the await)`, own, "B/call", `≤ ${MAX_WARM_BYTES} B`, own === null ? "SKIP" : verdictOf(own <= MAX_WARM_BYTES)));
    }
    const sessionRatio = (r.us["session"] ?? Number.NaN) / (r.us["warm"] ?? Number.NaN);
    figures.push(fig(`with sessionId ÷ without, ${label}`, sessionRatio, "×", "≤ 1.25× (the same)", verdictOf(sessionRatio <= 1.25)));
    if (r.us["naive"] !== undefined) {
      const speedup = r.us["naive"] / (r.us["warm"] ?? Number.NaN);
      figures.push(fig(`naive user (readFileSync + JSON.parse + pick), ${label}`, r.us["naive"], "µs/call", "-", "INFO"));
      figures.push(fig(`naive user heap allocated, ${label}`, r.bytes["naive"] ?? null, "B/call", "-", "INFO"));
      figures.push(fig(`warm resolve ÷ naive user, ${label}`, speedup, "× faster", `≥ ${MIN_SPEEDUP}×`, verdictOf(speedup >= MIN_SPEEDUP)));
    }
    figures.push(fig(`fs calls during ${FS_COUNTED_CALLS.toLocaleString("en-US")} warm resolves, ${label}`, r.fsCalls, "calls", "0", verdictOf(r.fsCalls === 0)));
  }
  return {
    figures,
    notes: [
      "warm resolve: one createAuthResolver (dist/) over a real auth-profiles.json of API keys, resolve({ model }) and resolve({ model, sessionId }) awaited one after another after a cold call; interleaved rounds (9 × 250 ms, 7 × 300 ms at 10,000 profiles) of the floor, both resolves and, at 1 profile, the naive user; medians. No forced GC between rounds: every case pays for its own garbage.",
      "naive user (bench/naive-resolve.ts): readFileSync + JSON.parse + first usable profile in file order, per call; no validation, no round-robin.",
      "heap per call: heapUsed before/after batches of calls during which no GC ran (PerformanceObserver 'gc'), median of 9 batches. Each batch is a loop of `await op()`, and that await alone allocates about 200 B (the 'caller's await' figure: awaiting a promise that settled earlier); the goal applies to what resolve() allocates itself, the difference.",
      "fs calls: async_hooks FSREQ*/FILEHANDLE/STATWATCHER resources plus wrapped fs.*Sync functions during the warm resolves (test/helpers/fs-calls.ts), counted after every timing and heap figure of every size: the hooks tax every promise made while or after they are installed.",
    ],
  };
}
