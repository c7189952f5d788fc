/**
 * Quota-aware failover under load: a closed loop of concurrent callers over two model families
 * against the fake Anthropic server (per-key, per-family limits with the real header formats), for
 * the library as it is and for an emulation of the old ladder-only policy. Also the time to classify
 * a 1 MiB error message.
 *
 * @module
 */
import { performance } from "node:perf_hooks";
import type { AuthProfilesClient } from "../../src/anthropic.js";
import { startFakeAnthropic } from "../../examples/fake-anthropic.js";
import { anthropic, selection } from "../lib.js";
import { median } from "../measure.js";
import { figuresOf, verdictOf, type Figure, type SectionResult } from "../report.js";
import { fakeAccessToken, fakeApiKey, makeWorkspace } from "../workspace.js";
import type { StoreData } from "../../src/model/store.js";

const CALLERS = 12;
/** A time-scaled "minute". */
const WINDOW_MS = 1_000;
const WINDOWS = 8;
/** Requests per window and family, per profile. */
const LIMIT = 4;
const MODELS = ["claude-opus-4-7", "claude-sonnet-4-6"] as const;
/** A caller whose call failed waits this long before its next call. */
const ERROR_PAUSE_MS = 20;
/** Unmeasured, unlimited warm-up on a throwaway server before the measured runs. */
const WARM_UP_MS = 1_500;
const MAX_GOODPUT_GOAL = 0.95;
const MAX_429_SHARE = 0.01;
const CLASSIFY_GOAL_MS = 50;
/** `QUOTA_TRACE=1` prints every attempt and every surfaced error to stderr. */
const TRACE = process.env["QUOTA_TRACE"] === "1";

interface RunFigures {
  readonly successes: number;
  readonly capacity: number;
  readonly attempts: number;
  readonly answered429: number;
  readonly surfacedRateLimit: number;
  readonly surfacedWithHeadroom: number;
  readonly otherErrors: number;
}

/** @returns the quota figures */
export async function benchQuota(): Promise<SectionResult> {
  const fig = figuresOf("quota failover");
  await warmUp();
  const runNew = await runLoop("new");
  const runOld = await runLoop("old");
  const classifyMs = classifyLargeMessage();
  const figures: Figure[] = [];
  for (const [label, run] of [["new policy", runNew], ["old ladder-only policy (emulated)", runOld]] as const) {
    const goodput = run.successes / run.capacity;
    const share429 = run.answered429 / Math.max(1, run.attempts);
    const isNew = label === "new policy";
    figures.push(
      fig(`${label}: goodput ÷ aggregate capacity`, goodput * 100, "%", isNew ? `≥ ${MAX_GOODPUT_GOAL * 100} %` : "-", isNew ? verdictOf(goodput >= MAX_GOODPUT_GOAL) : "INFO"),
      fig(`${label}: attempts answered 429`, share429 * 100, "%", isNew ? `≤ ${MAX_429_SHARE * 100} %` : "-", isNew ? verdictOf(share429 <= MAX_429_SHARE) : "INFO"),
      fig(`${label}: rate-limit errors surfaced while a profile had headroom`, run.surfacedWithHeadroom, "errors", isNew ? "0" : "-", isNew ? verdictOf(run.surfacedWithHeadroom === 0) : "INFO"),
      fig(`${label}: rate-limit errors surfaced (all)`, run.surfacedRateLimit, "errors", "-", "INFO"),
      fig(`${label}: HTTP attempts`, run.attempts, "requests", "-", "INFO"),
      fig(`${label}: calls that ended in NO_AVAILABLE_PROFILE or a surfaced 429, per second`, run.surfacedRateLimit / (WINDOWS * WINDOW_MS / 1_000), "/s", "-", "INFO"),
    );
  }
  figures.push(fig("classifyFailure of a 1 MiB error message, median", classifyMs, "ms", `≤ ${CLASSIFY_GOAL_MS} ms`, verdictOf(classifyMs <= CLASSIFY_GOAL_MS)));
  const summary = (name: string, r: RunFigures): string =>
    `${name}: ${r.successes} of ${r.capacity} capacity, ${r.attempts} attempts, ${r.answered429} answered 429, ${r.surfacedRateLimit} rate-limit errors surfaced (${r.surfacedWithHeadroom} while a profile had headroom), ${r.otherErrors} other errors`;
  return {
    figures,
    notes: [
      `quota failover: 4 profiles (3 API keys, 1 subscription token sk-ant-oat…, which the fake answers with the unified headers), each limited on the fake Anthropic server (127.0.0.1, same process) to ${LIMIT} requests per ${WINDOW_MS} ms window (a time-scaled "minute") and model family; ${CALLERS} callers in a closed loop through createAnthropicClient (real SDK, maxRetries: 0) over ${MODELS.join(" and ")} (alternating) for ${WINDOWS} windows, starting on a window boundary. Aggregate capacity = 4 profiles × 2 families × ${LIMIT} × ${WINDOWS} windows. A caller whose call fails waits ${ERROR_PAUSE_MS} ms.`,
      `quota failover baseline: the old ladder-only policy is emulated, not the old code: a fetch wrapper (clientOptions.fetch) strips every anthropic-ratelimit-* header from responses (retry-after is kept, as the old policy honoured it), a model-family rule puts every claude model in one family so cooldowns are profile-wide, and half-open is off; the library then learns only from 429s and cools with the ladder or retry-after.`,
      `quota failover: "while a profile had headroom" means: when the error reached the caller, some profile had fewer 200s in the current window for that family (counted by the fetch wrapper) plus requests in flight to it than its limit (for a call that crossed a window boundary, also when the call began). Errors surfaced are 429s passed to the caller and NO_AVAILABLE_PROFILE.`,
      `quota failover: the windows are time-scaled but consistent with the headers the fake sends: they start on whole seconds, so the RFC 3339 \`-reset\` (second precision) and the unified epoch-second resets name the exact end of the window; \`retry-after\` is whole seconds, as HTTP has it (1 s on a 429 here, the length of a window). Both runs are preceded by ${WARM_UP_MS} ms of unlimited calls on a throwaway server and store (JIT warm-up); each measured run starts knowing no limit.`,
      summary("quota failover, new policy", runNew),
      summary("quota failover, old policy", runOld),
      `quota failover, classifyFailure: an Error whose message is 1 MiB of text without any known pattern (the worst case: every pattern scans it all), median of 15 calls after 3 warm-up calls.`,
    ],
  };
}

