// Rule 8 of the quota issue, its OpenTelemetry part: with @opentelemetry/api installed (an optional
// peer), the client puts the onEvent facts on the active span; without it the package works as
// before. A real @opentelemetry/api with a minimal in-test TracerProvider and an AsyncLocalStorage
// context manager (the SDK packages need another API version or Node 22), the real SDK against the
// fake server on 127.0.0.1, and a child process in which the API cannot be resolved.
import { AsyncLocalStorage } from "node:async_hooks";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as otel from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthEvent } from "../../src/model/events.js";
import { bundledScript, REPO_ROOT } from "../helpers/node-child.js";
import { ask, key, OPUS, quotaClient, saveProfiles, token, useQuotaSuite } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";
const run = promisify(execFile);

/** One recorded span: its attributes and events, as the tracer saw them. */
class RecordedSpan implements otel.Span {
  readonly attributes: Record<string, unknown> = {};
  readonly events: { name: string; attributes: Record<string, unknown> }[] = [];
  ended = false;
  readonly #context: otel.SpanContext = { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: otel.TraceFlags.SAMPLED };
  constructor(readonly name: string) {}
  spanContext(): otel.SpanContext {
    return this.#context;
  }
  setAttribute(name: string, value: otel.AttributeValue): this {
    this.attributes[name] = value;
    return this;
  }
  setAttributes(attributes: otel.Attributes): this {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent(name: string, attributes?: otel.Attributes | otel.TimeInput): this {
    this.events.push({ name, attributes: typeof attributes === "object" && !(attributes instanceof Date) && !Array.isArray(attributes) ? { ...attributes } : {} });
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {
    this.ended = true;
  }
  isRecording(): boolean {
    return !this.ended;
  }
  recordException(): void {}
}

/** A tracer that records every span it starts. */
class RecordingTracer implements otel.Tracer {
  readonly spans: RecordedSpan[] = [];
  startSpan(name: string): RecordedSpan {
    const span = new RecordedSpan(name);
    this.spans.push(span);
    return span;
  }
  startActiveSpan<F extends (span: otel.Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.at(-1) as F;
    const span = this.startSpan(name);
    return otel.context.with(otel.trace.setSpan(otel.context.active(), span), () => fn(span)) as ReturnType<F>;
  }
}

/** Context propagation over async calls, as @opentelemetry/context-async-hooks does it. */
class AsyncLocalContextManager implements otel.ContextManager {
  readonly #storage = new AsyncLocalStorage<otel.Context>();
  active(): otel.Context {
    return this.#storage.getStore() ?? otel.ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: otel.Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(context, () => fn.apply(thisArg, args));
  }
  bind<T>(context: otel.Context, target: T): T {
    if (typeof target !== "function") return target;
    const run = (...args: unknown[]): unknown => this.with(context, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

const tracer = new RecordingTracer();
const provider: otel.TracerProvider = { getTracer: () => tracer };

beforeAll(() => {
  expect(otel.context.setGlobalContextManager(new AsyncLocalContextManager())).toBe(true);
  expect(otel.trace.setGlobalTracerProvider(provider)).toBe(true);
});
afterAll(() => {
  otel.trace.disable();
  otel.context.disable();
});

const suite = useQuotaSuite();

/**
 * Runs `fn` inside a new active span of the global tracer, ending it after.
 *
 * @returns the span that was active inside the call: the SDK's own span for the call
 *   (`anthropic.messages.create`, a child of ours) when the SDK traces, else ours
 */
async function inSpan<T>(name: string, fn: () => Promise<T>): Promise<{ span: RecordedSpan; result: T }> {
  const t = otel.trace.getTracer("auth-profiles-test");
  const before = tracer.spans.length;
  const { outer, result } = await t.startActiveSpan(name, async (span) => {
    try {
      return { outer: span as RecordedSpan, result: await fn() };
    } finally {
      span.end();
    }
  });
  const started = tracer.spans.slice(before);
  const sdk = started.find((s) => s !== outer && s.name.startsWith("anthropic."));
  return { span: sdk ?? outer, result };
}

describe("OpenTelemetry", () => {
  it("puts the onEvent facts on the active span when @opentelemetry/api is installed (loaded lazily), never a secret", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { status: 429, message: "Too many requests" });
    const events: AuthEvent[] = [];
    const client = quotaClient(suite.fx, [A, B], { onEvent: (event) => events.push(event) });
    const { span } = await inSpan("chat turn", async () => {
      const message = await ask(client, OPUS);
      await client.authResolver.flush();
      return message;
    });
    const names = span.events.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(["auth_profiles.selected", "auth_profiles.failover", "auth_profiles.cooldown"]));
    expect(span.events).toContainEqual({
      name: "auth_profiles.failover",
      attributes: { "auth_profiles.event": "failover", "auth_profiles.profile_id": A, "auth_profiles.model_family": "opus", "auth_profiles.reason": "rate_limit" },
    });
    const cooldown = span.events.find((e) => e.name === "auth_profiles.cooldown");
    expect(cooldown?.attributes).toMatchObject({ "auth_profiles.profile_id": A, "auth_profiles.reason": "rate_limit", "auth_profiles.cooldown_kind": "cooldown", "auth_profiles.model_family": "opus" });
    expect(new Date(String(cooldown?.attributes["auth_profiles.retry_at"])).getTime()).toBe(suite.clock.now + 30_000);
    // The span ends up describing the profile that answered, and how many failovers it took.
    expect(span.attributes).toMatchObject({
      "auth_profiles.profile_id": B,
      "auth_profiles.mode": "api_key",
      "auth_profiles.model_family": "opus",
      "auth_profiles.source": "store",
      "auth_profiles.failover_count": 1,
      "auth_profiles.failover_reason": "rate_limit",
    });
    // The same facts as the events the caller's listener got, one span event per event.
    expect(span.events.length).toBe(events.length);
    const recorded = JSON.stringify(tracer.spans.map((s) => ({ a: s.attributes, e: s.events })));
    for (const secret of [key("a"), key("b")]) {
      expect(recorded).not.toContain(secret);
      expect(recorded).not.toContain(secret.slice(13, 30));
    }
    expect(recorded).not.toContain("sk-ant-");
  });

  it("records subscription and refresh-free facts too, and nothing outside a span", async () => {
    await saveProfiles(suite.fx, "ta");
    const client = quotaClient(suite.fx, ["anthropic:ta"]);
    await ask(client); // no active span: nothing to write to, nothing thrown
    const { span } = await inSpan("turn", () => ask(client));
    expect(span.attributes).toMatchObject({ "auth_profiles.profile_id": "anthropic:ta", "auth_profiles.mode": "token" });
    expect(JSON.stringify(span.events)).not.toContain(token("ta").slice(13, 30));
  });

  it("uses an injected API object, and records nothing with openTelemetry: false", async () => {
    await saveProfiles(suite.fx, "a");
    const injected = new RecordedSpan("injected");
    const client = quotaClient(suite.fx, [A], { openTelemetry: { trace: { getActiveSpan: () => injected } } });
    await ask(client);
    expect(injected.attributes).toMatchObject({ "auth_profiles.profile_id": A, "auth_profiles.mode": "api_key" });
    const off = quotaClient(suite.fx, [A], { openTelemetry: false });
    const before = tracer.spans.length;
    await inSpan("off", () => ask(off));
    const recorded = tracer.spans.slice(before).flatMap((s) => [...s.events.map((e) => e.name), ...Object.keys(s.attributes)]);
    expect(recorded.filter((name) => name.startsWith("auth_profiles."))).toEqual([]);
  });

  it("accepts the @opentelemetry/api module itself as the API object (its types fit)", async () => {
    await saveProfiles(suite.fx, "a");
    const client = quotaClient(suite.fx, [A], { openTelemetry: otel });
    const { span } = await inSpan("module", () => ask(client));
    expect(span.attributes).toMatchObject({ "auth_profiles.profile_id": A, "auth_profiles.mode": "api_key" });
  });

  it("keeps the call working when the tracer throws", async () => {
    await saveProfiles(suite.fx, "a");
    const broken = { setAttributes: () => { throw new Error("tracer bug"); }, addEvent: () => { throw new Error("tracer bug"); } };
    const client = quotaClient(suite.fx, [A], { openTelemetry: { trace: { getActiveSpan: () => broken } } });
    expect((await ask(client)).type).toBe("message");
  });

  it("rejects an openTelemetry option that is neither false nor an API object", async () => {
    expect(() => quotaClient(suite.fx, [A], { openTelemetry: true as unknown as false })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("works without @opentelemetry/api: a child process whose node_modules lacks it makes a call", { timeout: 120_000 }, async () => {
    // The bundled child keeps its package imports; run a copy of it beside a node_modules that
    // links every package it imports except @opentelemetry/api.
    const dir = await mkdtemp(join(tmpdir(), "auth-profiles-otel-"));
    try {
      const bundle = bundledScript(fileURLToPath(new URL("./fixtures/otel-missing-child.ts", import.meta.url)));
      const text = await readFile(bundle, "utf8");
      const packages = new Set([...text.matchAll(/(?:from |import\()"((?:@[\w.-]+\/)?[\w.-]+)[^"]*"/g)].map((m) => m[1] ?? "").filter((name) => name !== "" && !name.startsWith("node:")));
      expect(packages).toContain("@opentelemetry/api");
      packages.delete("@opentelemetry/api");
      for (const name of packages) {
        await mkdir(dirname(join(dir, "node_modules", name)), { recursive: true });
        await symlink(join(REPO_ROOT, "node_modules", name), join(dir, "node_modules", name), "dir");
      }
      const copy = join(dir, "child.mjs");
      await copyFile(bundle, copy);
      const { stdout } = await run(process.execPath, [copy, join(dir, "state"), key("child")], { cwd: dir, encoding: "utf8", timeout: 100_000, env: { ...process.env, NODE_PATH: "" } });
      expect(JSON.parse(stdout.trim())).toEqual({ resolvable: false, type: "message" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
