// Mid-stream errors: Anthropic can answer a streaming request 200 and then send an SSE `error`
// event (`overloaded_error`, `rate_limit_error`). Before any content was delivered such a stream is
// as good as a failed status and can go to the next profile; after content it must reach the caller
// as it is (a replay would repeat output), and is only recorded.

/** Most bytes read ahead while waiting for the first content event. */
const MAX_PEEK_BYTES = 64 * 1024;

/** What {@link peekStream} found. @internal */
export interface PeekedStream {
  /** The stream as the SDK must see it: every byte read so far, then the rest. */
  readonly response: Response;
  /** The SSE error event that came before any content, as an error-like object; else `null`. */
  readonly error: object | null;
}

/**
 * Tells whether a response is an SSE stream.
 *
 * @param response - a 2xx response
 * @returns `true` for `text/event-stream`
 * @internal
 */
export function isEventStream(response: Response): boolean {
  return response.body !== null && (response.headers.get("content-type") ?? "").includes("text/event-stream");
}

/**
 * Reads a streaming response up to its first content event (`content_block_*`, `message_delta`,
 * `message_stop`) or its first `error` event, whichever comes first.
 *
 * @param response - a 2xx `text/event-stream` response (consumed; use the returned one)
 * @param onLateError - called once with an `error` event that arrives after content started
 * @returns the stream to hand on, and the early error, if any
 * @internal
 */
export async function peekStream(response: Response, onLateError: (error: object) => void): Promise<PeekedStream> {
  const body = response.body;
  if (body === null) return { response, error: null };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  let text = "";
  let bytes = 0;
  let done = false;
  let error: object | null = null;
  let content = false;
  let lateSeen = false;
  while (!done && error === null && !content && bytes <= MAX_PEEK_BYTES) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    bytes += next.value.byteLength;
    text += decoder.decode(next.value, { stream: true });
    const scan = scanFrames(text);
    text = scan.rest;
    error = scan.error;
    content = scan.content;
    if (scan.lateError !== null) {
      lateSeen = true;
      onLateError({ ...scan.lateError, headers: response.headers });
    }
  }
  if (error !== null) {
    void reader.cancel().catch(() => undefined);
    return { response: rebuilt(response, replay(chunks, null, "", true, () => undefined)), error: { ...error, headers: response.headers } };
  }
  const late = done ? null : reader;
  return { response: rebuilt(response, replay(chunks, late, text, lateSeen, (e) => onLateError({ ...e, headers: response.headers }))), error: null };
}

function replay(
  chunks: readonly Uint8Array[],
  rest: ReadableStreamDefaultReader<Uint8Array> | null,
  pending: string,
  alreadyReported: boolean,
  onLateError: (error: object) => void,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let text = pending;
  let reported = alreadyReported;
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (index < chunks.length) {
        controller.enqueue(chunks[index] as Uint8Array);
        index += 1;
        return;
      }
      if (rest === null) {
        controller.close();
        return;
      }
      try {
        const next = await rest.read();
        if (next.done) {
          controller.close();
          return;
        }
        if (!reported) {
          text += decoder.decode(next.value, { stream: true });
          const scan = scanFrames(text);
          text = scan.rest.length > MAX_PEEK_BYTES ? "" : scan.rest;
          const lateError = scan.error ?? scan.lateError;
          if (lateError !== null) {
            reported = true;
            onLateError(lateError);
          }
        }
        controller.enqueue(next.value);
      } catch (failure) {
        controller.error(failure);
      }
    },
    cancel(reason) {
      return rest?.cancel(reason);
    },
  });
}

function rebuilt(response: Response, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

const CONTENT_EVENTS: ReadonlySet<string> = new Set(["content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);

/** What a scan of complete SSE frames found; `rest` is the unfinished tail. */
interface Scan {
  readonly rest: string;
  /** An `error` event before any content event. */
  readonly error: object | null;
  /** Whether a content event was seen. */
  readonly content: boolean;
  /** An `error` event after a content event. */
  readonly lateError: object | null;
}

function scanFrames(text: string): Scan {
  const normalized = text.replace(/\r\n/g, "\n");
  const frames = normalized.split("\n\n");
  const rest = frames.pop() ?? "";
  let content = false;
  for (const frame of frames) {
    let event = "message";
    const data: string[] = [];
    for (const line of frame.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (event === "error") return content ? { rest, error: null, content, lateError: parseError(data.join("\n")) } : { rest, error: parseError(data.join("\n")), content, lateError: null };
    if (CONTENT_EVENTS.has(event)) content = true;
  }
  return { rest, error: null, content, lateError: null };
}

function parseError(data: string): object {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === "object" && value !== null) return { ...(value as object), midStream: true };
  } catch {
    // fall through
  }
  return { type: "error", error: { type: "api_error", message: data.slice(0, 200) }, midStream: true };
}
