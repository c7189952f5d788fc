/**
 * Requests per second through `createAnthropicClient` against a bare SDK client, on the same local
 * fake API server.
 *
 * @module
 */
import { Anthropic } from "@anthropic-ai/sdk";
import { anthropic } from "../lib.js";
import { cannedFetch } from "../canned-fetch.js";
import { startFakeApiProcess } from "../fake-api.js";
import { interleavedRounds, runConcurrent, type Op } from "../measure.js";
import { figuresOf, verdictOf, type Figure, type SectionResult } from "../report.js";
import { fakeApiKey, makeWorkspace, namedKeyStore, type Workspace } from "../workspace.js";

/** The goal: at most this much more time per request than the bare SDK. */
const MAX_OVERHEAD_PERCENT = 3;
/** Calls in flight in the concurrent case. */
export const CONCURRENCY = 8;

/** The request every client sends. */
export const MESSAGE_PARAMS = { model: "claude-sonnet-4-6", max_tokens: 64, messages: [{ role: "user" as const, content: "Hello" }] };

/** @returns the client-overhead figures */
export async function benchClientOverhead(): Promise<SectionResult> {
  const api = await startFakeApiProcess();
  const ws = await makeWorkspace();
  try {
    const key = fakeApiKey();
    await ws.writeStore(namedKeyStore({ "anthropic:default": key }));
    const bare = new Anthropic({ apiKey: key, baseURL: api.url, maxRetries: 0 });
    // The SDK takes a slower path as soon as any middleware is installed: this isolates that part.
    const passThrough = new Anthropic({ apiKey: key, baseURL: api.url, maxRetries: 0, middleware: [(request, next) => next(request)] });
    const client = anthropic.createAnthropicClient({ stateDir: ws.stateDir, homeDir: ws.home, env: {}, configPath: false, claudeCli: false, clientOptions: { baseURL: api.url, maxRetries: 0 } });
    try {
      const cases: Record<string, Op> = {
        bare: () => bare.messages.create(MESSAGE_PARAMS),
        passThrough: () => passThrough.messages.create(MESSAGE_PARAMS),
        client: () => client.messages.create(MESSAGE_PARAMS),
      };
      const between = () => api.reset();
      const sequential = await interleavedRounds(cases, { rounds: 5, roundMs: 1000, warmupMs: 800, between });
      const concurrent = await interleavedRounds(cases, {
        rounds: 5,
        roundMs: 1000,
        warmupMs: 400,
        between,
        run: (op, ms) => runConcurrent(op, CONCURRENCY, ms),
      });
      const fig = figuresOf("client overhead");
      const figures: Figure[] = [];
      for (const [label, ops] of [["sequential", sequential], [`concurrency ${CONCURRENCY}`, concurrent]] as const) {
        const bareOps = ops["bare"]?.opsPerSec ?? Number.NaN;
        const clientOps = ops["client"]?.opsPerSec ?? Number.NaN;
        const overhead = (bareOps / clientOps - 1) * 100;
        const bareCpu = ops["bare"]?.cpuUsPerCall ?? Number.NaN;
        const passThroughCpu = ops["passThrough"]?.cpuUsPerCall ?? Number.NaN;
        const clientCpu = ops["client"]?.cpuUsPerCall ?? Number.NaN;
        figures.push(fig(`bare SDK, ${label}`, bareOps, "req/s", "-", "INFO"));
        figures.push(fig(`SDK + pass-through middleware, ${label}`, ops["passThrough"]?.opsPerSec ?? Number.NaN, "req/s", "-", "INFO"));
        figures.push(fig(`createAnthropicClient, ${label}`, clientOps, "req/s", "-", "INFO"));
        figures.push(fig(`throughput overhead, ${label}`, overhead, "%", `≤ ${MAX_OVERHEAD_PERCENT} %`, verdictOf(overhead <= MAX_OVERHEAD_PERCENT)));
        figures.push(fig(`client-process CPU per request, bare SDK, ${label}`, bareCpu, "µs/req", "-", "INFO"));
        figures.push(fig(`client-process CPU per request, SDK + pass-through middleware, ${label}`, passThroughCpu, "µs/req", "-", "INFO"));
        figures.push(fig(`client-process CPU per request, createAnthropicClient, ${label}`, clientCpu, "µs/req", "-", "INFO"));
      }
      figures.push(...(await inProcessFigures(ws, key)));
      const extraCpuUs = (sequential["client"]?.cpuUsPerCall ?? Number.NaN) - (sequential["bare"]?.cpuUsPerCall ?? Number.NaN);
      return {
        figures,
        notes: [
          `client overhead: messages.create (non-streaming, max_tokens 64) against examples/fake-anthropic.ts running in its own process on 127.0.0.1; bare = new Anthropic({ apiKey, baseURL, maxRetries: 0 }), client = createAnthropicClient over a one-API-key store with the same baseURL and maxRetries: 0 (its success reports batched to the store once a second, as in production). 5 interleaved rounds of 1 s per case after a warm-up, median; overhead = bare req/s ÷ client req/s − 1. CPU per request = process.cpuUsage() (user + system) of the bench process over a round ÷ requests: it excludes the server process and is less sensitive than req/s to other load on the machine. "SDK + pass-through middleware" is a bare client with middleware: [(req, next) => next(req)]: the SDK normalizes headers and checks the response as soon as any middleware is installed, so that part of the overhead is the SDK's, not this library's.`,
          `client overhead goal: on loopback a whole request costs the client about half a millisecond of CPU, so the library's extra ${extraCpuUs.toFixed(0)} µs of CPU per request (sequential) shows as a large share; against the real API, where one call takes 100 ms to seconds, the same work is well under 0.1 % of the call.`,
          "client overhead, no network: the same bare SDK and createAnthropicClient with clientOptions.fetch answering at once with a canned 200 message (bench/canned-fetch.ts), and a bare SDK with a pass-through middleware; 9 interleaved rounds of 400 ms, median. What is left is the client's own work per request (SDK + this library), stable against network and server noise. The library's share = the CPU time per request (process.cpuUsage over a round ÷ requests) of createAnthropicClient − bare; part of it is the SDK's: as soon as any middleware is installed the SDK takes a slower path (the pass-through line). The breakdown lines install one part of the client alone on a bare SDK client (its auth middleware, from client.middleware, over the same resolver; its fetch step, client.fetch); what the parts leave of the total is the prepareOptions hook (the cache-TTL body, once per call) and the garbage the parts make together.",
        ],
      };
    } finally {
      await client.authResolver.close();
    }
  } finally {
    await ws.cleanup();
    await api.close();
  }
}

