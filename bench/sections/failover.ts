/**
 * A call that fails over (profile A answers 429, B answers 200) against a plain call, through
 * `createAnthropicClient` on the local fake API server.
 *
 * @module
 */
import { performance } from "node:perf_hooks";
import type { AuthProfilesClient } from "../../src/anthropic.js";
import { anthropic } from "../lib.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import { startFakeApiProcess } from "../fake-api.js";
import { median } from "../measure.js";
import { figuresOf, verdictOf, type SectionResult } from "../report.js";
import { fakeApiKey, makeWorkspace, namedKeyStore, type Workspace } from "../workspace.js";
import { MESSAGE_PARAMS } from "./client-overhead.js";

/** The goal as stated: a failover call at most this many times a plain call. */
const MAX_FAILOVER_RATIO = 2.5;
const WARMUP_CALLS = 30;
const MEASURED_CALLS = 200;
/** Past the 24 h failure window, so every failover starts from a fresh, 30 s cooldown. */
const CLOCK_STEP_MS = 25 * 3_600_000;

/** @returns the failover figures */
export async function benchFailover(): Promise<SectionResult> {
  const api = await startFakeApiProcess();
  const failing = await makeWorkspace();
  const plain = await makeWorkspace();
  const clients: AuthProfilesClient[] = [];
  try {
    const keyA = fakeApiKey();
    const keyB = fakeApiKey();
    await api.setBehavior(keyA, { status: 429 });
    await failing.writeStore(namedKeyStore({ "anthropic:a": keyA, "anthropic:b": keyB }, ["anthropic:a", "anthropic:b"]));
    await plain.writeStore(namedKeyStore({ "anthropic:b": keyB }));
    // A moves to the next day after each failover, so A is usable (and tried first) again.
    let offsetMs = 0;
    const now = (): number => Date.now() + offsetMs;
    // The failure record's own time inside each failover call, for the breakdown.
    const recordTimes: number[] = [];
    const clientOf = (ws: Workspace, onRecord: ((ms: number) => void) | null): AuthProfilesClient => {
      const resolver = ws.resolver({ now });
      const client = anthropic.createAnthropicClient({ resolver: onRecord === null ? resolver : timingFailures(resolver, onRecord), now, clientOptions: { baseURL: api.url, maxRetries: 0 } });
      clients.push(client);
      return client;
    };
    let measuring = false;
    const failoverClient = clientOf(failing, (ms) => {
      if (measuring) recordTimes.push(ms);
    });
    const plainClient = clientOf(plain, null);
    const failoverMs: number[] = [];
    const plainMs: number[] = [];
    let requestsBefore = 0;
    for (let i = 0; i < WARMUP_CALLS + MEASURED_CALLS; i += 1) {
      if (i === WARMUP_CALLS) {
        requestsBefore = await api.requestCount();
        measuring = true;
      }
      const t0 = performance.now();
      await failoverClient.messages.create(MESSAGE_PARAMS);
      const t1 = performance.now();
      offsetMs += CLOCK_STEP_MS;
      const t2 = performance.now();
      await plainClient.messages.create(MESSAGE_PARAMS);
      const t3 = performance.now();
      if (i >= WARMUP_CALLS) {
        failoverMs.push(t1 - t0);
        plainMs.push(t3 - t2);
      }
    }
    const requestsPerFailover = ((await api.requestCount()) - requestsBefore - MEASURED_CALLS) / MEASURED_CALLS;
    const recordMs = median(recordTimes);
    const failoverMedian = median(failoverMs);
    const plainMedian = median(plainMs);
    const ratio = failoverMedian / plainMedian;
    const fig = figuresOf("failover");
    return {
      figures: [
        fig("plain call (200), median", plainMedian, "ms", "-", "INFO"),
        fig("failover call (A 429 → B 200), median", failoverMedian, "ms", "-", "INFO"),
        fig("HTTP requests per failover call", requestsPerFailover, "requests", "2", verdictOf(requestsPerFailover === 2)),
        fig("failover ÷ plain call time", ratio, "×", `≤ ${MAX_FAILOVER_RATIO}×`, verdictOf(ratio <= MAX_FAILOVER_RATIO)),
        fig("failover ÷ (2 × plain) call time (beyond the 2nd round trip)", failoverMedian / (2 * plainMedian), "×", "-", "INFO"),
        fig("reportFailure inside a failover call (applied in memory; the record is written behind), median", recordMs, "ms", "-", "INFO"),
        fig("failover without the failure record ÷ (2 × plain) call time", (failoverMedian - recordMs) / (2 * plainMedian), "×", "-", "INFO"),
      ],
      notes: [
        `failover: ${MEASURED_CALLS} failover calls and ${MEASURED_CALLS} plain calls, alternating, each timed alone after ${WARMUP_CALLS} warm-up pairs; createAnthropicClient with maxRetries: 0 against the fake API in its own process. Failover store: order [A, B], A always answers 429 (no retry-after); plain store: B only. The injected clock jumps 25 h after each failover call so A is usable and first again.`,
        `failover goal: a failover call is structurally two HTTP round trips (A's 429, then B's 200) plus reportFailure (${recordMs.toFixed(2)} ms median here: the cooldown is applied in memory and the locked, fsynced record is written behind, beside the second attempt), so on a loopback server where the round trip is the whole cost it is about 2× a plain call. Against a real API (hundreds of ms per round trip, and a 429 answers faster than a completion) the ratio is about 1 + (429 round trip ÷ completion time); the "÷ (2 × plain)" figure shows what the library adds beyond the second round trip.`,
      ],
    };
  } finally {
    for (const client of clients) await client.authResolver.close();
    await failing.cleanup();
    await plain.cleanup();
    await api.close();
  }
}

/** The resolver, with the time of every `reportFailure` call handed to `onRecord`. */
function timingFailures(resolver: AuthResolver, onRecord: (ms: number) => void): AuthResolver {
  return {
    resolve: (request) => resolver.resolve(request),
    reportSuccess: (profileId) => resolver.reportSuccess(profileId),
    reportFailure: async (profileId, error) => {
      const start = performance.now();
      try {
        return await resolver.reportFailure(profileId, error);
      } finally {
        onRecord(performance.now() - start);
      }
    },
    clearCooldown: (profileId) => resolver.clearCooldown(profileId),
    status: () => resolver.status(),
    flush: () => resolver.flush(),
    close: () => resolver.close(),
  };
}
