import type { PathKey } from "./update-paths.js";
import { requireObject } from "../model/arguments.js";

/**
 * Where a cache breakpoint sits in Anthropic's prefix order (`tools` → `system` → `messages`).
 *
 * @category Request decoration
 */
export type CacheBreakpointArea = "tools" | "system" | "messages" | "automatic";

/**
 * A `cache_control: { type: "ephemeral" }` marker found in a request body.
 *
 * @category Request decoration
 */
export interface CacheBreakpoint {
  /** Path of the object that holds `cache_control` (empty for the top-level automatic marker). */
  readonly path: readonly PathKey[];
  /** Which part of the prompt it caches; `automatic` is the top-level `cache_control`. */
  readonly area: CacheBreakpointArea;
  /** The `ttl` the caller wrote (`"5m"`, `"1h"`), or `undefined`/`null` when the marker has none. */
  readonly ttl: unknown;
}

/**
 * Lists the ephemeral cache markers of a Messages API body in prefix order.
 *
 * @remarks Order follows the prompt: `tools[*]`, then `system` blocks, then `messages[*].content`
 * blocks, then the top-level `cache_control` (automatic caching marks the last block). Inside a block
 * (a `tool_result`, a `search_result`, a `document` with a `content` source) nested blocks come
 * before the block's own marker, because the block's prefix ends after them. Tool inputs and schemas
 * are never searched, so user data that happens to contain `cache_control` is left alone.
 *
 * @param body - a Messages API create or count_tokens body
 * @returns every marker, first to last
 *
 * @category Request decoration
 */
export function findCacheBreakpoints(body: object): CacheBreakpoint[] {
  requireObject("findCacheBreakpoints", "body", body);
  const found: CacheBreakpoint[] = [];
  const record = body as Readonly<Record<string, unknown>>;
  const tools = record["tools"];
  if (Array.isArray(tools)) {
    tools.forEach((tool: unknown, index) => {
      const ttl = markerTtl(tool);
      if (ttl !== NOT_MARKED) found.push({ path: ["tools", index], area: "tools", ttl });
    });
  }
  const system = record["system"];
  if (Array.isArray(system)) system.forEach((block: unknown, index) => collectBlock(block, ["system", index], "system", found));
  const messages = record["messages"];
  if (Array.isArray(messages)) {
    messages.forEach((message: unknown, m) => {
      const content = isObject(message) ? message["content"] : undefined;
      if (Array.isArray(content)) {
        content.forEach((block: unknown, c) => collectBlock(block, ["messages", m, "content", c], "messages", found));
      }
    });
  }
  const automatic = markerTtl(body);
  if (automatic !== NOT_MARKED) found.push({ path: [], area: "automatic", ttl: automatic });
  return found;
}

const NOT_MARKED: unique symbol = Symbol("not-marked");

function collectBlock(block: unknown, path: readonly PathKey[], area: CacheBreakpointArea, found: CacheBreakpoint[]): void {
  if (!isObject(block)) return;
  const nested = block["content"];
  if (Array.isArray(nested)) nested.forEach((child: unknown, i) => collectBlock(child, [...path, "content", i], area, found));
  const source = block["source"];
  const sourceContent = isObject(source) ? source["content"] : undefined;
  if (Array.isArray(sourceContent)) {
    sourceContent.forEach((child: unknown, i) => collectBlock(child, [...path, "source", "content", i], area, found));
  }
  const ttl = markerTtl(block);
  if (ttl !== NOT_MARKED) found.push({ path, area, ttl });
}

function markerTtl(holder: unknown): unknown {
  if (!isObject(holder)) return NOT_MARKED;
  const marker = holder["cache_control"];
  if (!isObject(marker) || marker["type"] !== "ephemeral") return NOT_MARKED;
  return marker["ttl"];
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
