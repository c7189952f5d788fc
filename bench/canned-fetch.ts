/**
 * A `fetch` that answers every request at once with the same Messages API response, without any
 * network: it makes the client's own CPU cost per request measurable.
 *
 * @module
 */
import { messageBody } from "../examples/fake-anthropic/responses.js";

const BODY = JSON.stringify(
  messageBody({
    id: "msg_bench_000001",
    model: "claude-sonnet-4-6",
    text: "Hello from the fake Anthropic server.",
    usage: { input_tokens: 3, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
  }),
);

/** @returns a 200 JSON message response, built fresh (a body can be read once) */
export async function cannedFetch(): Promise<Response> {
  return new Response(BODY, { status: 200, headers: { "content-type": "application/json", "request-id": "req_bench_000001" } });
}
