import type { ServerResponse } from "node:http";
import type { FakeErrorBehavior, FakeErrorStatus } from "./behavior.js";
import type { FakeUsage } from "./prompt-cache.js";

const ERROR_TYPES: Readonly<Record<FakeErrorStatus, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  503: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const ERROR_MESSAGES: Readonly<Record<FakeErrorStatus, string>> = {
  400: "Invalid request.",
  401: "invalid x-api-key",
  402: "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
  403: "Your API key does not have permission to use the specified resource.",
  404: "Not found.",
  413: "Request exceeds the maximum allowed number of bytes.",
  429: "This request would exceed the rate limit for your organization. Please reduce the prompt length or try again later.",
  500: "Internal server error",
  503: "Service unavailable",
  504: "Request timed out",
  529: "Overloaded",
};

/**
 * Sends an Anthropic-shaped error.
 *
 * @param res - the response
 * @param requestId - the `request-id` header and `request_id` field
 * @param behavior - status, type, message, retry-after and extra headers
 * @internal
 */
export function sendError(res: ServerResponse, requestId: string, behavior: FakeErrorBehavior): void {
  const error = {
    type: behavior.errorType ?? ERROR_TYPES[behavior.status],
    message: behavior.message ?? ERROR_MESSAGES[behavior.status],
    ...(behavior.errorCode === undefined ? {} : { details: { error_code: behavior.errorCode } }),
  };
  const headers: Record<string, string> = { ...behavior.headers };
  if (behavior.retryAfterSec !== undefined) headers["retry-after"] = String(behavior.retryAfterSec);
  sendJson(res, behavior.status, requestId, { type: "error", error, request_id: requestId }, headers);
}

/**
 * Sends a JSON body with `request-id`.
 *
 * @param res - the response
 * @param status - the HTTP status
 * @param requestId - the request id
 * @param body - any JSON value
 * @param headers - extra headers
 * @internal
 */
export function sendJson(res: ServerResponse, status: number, requestId: string, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": requestId });
  res.end(text);
}

/**
 * Sends a proxy-style 502 HTML page.
 *
 * @param res - the response
 * @internal
 */
export function sendHtml(res: ServerResponse): void {
  const page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
  res.writeHead(502, { "content-type": "text/html", "content-length": Buffer.byteLength(page) });
  res.end(page);
}

/** What a fake assistant message is made of. */
export interface MessageParts {
  /** `msg_…` id. */
  readonly id: string;
  /** The model asked for. */
  readonly model: string;
  /** The reply text. */
  readonly text: string;
  /** Usage, cache counters included. */
  readonly usage: FakeUsage;
}

/**
 * @param parts - id, model, text and usage
 * @returns a complete `Message` as the API returns it
 * @internal
 */
export function messageBody(parts: MessageParts): Record<string, unknown> {
  return {
    id: parts.id,
    type: "message",
    role: "assistant",
    model: parts.model,
    content: [{ type: "text", text: parts.text, citations: null }],
    stop_reason: "end_turn",
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: fullUsage(parts.usage),
  };
}

/**
 * The SSE events of a streamed message, in the order the API sends them.
 *
 * @param parts - id, model, text and usage
 * @returns `[event name, data]` pairs
 * @internal
 */
export function streamEvents(parts: MessageParts): [string, unknown][] {
  const start = { ...messageBody(parts), content: [], stop_reason: null, usage: fullUsage({ ...parts.usage, output_tokens: 1 }) };
  const chunks = parts.text.match(/\S+\s*|\s+/g) ?? [parts.text];
  return [
    ["message_start", { type: "message_start", message: start }],
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "", citations: null } }],
    ["ping", { type: "ping" }],
    ...chunks.map((text): [string, unknown] => ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }]),
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    [
      "message_delta",
      {
        type: "message_delta",
        delta: { stop_reason: "end_turn", stop_sequence: null, stop_details: null, container: null },
        usage: {
          output_tokens: parts.usage.output_tokens,
          input_tokens: parts.usage.input_tokens,
          cache_creation_input_tokens: parts.usage.cache_creation_input_tokens,
          cache_read_input_tokens: parts.usage.cache_read_input_tokens,
          server_tool_use: null,
        },
      },
    ],
    ["message_stop", { type: "message_stop" }],
  ];
}

/**
 * @param event - the SSE event name
 * @param data - its JSON data
 * @returns one SSE frame
 * @internal
 */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function fullUsage(usage: FakeUsage): Record<string, unknown> {
  return { ...usage, server_tool_use: null, service_tier: "standard", inference_geo: null, output_tokens_details: null, speed: null };
}
