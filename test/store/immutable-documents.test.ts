import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { parseStore, serializeStore } from "../../src/store/format.js";
import { validateStore } from "../../src/store/validate.js";
import type { StoreData } from "../../src/model/store.js";
import { makeTempDir, writePrivate } from "./support.js";

/**
 * Updates reuse what validation produced (their checks and their text) by object identity. These
 * tests change documents in place, which the contract forbids, and show it can never make the
 * library write stale or unchecked data: what it produced is frozen, and what a caller built is
 * never cached.
 */
const KEY = `sk-ant-api03-${"k".repeat(40)}`;
const OTHER = `sk-ant-api03-${"o".repeat(40)}`;

function callerDocument(): { version: number; profiles: Record<string, Record<string, unknown>>; usageStats: Record<string, Record<string, unknown>> } {
  return { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY } }, usageStats: { "anthropic:a": { lastUsed: 1 } } };
}

describe("documents changed in place", () => {
  it("serializeStore of a caller's document changed after a first call gives the new text", () => {
    const doc = callerDocument();
    const before = serializeStore(doc as unknown as StoreData);
    (doc.profiles["anthropic:a"] as Record<string, unknown>)["key"] = OTHER;
    (doc.usageStats["anthropic:a"] as Record<string, unknown>)["lastUsed"] = 2;
    doc.profiles["anthropic:b"] = { type: "api_key", provider: "anthropic", key: KEY };
    const after = serializeStore(doc as unknown as StoreData);
    expect(after).not.toBe(before);
    expect(after).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });

  it("serializeStore of a validated document changed in place is refused, not answered with stale text", () => {
    const doc = validateStore(callerDocument(), "mem", "read");
    const text = serializeStore(doc);
    expect(() => {
      (doc.profiles["anthropic:a"] as unknown as Record<string, unknown>)["key"] = OTHER;
    }).toThrow(TypeError);
    expect(serializeStore(doc)).toBe(text);
    expect(serializeStore(doc)).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });

  it("what a read hands out is frozen: a change in place throws instead of going unwritten", () => {
    const doc = parseStore(`${JSON.stringify(callerDocument())}\n`, "mem");
    expect(Object.isFrozen(doc.profiles)).toBe(true);
    expect(Object.isFrozen(doc.profiles["anthropic:a"])).toBe(true);
    expect(() => {
      (doc.usageStats as Record<string, unknown>)["anthropic:x"] = {};
    }).toThrow(TypeError);
  });

  it("a caller's section whose entries were all validated stays the caller's (not frozen)", () => {
    const checked = validateStore(callerDocument(), "mem", "read");
    const mine: Record<string, unknown> = { ...checked.profiles };
    const next = validateStore({ ...checked, profiles: mine }, "mem", "write");
    expect(Object.isFrozen(mine)).toBe(false);
    expect(next.profiles).not.toBe(mine);
    mine["anthropic:z"] = { type: "api_key", provider: "anthropic", key: 42 };
    // The copy validation kept is unaffected, and validating the changed container checks the new entry.
    expect(Object.keys(next.profiles)).toEqual(["anthropic:a"]);
    expect(() => validateStore({ ...checked, profiles: mine }, "mem", "write")).toThrow();
  });
});

describe("a file store update whose mutator changes its input in place", () => {
  let cleanup: () => Promise<void>;
  let path: string;
  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = await makeTempDir());
    path = join(dir, "auth-profiles.json");
    await writePrivate(path, `${JSON.stringify(callerDocument(), null, 2)}\n`);
  });
  afterEach(() => cleanup());

  it("fails with a TypeError on the fast path too, and the file keeps every earlier update", async () => {
    const store = createFileProfileStore({ path });
    // A well-behaved update first, so the next one starts from the document this store wrote.
    await store.update((current) => ({ data: { ...current, usageStats: { ...current.usageStats, "anthropic:a": { ...current.usageStats?.["anthropic:a"], lastUsed: 5 } } }, result: null }));
    const written = await readFile(path, "utf8");
    const failed = await store
      .update((current) => {
        (current.profiles as Record<string, unknown>)["anthropic:b"] = { type: "api_key", provider: "anthropic", key: OTHER };
        return { data: current, result: null };
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(TypeError);
    expect(await readFile(path, "utf8")).toBe(written);
    // The store still works, from what is on disk.
    const read = await store.read();
    expect(Object.keys(read.profiles)).toEqual(["anthropic:a"]);
    expect(read.usageStats?.["anthropic:a"]?.lastUsed).toBe(5);
    await store.update((current) => ({ data: { ...current, profiles: { ...current.profiles, "anthropic:b": { type: "api_key", provider: "anthropic", key: OTHER } } }, result: null }));
    expect(Object.keys(JSON.parse(await readFile(path, "utf8")).profiles)).toEqual(["anthropic:a", "anthropic:b"]);
  });
});
