import { createHash } from "node:crypto";

/** Usage as the Messages API reports it. */
export interface FakeUsage {
  /** Tokens after the last cache breakpoint (not read from or written to the cache). */
  readonly input_tokens: number;
  /** Generated tokens. */
  readonly output_tokens: number;
  /** Tokens written to the cache by this request. */
  readonly cache_creation_input_tokens: number;
  /** Tokens read from the cache. */
  readonly cache_read_input_tokens: number;
  /** Cache writes split by TTL; they sum to `cache_creation_input_tokens`. */
  readonly cache_creation: { readonly ephemeral_5m_input_tokens: number; readonly ephemeral_1h_input_tokens: number };
}

type Ttl = "5m" | "1h";
const TTL_MS: Readonly<Record<Ttl, number>> = { "5m": 5 * 60_000, "1h": 60 * 60_000 };
/** Anthropic's breakpoint limit per request. */
const MAX_BREAKPOINTS = 4;

/** One cacheable unit of the prompt: a tool, a system block or a message content block. */
interface Segment {
  readonly json: string;
  readonly tokens: number;
  /** TTL of the breakpoint ending at this segment, if any. */
  readonly ttl: Ttl | null;
}

/** A prompt cut into segments, and its markers in prefix order (for validation). */
export interface PromptShape {
  /** The segments, `tools` → `system` → `messages`. */
  readonly segments: readonly Segment[];
  /** Every marker's TTL in prefix order, automatic last. */
  readonly markers: readonly Ttl[];
  /** All prompt tokens (a rough 4-characters-per-token estimate). */
  readonly totalTokens: number;
}

/**
 * Cuts a Messages API body into cacheable segments.
 *
 * @param body - the parsed request body
 * @returns the shape used for token counts and cache simulation
 * @internal
 */
export function promptShape(body: Readonly<Record<string, unknown>>): PromptShape {
  const markers: Ttl[] = [];
  const segments: Segment[] = [];
  const add = (unit: unknown): void => {
    const own = blockMarkers(unit);
    markers.push(...own);
    const json = JSON.stringify(unit) ?? "";
    segments.push({ json, tokens: estimateTokens(json), ttl: own.at(-1) ?? null });
  };
  list(body["tools"]).forEach(add);
  const system = body["system"];
  if (typeof system === "string") add(system);
  else list(system).forEach(add);
  for (const message of list(body["messages"])) {
    const content = isRecord(message) ? message["content"] : undefined;
    if (typeof content === "string") add(content);
    else list(content).forEach(add);
  }
  const automatic = markerTtl(body);
  const last = segments.at(-1);
  if (automatic !== null && last !== undefined) {
    markers.push(automatic);
    segments[segments.length - 1] = { ...last, ttl: last.ttl ?? automatic };
  }
  return { segments, markers, totalTokens: segments.reduce((sum, s) => sum + s.tokens, 0) };
}

/**
 * Checks Anthropic's cache rules: at most 4 breakpoints, every `1h` before any `5m`.
 *
 * @param shape - from {@link promptShape}
 * @returns the real API's kind of error message, or `null` when the request is fine
 * @internal
 */
export function cacheRuleViolation(shape: PromptShape): string | null {
  if (shape.markers.length > MAX_BREAKPOINTS) {
    return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${shape.markers.length}.`;
  }
  const firstShort = shape.markers.indexOf("5m");
  if (firstShort !== -1 && shape.markers.lastIndexOf("1h") > firstShort) {
    return "cache_control: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block.";
  }
  return null;
}

/**
 * A prompt cache: creation on the first sight of a prefix, reads until it expires.
 *
 * @internal
 */
export class PromptCache {
  readonly #entries = new Map<string, number>();

  /**
   * Computes the usage of one request and records the prefixes it wrote or read.
   *
   * @param scope - isolates caches (the credential, like a workspace)
   * @param model - the model; caches are per model
   * @param shape - the prompt
   * @param now - epoch ms
   * @param outputTokens - generated tokens
   * @returns the usage block of the response
   */
  use(scope: string, model: string, shape: PromptShape, now: number, outputTokens: number): FakeUsage {
    const hash = createHash("sha256").update(`${scope}\n${model}`);
    const points: { key: string; end: number; ttl: Ttl }[] = [];
    let end = 0;
    for (const segment of shape.segments) {
      hash.update(segment.json);
      end += segment.tokens;
      if (segment.ttl !== null) points.push({ key: hash.copy().digest("hex"), end, ttl: segment.ttl });
    }
    let readEnd = 0;
    let readIndex = -1;
    points.forEach((point, index) => {
      if ((this.#entries.get(point.key) ?? -Infinity) > now) {
        readEnd = point.end;
        readIndex = index;
      }
    });
    const created = { "5m": 0, "1h": 0 };
    let previousEnd = readEnd;
    points.forEach((point, index) => {
      if (index > readIndex) {
        created[point.ttl] += point.end - previousEnd;
        previousEnd = point.end;
      }
      this.#entries.set(point.key, now + TTL_MS[point.ttl]);
    });
    const lastEnd = points.at(-1)?.end ?? 0;
    return {
      input_tokens: shape.totalTokens - lastEnd,
      output_tokens: outputTokens,
      cache_creation_input_tokens: created["5m"] + created["1h"],
      cache_read_input_tokens: readEnd,
      cache_creation: { ephemeral_5m_input_tokens: created["5m"], ephemeral_1h_input_tokens: created["1h"] },
    };
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries.clear();
  }
}

/**
 * @param text - any text
 * @returns a rough token count (4 characters a token, at least 1)
 * @internal
 */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function blockMarkers(block: unknown): Ttl[] {
  if (!isRecord(block)) return [];
  const nested = [...list(block["content"]), ...list(isRecord(block["source"]) ? block["source"]["content"] : undefined)];
  const own = markerTtl(block);
  return [...nested.flatMap(blockMarkers), ...(own === null ? [] : [own])];
}

function markerTtl(holder: Readonly<Record<string, unknown>>): Ttl | null {
  const marker = holder["cache_control"];
  if (!isRecord(marker) || marker["type"] !== "ephemeral") return null;
  return marker["ttl"] === "1h" ? "1h" : "5m";
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
