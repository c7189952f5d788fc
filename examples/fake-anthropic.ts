/**
 * A loopback, Anthropic-compatible Messages API server for tests and the demo.
 *
 * @remarks
 * Listens on `127.0.0.1` on a free port and speaks enough of the Messages API for the real
 * `@anthropic-ai/sdk` client (`baseURL: server.url`):
 * - `POST /v1/messages`: a JSON `Message`, or an SSE stream when `stream: true` (`message_start`,
 *   `content_block_start`, `ping`, `content_block_delta`×n, `content_block_stop`, `message_delta`,
 *   `message_stop`), with realistic `usage`: prompt-cache prefixes are written on first sight and read
 *   afterwards until their TTL (5 min or 1 h of the injected clock) runs out. Tokens are estimated at
 *   4 characters each; there is no minimum cacheable length.
 * - `POST /v1/messages/count_tokens`: `{ input_tokens }`.
 *
 * Like the real API it answers 401 without `x-api-key` or `Authorization: Bearer`, 401 "OAuth
 * authentication is currently not supported." to a bearer `sk-ant-oat…` token without the
 * `oauth-2025-04-20` beta, 401 "invalid x-api-key" to such a token sent as `x-api-key` (any other
 * bearer value counts as an API key, as SDK 1.x sends keys that way), and 400 to more than 4 cache breakpoints or a `1h` breakpoint after a `5m`
 * one. Every request is recorded in `requests`; behaviours per credential
 * ({@link FakeAnthropic.setBehavior}) script errors, hangs, delays and broken responses.
 *
 * @example
 * ```ts
 * const server = await startFakeAnthropic();
 * const client = new Anthropic({ apiKey: "sk-ant-api03-…", baseURL: server.url, maxRetries: 0 });
 * server.setBehavior("sk-ant-api03-…", { sequence: [{ status: 429, retryAfterSec: 30 }, { status: 200 }] });
 * await client.messages.create({ model: "claude-sonnet-5", max_tokens: 64, messages }).catch(() => {});
 * await client.messages.create({ model: "claude-sonnet-5", max_tokens: 64, messages }); // 200
 * server.requests.length; // 2
 * await server.close();
 * ```
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { BehaviorBook, type FakeBehavior, type FakeSingleBehavior } from "./fake-anthropic/behavior.js";
import { cacheRuleViolation, estimateTokens, PromptCache, promptShape } from "./fake-anthropic/prompt-cache.js";
import { fakeFamilyOf, FakeLimits, type FakeLimit } from "./fake-anthropic/limits.js";
import { messageBody, sendError, sendHtml, sendJson, sseFrame, streamEvents, type MessageParts } from "./fake-anthropic/responses.js";

export type {
  FakeBehavior,
  FakeDelayBehavior,
  FakeErrorBehavior,
  FakeErrorStatus,
  FakeHangBehavior,
  FakeHtmlBehavior,
  FakeOkBehavior,
  FakeResetBehavior,
  FakeSequenceBehavior,
  FakeSingleBehavior,
  FakeStreamErrorBehavior,
  FakeTruncatedBehavior,
} from "./fake-anthropic/behavior.js";
export type { FakeUsage } from "./fake-anthropic/prompt-cache.js";
export type { FakeLimit } from "./fake-anthropic/limits.js";

const OAUTH_BETA = "oauth-2025-04-20";
/** Bearer values with this prefix are OAuth tokens; any other bearer value is an API key (SDK 1.x sends keys as bearer). */
const OAUTH_TOKEN_PREFIX = "sk-ant-oat";
const DEFAULT_REPLY = "Hello from the fake Anthropic server.";

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /** Behaviour of credentials without their own. Default `{ status: 200 }`. */
  readonly defaultBehavior?: FakeBehavior;
  /** The assistant's reply text. Default `Hello from the fake Anthropic server.` */
  readonly reply?: string;
  /** When set, any other credential gets 401 `invalid x-api-key`. Default: every credential works. */
  readonly validCredentials?: readonly string[];
  /** Clock for `RecordedRequest.at` and cache expiry, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** One request as the fake server received it. */
export interface RecordedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path without the query, e.g. `/v1/messages`. */
  readonly path: string;
  /** Path with the query, e.g. `/v1/messages?beta=true`. */
  readonly url: string;
  /** Headers with lowercase names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; the raw text when it is not JSON; `null` when empty. */
  readonly body: unknown;
  /** The `x-api-key` value, else the bearer token, else `null`. */
  readonly credential: string | null;
  /** How the credential was sent. */
  readonly scheme: "x-api-key" | "bearer" | null;
  /** When it arrived (epoch ms of the injected clock). */
  readonly at: number;
}

