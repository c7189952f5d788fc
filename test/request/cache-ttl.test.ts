import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findCacheBreakpoints } from "../../src/request/cache-breakpoints.js";
import { applyCacheTtl } from "../../src/request/cache-ttl.js";
import { deepFreeze, snapshot } from "./deep-freeze.js";

const EPHEMERAL = { type: "ephemeral" } as const;

/** A body with a breakpoint in every prefix area, the second system block carrying an explicit ttl. */
function fullBody(systemTtl?: "5m" | "1h") {
  return {
    model: "claude-sonnet-5",
    max_tokens: 16,
    tools: [
      { name: "lookup", description: "d", input_schema: { type: "object", properties: { cache_control: { type: "string" } } } },
      { name: "save", input_schema: { type: "object" }, cache_control: { ...EPHEMERAL } },
    ],
    system: [
      { type: "text", text: "rules" },
      { type: "text", text: "long context", cache_control: systemTtl === undefined ? { ...EPHEMERAL } : { ...EPHEMERAL, ttl: systemTtl } },
    ],
    messages: [
      { role: "user", content: [{ type: "text", text: "hello", cache_control: { ...EPHEMERAL } }] },
      { role: "assistant", content: "plain string content" },
    ],
  };
}

describe(findCacheBreakpoints.name, () => {
  it("lists markers in prefix order, nested blocks before their parent, automatic last", () => {
    const body = {
      cache_control: EPHEMERAL,
      messages: [
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "t1",
              content: [{ type: "text", text: "r", cache_control: EPHEMERAL }],
              cache_control: EPHEMERAL,
            },
            { type: "document", source: { type: "content", content: [{ type: "text", text: "d", cache_control: EPHEMERAL }] } },
          ],
        },
      ],
      system: [{ type: "text", text: "s", cache_control: { ...EPHEMERAL, ttl: "1h" } }],
      tools: [{ name: "x", input_schema: {}, cache_control: EPHEMERAL }],
    };
    expect(findCacheBreakpoints(body).map((p) => [p.area, p.path.join("."), p.ttl])).toEqual([
      ["tools", "tools.0", undefined],
      ["system", "system.0", "1h"],
      ["messages", "messages.0.content.0.content.0", undefined],
      ["messages", "messages.0.content.0", undefined],
      ["messages", "messages.0.content.1.source.content.0", undefined],
      ["automatic", "", undefined],
    ]);
  });

  it("ignores non-ephemeral markers and cache_control inside tool inputs and schemas", () => {
    const body = {
      tools: [{ name: "x", input_schema: { cache_control: EPHEMERAL } }],
      messages: [{ role: "assistant", content: [{ type: "tool_use", id: "t", name: "x", input: { cache_control: EPHEMERAL } }] }],
      system: [{ type: "text", text: "s", cache_control: { type: "persistent" } }],
    };
    expect(findCacheBreakpoints(body)).toEqual([]);
  });
});