/** Bare SDK and createAnthropicClient over a fetch that answers at once: client CPU alone. */
async function inProcessFigures(ws: Workspace, key: string): Promise<Figure[]> {
  const clientOptions = { baseURL: "http://127.0.0.1:9", maxRetries: 0, fetch: cannedFetch };
  const bare = new Anthropic({ apiKey: key, ...clientOptions });
  const passThrough = new Anthropic({ apiKey: key, ...clientOptions, middleware: [(request, next) => next(request)] });
  const client = anthropic.createAnthropicClient({ stateDir: ws.stateDir, homeDir: ws.home, env: {}, configPath: false, claudeCli: false, clientOptions });
  // The breakdown: the client's own parts (its `fetch` step and its auth middleware, both public
  // SDK client properties) each installed alone on a bare SDK client.
  const authMw = client.middleware[client.middleware.length - 1];
  // `fetch` is the SDK's own (TypeScript-private) field: read here for the breakdown only.
  const fetchStep = (client as unknown as { fetch: typeof cannedFetch }).fetch;
  const withFetchStep = new Anthropic({ apiKey: key, ...clientOptions, fetch: fetchStep });
  const withAuthMiddleware = authMw === undefined ? passThrough : new Anthropic({ apiKey: key, ...clientOptions, middleware: [authMw] });
  try {
    const ops = await interleavedRounds(
      {
        bare: () => bare.messages.create(MESSAGE_PARAMS),
        passThrough: () => passThrough.messages.create(MESSAGE_PARAMS),
        client: () => client.messages.create(MESSAGE_PARAMS),
        fetchStep: () => withFetchStep.messages.create(MESSAGE_PARAMS),
        authMiddleware: () => withAuthMiddleware.messages.create(MESSAGE_PARAMS),
      },
      { rounds: 9, roundMs: 400, warmupMs: 500 },
    );
    const us = (name: string): number => 1e6 / (ops[name]?.opsPerSec ?? Number.NaN);
    const cpu = (name: string): number => ops[name]?.cpuUsPerCall ?? Number.NaN;
    const fig = figuresOf("client overhead");
    const extraCpu = cpu("client") - cpu("bare");
    return [
      fig("bare SDK, no network (canned fetch), time per request", us("bare"), "µs/req", "-", "INFO"),
      fig("createAnthropicClient, no network (canned fetch), time per request", us("client"), "µs/req", "-", "INFO"),
      fig("createAnthropicClient over the bare SDK per request, no network: wall time (client − bare)", us("client") - us("bare"), "µs/req", "-", "INFO"),
      fig("createAnthropicClient CPU over the bare SDK per request (no network: client − bare)", extraCpu, "µs/req", "≤ +15 µs", verdictOf(extraCpu <= 15)),
      fig("… of which the SDK's own middleware path (a pass-through middleware − bare)", cpu("passThrough") - cpu("bare"), "µs/req", "-", "INFO"),
      fig("… of which the auth middleware (resolve, headers, success report; bare SDK + it − pass-through)", cpu("authMiddleware") - cpu("passThrough"), "µs/req", "-", "INFO"),
      fig("… of which the client's fetch step (transport and placeholder checks, typed cut-off bodies; bare SDK + it − bare)", cpu("fetchStep") - cpu("bare"), "µs/req", "-", "INFO"),
    ];
  } finally {
    await client.authResolver.close();
  }
}