/**
 * Runs the same client code paths (SDK, middleware, fake server) unlimited for a while on a
 * throwaway server and store, so that neither measured run pays for JIT compilation in its first
 * window. The measured runs still start knowing nothing about any limit.
 */
async function warmUp(): Promise<void> {
  const server = await startFakeAnthropic();
  const ws = await makeWorkspace();
  try {
    await ws.writeStore({ version: 1, profiles: { "anthropic:warm": { type: "api_key", provider: "anthropic", key: fakeApiKey() }, "anthropic:warm-sub": { type: "token", provider: "anthropic", token: fakeAccessToken() } } });
    const client = anthropic.createAnthropicClient({ resolver: ws.resolver(), clientOptions: { baseURL: server.url, maxRetries: 0 } });
    const until = Date.now() + WARM_UP_MS;
    await Promise.all(
      Array.from({ length: CALLERS }, async (_, i) => {
        for (let n = i; Date.now() < until; n += 1) {
          await client.messages.create({ model: MODELS[n % MODELS.length] ?? MODELS[0], max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
        }
      }),
    );
    await client.authResolver.flush();
    await client.authResolver.close();
  } finally {
    await ws.cleanup();
    await server.close();
  }
}

async function runLoop(policy: "new" | "old"): Promise<RunFigures> {
  const server = await startFakeAnthropic();
  const ws = await makeWorkspace();
  const clients: AuthProfilesClient[] = [];
  try {
    const keys = [fakeApiKey(), fakeApiKey(), fakeApiKey()];
    const token = fakeAccessToken();
    const credentials = [...keys, token];
    for (const credential of credentials) server.setLimit(credential, { requestsPerWindow: LIMIT, windowMs: WINDOW_MS });
    const data: StoreData = {
      version: 1,
      profiles: {
        "anthropic:key-a": { type: "api_key", provider: "anthropic", key: keys[0] ?? "" },
        "anthropic:key-b": { type: "api_key", provider: "anthropic", key: keys[1] ?? "" },
        "anthropic:key-c": { type: "api_key", provider: "anthropic", key: keys[2] ?? "" },
        "anthropic:sub": { type: "token", provider: "anthropic", token },
      },
    };
    await ws.writeStore(data);
    // Ground truth for "headroom": 200s per (credential, family, window) and requests in flight.
    const ok = new Map<string, number>();
    const inFlight = new Map<string, number>();
    const slot = (credential: string, family: string, window: number): string => `${credential}\u0000${family}\u0000${window}`;
    let attempts = 0;
    const labelOf = new Map(credentials.map((c, i) => [c, ["key-a", "key-b", "key-c", "sub"][i] ?? "?"] as const));
    const trace: string[] = [];
    let answered429 = 0;
    const wrapped: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      const credential = headers.get("x-api-key") ?? (headers.get("authorization") ?? "").replace(/^Bearer /i, "");
      const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { model?: string }) : {};
      const family = familyOf(body.model ?? "");
      const flightKey = `${credential}\u0000${family}`;
      inFlight.set(flightKey, (inFlight.get(flightKey) ?? 0) + 1);
      attempts += 1;
      let response: Response;
      try {
        response = await fetch(input, init);
      } finally {
        inFlight.set(flightKey, (inFlight.get(flightKey) ?? 1) - 1);
      }
      if (response.status === 429) answered429 += 1;
      if (TRACE) trace.push(`${policy} t=${Date.now() % 100_000} ${labelOf.get(credential) ?? "?"} ${family} ${response.status} rem=${response.headers.get("anthropic-ratelimit-requests-remaining") ?? response.headers.get("anthropic-ratelimit-unified-5h-utilization") ?? "-"}`);
      if (response.ok) {
        const key = slot(credential, family, Math.floor(Date.now() / WINDOW_MS));
        ok.set(key, (ok.get(key) ?? 0) + 1);
      }
      if (policy === "new") return response;
      const kept = new Headers();
      response.headers.forEach((value, name) => {
        if (!name.startsWith("anthropic-ratelimit-")) kept.set(name, value);
      });
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers: kept });
    };
    const headroom = (family: string): boolean => {
      const window = Math.floor(Date.now() / WINDOW_MS);
      return credentials.some((c) => (ok.get(slot(c, family, window)) ?? 0) + (inFlight.get(`${c}\u0000${family}`) ?? 0) < LIMIT);
    };
    const resolver = ws.resolver(policy === "new" ? {} : { modelFamilies: [{ match: "claude", family: "all" }], halfOpen: false });
    const client = anthropic.createAnthropicClient({ resolver, clientOptions: { baseURL: server.url, maxRetries: 0, fetch: wrapped } });
    clients.push(client);
    // Start on a window boundary so the capacity is exact.
    const start = (Math.floor(Date.now() / WINDOW_MS) + 1) * WINDOW_MS;
    await sleep(start - Date.now());
    const end = start + WINDOWS * WINDOW_MS;
    let successes = 0;
    let surfacedRateLimit = 0;
    let surfacedWithHeadroom = 0;
    let otherErrors = 0;
    const caller = async (index: number): Promise<void> => {
      let n = index;
      while (Date.now() < end) {
        const model = MODELS[n % MODELS.length] ?? MODELS[0];
        n += 1;
        const callWindow = Math.floor(Date.now() / WINDOW_MS);
        const headroomAtStart = headroom(familyOf(model));
        try {
          await client.messages.create({ model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
          if (Date.now() <= end) successes += 1;
        } catch (error) {
          if (TRACE) trace.push(`${policy} t=${Date.now() % 100_000} caller${index} ${familyOf(model)} surfaced ${String((error as { code?: unknown }).code ?? (error as { status?: unknown }).status)} headroom=${String(headroom(familyOf(model)))}`);
          if (isRateLimitError(error)) {
            surfacedRateLimit += 1;
            // Within one window headroom only shrinks, so headroom when the error arrives means there
            // was headroom when it was decided; a call that crossed a window boundary needs both ends.
            const sameWindow = Math.floor(Date.now() / WINDOW_MS) === callWindow;
            if (headroom(familyOf(model)) && (sameWindow || headroomAtStart)) surfacedWithHeadroom += 1;
          } else otherErrors += 1;
          await sleep(ERROR_PAUSE_MS);
        }
      }
    };
    await Promise.all(Array.from({ length: CALLERS }, (_, i) => caller(i)));
    if (TRACE) process.stderr.write(`${trace.join("\n")}\n`);
    return { successes, capacity: credentials.length * MODELS.length * LIMIT * WINDOWS, attempts, answered429, surfacedRateLimit, surfacedWithHeadroom, otherErrors };
  } finally {
    for (const client of clients) {
      await client.authResolver.flush().catch(() => undefined);
      await client.authResolver.close().catch(() => undefined);
    }
    await ws.cleanup();
    await server.close();
  }
}

function familyOf(model: string): string {
  return model.includes("opus") ? "opus" : model.includes("sonnet") ? "sonnet" : model;
}

function isRateLimitError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { status?: unknown; code?: unknown };
  return e.status === 429 || e.code === "NO_AVAILABLE_PROFILE";
}

function classifyLargeMessage(): number {
  const message = "x".repeat(1024 * 1024);
  const error = Object.assign(new Error(message), { status: 400 });
  const times: number[] = [];
  for (let i = 0; i < 18; i += 1) {
    const t0 = performance.now();
    selection.classifyFailure(error);
    const t1 = performance.now();
    if (i >= 3) times.push(t1 - t0);
  }
  return median(times);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