/** A running fake Anthropic server. */
export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL`, e.g. `http://127.0.0.1:49152`. */
  readonly url: string;
  /** A snapshot of every request received since start or the last {@link FakeAnthropic.reset}, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Scripts the answers to one credential (a sequence restarts from its first step).
   *
   * @param credential - the API key or token, as sent
   * @param behavior - what to answer
   */
  setBehavior(credential: string, behavior: FakeBehavior): void;
  /**
   * Sets the behaviour of credentials without their own.
   *
   * @param behavior - what to answer
   */
  setDefaultBehavior(behavior: FakeBehavior): void;
  /**
   * Limits one credential to so many requests per window and model family, answered with the real
   * rate-limit headers on every response and a 429 once a window is spent (checked before behaviours).
   *
   * @param credential - the API key or token, as sent
   * @param limit - the limit, or `null` to lift it
   */
  setLimit(credential: string, limit: FakeLimit | null): void;
  /** 429s answered because a {@link FakeAnthropic.setLimit} limit was spent, since start or reset. */
  readonly limitRejections: number;
  /** Forgets requests, behaviours and the prompt cache. */
  reset(): void;
  /** Stops the server, closing open and hanging connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a fake Anthropic server on `127.0.0.1` (free port).
 *
 * @param options - default behaviour, reply text, accepted credentials, clock
 * @returns the running server
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const fallback = options.defaultBehavior ?? { status: 200 };
  const now = options.now ?? (() => Date.now());
  const book = new BehaviorBook(fallback);
  const cache = new PromptCache();
  const limits = new FakeLimits();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let counter = 0;

  const answer = (res: ServerResponse, record: RecordedRequest, requestId: string, truncated: boolean, extra: Readonly<Record<string, string>> = {}): void => {
    const body = record.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      sendError(res, requestId, { status: 400, message: "The request body is not valid JSON." });
      return;
    }
    const params = body as Readonly<Record<string, unknown>>;
    const counting = record.path === "/v1/messages/count_tokens";
    const missing = typeof params["model"] !== "string" ? "model" : !Array.isArray(params["messages"]) ? "messages" : !counting && typeof params["max_tokens"] !== "number" ? "max_tokens" : null;
    if (missing !== null) {
      sendError(res, requestId, { status: 400, message: `${missing}: Field required` });
      return;
    }
    const shape = promptShape(params);
    const violation = cacheRuleViolation(shape);
    if (violation !== null) {
      sendError(res, requestId, { status: 400, message: violation });
      return;
    }
    if (counting) {
      if (truncated) sendCut(res, requestId, JSON.stringify({ input_tokens: shape.totalTokens }));
      else sendJson(res, 200, requestId, { input_tokens: shape.totalTokens });
      return;
    }
    const text = options.reply ?? DEFAULT_REPLY;
    const model = params["model"] as string;
    const parts: MessageParts = {
      id: `msg_fake_${String(counter).padStart(6, "0")}`,
      model,
      text,
      usage: cache.use(record.credential ?? "", model, shape, now(), estimateTokens(text)),
    };
    if (params["stream"] === true) sendStream(res, requestId, parts, truncated, extra);
    else if (truncated) sendCut(res, requestId, JSON.stringify(messageBody(parts)));
    else sendJson(res, 200, requestId, messageBody(parts), extra);
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest, requestId: string, behavior: FakeSingleBehavior): void => {
    if ("hang" in behavior) return;
    const params = typeof record.body === "object" && record.body !== null ? (record.body as Readonly<Record<string, unknown>>) : {};
    const decision =
      typeof params["model"] === "string" && record.credential !== null ? limits.check(record.credential, fakeFamilyOf(params["model"], params["speed"] === "fast"), now()) : null;
    if (decision !== null && !decision.allowed) {
      sendError(res, requestId, { status: 429, message: "This request would exceed your account's rate limit. Please try again later.", headers: decision.headers });
      return;
    }
    const extra = decision?.headers ?? {};
    if ("streamError" in behavior) {
      sendStreamError(res, requestId, behavior.streamError, behavior.afterContent === true, { id: `msg_fake_${String(counter).padStart(6, "0")}`, model: String(params["model"] ?? "claude"), text: options.reply ?? DEFAULT_REPLY, usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } } }, extra);
      return;
    }
    if ("reset" in behavior) req.socket.destroy();
    else if ("html" in behavior) sendHtml(res);
    else if ("truncated" in behavior) answer(res, record, requestId, true);
    else if ("delayMs" in behavior) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) answer(res, record, requestId, false);
      }, behavior.delayMs);
      timers.add(timer);
    } else if (behavior.status === 200) answer(res, record, requestId, false, extra);
    else sendError(res, requestId, { ...behavior, headers: { ...extra, ...behavior.headers } });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    counter += 1;
    const requestId = `req_fake_${String(counter).padStart(6, "0")}`;
    const record = recordRequest(req, raw, now());
    requests.push(record);
    const { credential } = record;
    if (credential === null) {
      sendError(res, requestId, { status: 401, message: "x-api-key header is required" });
    } else if (options.validCredentials !== undefined && !options.validCredentials.includes(credential)) {
      sendError(res, requestId, { status: 401, message: "invalid x-api-key" });
    } else if (record.scheme === "x-api-key" && credential.startsWith(OAUTH_TOKEN_PREFIX)) {
      sendError(res, requestId, { status: 401, message: "invalid x-api-key" });
    } else if (record.scheme === "bearer" && credential.startsWith(OAUTH_TOKEN_PREFIX) && !hasBeta(record.headers, OAUTH_BETA)) {
      sendError(res, requestId, { status: 401, message: "OAuth authentication is currently not supported." });
    } else if (req.method !== "POST" || (record.path !== "/v1/messages" && record.path !== "/v1/messages/count_tokens")) {
      sendError(res, requestId, { status: 404, message: `${req.method ?? "?"} ${record.path} not found` });
    } else {
      dispatch(req, res, record, requestId, book.next(credential));
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;

  return {
    url: `http://127.0.0.1:${port}`,
    get requests(): readonly RecordedRequest[] {
      return Object.freeze([...requests]);
    },
    setBehavior: (credential, behavior) => book.set(credential, behavior),
    setDefaultBehavior: (behavior) => book.setDefault(behavior),
    setLimit: (credential, limit) => limits.set(credential, limit),
    get limitRejections(): number {
      return limits.rejected;
    },
    reset: () => {
      requests.length = 0;
      book.reset(fallback);
      cache.clear();
      limits.clear();
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function recordRequest(req: IncomingMessage, raw: Buffer, at: number): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const url = req.url ?? "/";
  const apiKey = headers["x-api-key"];
  const bearer = /^bearer\s+(.+)$/i.exec(headers["authorization"] ?? "")?.[1]?.trim();
  const credential = apiKey !== undefined && apiKey !== "" ? apiKey : bearer !== undefined && bearer !== "" ? bearer : null;
  const scheme = credential === null ? null : credential === apiKey ? "x-api-key" : "bearer";
  return { method: req.method ?? "GET", path: url.split("?")[0] ?? url, url, headers, body: parseBody(raw), credential, scheme, at };
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return null;
  const text = raw.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function hasBeta(headers: Readonly<Record<string, string>>, beta: string): boolean {
  return (headers["anthropic-beta"] ?? "").split(",").some((name) => name.trim() === beta);
}

function sendStream(res: ServerResponse, requestId: string, parts: MessageParts, truncated: boolean, extra: Readonly<Record<string, string>>): void {
  res.writeHead(200, { ...extra, "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": requestId });
  const events = streamEvents(parts);
  if (!truncated) {
    res.end(events.map(([event, data]) => sseFrame(event, data)).join(""));
    return;
  }
  // Flush the first frames before cutting, so the client sees a stream that stops mid-way.
  res.write(events.slice(0, 3).map(([event, data]) => sseFrame(event, data)).join(""), () => res.destroy());
}

/** A 200 stream whose first event (or first after some content) is an SSE `error` event. */
function sendStreamError(res: ServerResponse, requestId: string, type: string, afterContent: boolean, parts: MessageParts, extra: Readonly<Record<string, string>>): void {
  res.writeHead(200, { ...extra, "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": requestId });
  const message = type === "overloaded_error" ? "Overloaded" : "Rate limited";
  const error = sseFrame("error", { type: "error", error: { type, message } });
  const content = afterContent ? streamEvents(parts).slice(0, 4).map(([event, data]) => sseFrame(event, data)).join("") : "";
  res.end(content + error);
}

function sendCut(res: ServerResponse, requestId: string, text: string): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": requestId });
  res.write(text.slice(0, Math.floor(text.length / 2)), () => res.destroy());
}