describe(applyCacheTtl.name, () => {
  it("writes the ttl on every bare marker and changes nothing else", () => {
    const input = deepFreeze(fullBody());
    const before = snapshot(input);
    const result = applyCacheTtl(input, "1h");
    expect(input).toEqual(before);
    expect(result.cacheControlTtlApplied).toBe("1h");
    expect(result.breakpoints).toBe(3);
    expect(result.downgraded).toBe(0);
    const expected = snapshot(before);
    expected.tools[1]!.cache_control = { ...EPHEMERAL, ttl: "1h" } as never;
    expected.system[1]!.cache_control = { ...EPHEMERAL, ttl: "1h" };
    (expected.messages[0]!.content as { cache_control: unknown }[])[0]!.cache_control = { ...EPHEMERAL, ttl: "1h" };
    expect(result.params).toEqual(expected);
  });

  it("shares every untouched object with the input", () => {
    const input = deepFreeze(fullBody());
    const { params } = applyCacheTtl(input, "5m");
    expect(params).not.toBe(input);
    expect(params.tools[0]).toBe(input.tools[0]);
    expect(params.system[0]).toBe(input.system[0]);
    expect(params.messages[1]).toBe(input.messages[1]);
    expect(params.tools[1]!.input_schema).toBe(input.tools[1]!.input_schema);
  });

  it("keeps a ttl the caller wrote", () => {
    const { params } = applyCacheTtl(deepFreeze(fullBody("1h")), "5m");
    expect(params.system[1]!.cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(params.tools[1]!.cache_control).toEqual({ type: "ephemeral", ttl: "5m" });
  });

  it("downgrades a 1h that would follow an explicit 5m, without reordering", () => {
    const result = applyCacheTtl(deepFreeze(fullBody("5m")), "1h");
    expect(result.params.tools[1]!.cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(result.params.system[1]!.cache_control).toEqual({ type: "ephemeral", ttl: "5m" });
    expect((result.params.messages[0]!.content as { cache_control: unknown }[])[0]!.cache_control).toEqual({ type: "ephemeral", ttl: "5m" });
    expect(result.downgraded).toBe(1);
    expect(result.cacheControlTtlApplied).toBe("1h");
    const ttls = findCacheBreakpoints(result.params).map((p) => p.ttl);
    expect(ttls.indexOf("5m")).toBeGreaterThan(ttls.lastIndexOf("1h"));
  });

  it("treats the top-level automatic marker as the last breakpoint", () => {
    const input = deepFreeze({ cache_control: { ...EPHEMERAL }, system: [{ type: "text", text: "s", cache_control: { ...EPHEMERAL, ttl: "5m" } }], messages: [] });
    const result = applyCacheTtl(input, "1h");
    expect(result.params.cache_control).toEqual({ type: "ephemeral", ttl: "5m" });
    expect(result.cacheControlTtlApplied).toBe("5m");
    expect(result.downgraded).toBe(1);
  });

  it("returns the input itself when there is no bare marker", () => {
    const input = deepFreeze({ messages: [{ role: "user", content: "hi" }], system: "plain" });
    const result = applyCacheTtl(input, "1h");
    expect(result.params).toBe(input);
    expect(result.cacheControlTtlApplied).toBeNull();
    expect(result.breakpoints).toBe(0);
  });

  it("keeps other fields of a marker", () => {
    const input = deepFreeze({ messages: [{ role: "user", content: [{ type: "text", text: "x", cache_control: { type: "ephemeral", scope: "org" } }] }] });
    const { params } = applyCacheTtl(input, "1h");
    expect(params.messages[0]!.content[0]!.cache_control).toEqual({ type: "ephemeral", scope: "org", ttl: "1h" });
  });
});

describe(`${applyCacheTtl.name} (properties)`, () => {
  const marker = fc.constantFrom<"none" | "bare" | "5m" | "1h">("none", "bare", "5m", "1h");
  const withMarker = <T extends object>(base: T, kind: "none" | "bare" | "5m" | "1h") =>
    kind === "none" ? base : { ...base, cache_control: kind === "bare" ? { type: "ephemeral" } : { type: "ephemeral", ttl: kind } };
  const text = marker.map((kind) => withMarker({ type: "text", text: "t" }, kind));
  const block = fc.oneof(
    text,
    fc.tuple(fc.array(text, { maxLength: 2 }), marker).map(([content, kind]) => withMarker({ type: "tool_result", tool_use_id: "x", content }, kind)),
  );
  const body = fc.record({
    tools: fc.array(marker.map((kind) => withMarker({ name: "t", input_schema: { type: "object" } }, kind)), { maxLength: 3 }),
    system: fc.array(text, { maxLength: 3 }),
    messages: fc.array(fc.array(block, { maxLength: 3 }).map((content) => ({ role: "user", content })), { maxLength: 3 }),
    top: marker,
  }).map(({ top, ...rest }) => withMarker(rest, top));

  const violates = (ttls: readonly unknown[]): boolean => {
    const firstShort = ttls.indexOf("5m");
    return firstShort !== -1 && ttls.lastIndexOf("1h") > firstShort;
  };
  const withoutTtl = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "ttl" ? undefined : v)));

  it("keeps explicit TTLs, fills every bare marker, never creates a 1h-after-5m and changes nothing else", () => {
    fc.assert(
      fc.property(body, fc.constantFrom<"5m" | "1h">("5m", "1h"), (input, ttl) => {
        const frozen = deepFreeze(snapshot(input));
        const result = applyCacheTtl(frozen, ttl);
        expect(frozen).toEqual(input);
        const before = findCacheBreakpoints(input).map((p) => p.ttl);
        const after = findCacheBreakpoints(result.params).map((p) => p.ttl);
        expect(after).toHaveLength(before.length);
        before.forEach((old, i) => {
          if (old === undefined) expect([ttl, "5m"]).toContain(after[i]);
          else expect(after[i]).toBe(old);
        });
        // A bare marker means 5m to the API, so only a request that was already invalid stays invalid.
        if (violates(after)) expect(violates(before.map((t) => t ?? "5m"))).toBe(true);
        expect(withoutTtl(result.params)).toEqual(withoutTtl(input));
      }),
      { numRuns: 300, seed: 20260411 },
    );
  });
});
