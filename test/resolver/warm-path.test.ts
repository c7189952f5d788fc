import { isDeepStrictEqual } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileProfileStore } from "../../src/store/file-store.js";
import type { ProfileStore } from "../../src/model/store.js";
import { countFsCalls, createFsCallCounter } from "../helpers/fs-calls.js";
import { eventually, PATIENCE_MS } from "../helpers/eventually.js";
import { apiKeyStore, KEY_A, KEY_B, makeResolverFixture, type ResolverFixture } from "./support.js";

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(() => fx.cleanup());

describe("warm resolve", () => {
  it("does no file system call over 1000 resolves once warm", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const resolver = fx.resolver({ configPath: false });
    await resolver.resolve(); // cold: reads config and store once
    const calls = await countFsCalls(async () => {
      for (let i = 0; i < 1000; i += 1) await resolver.resolve({ model: "claude-sonnet-4-5" });
    });
    expect(calls).toBe(0);
  });

  it("the counter does see a cold resolve's reads", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const calls = await countFsCalls(async () => {
      await fx.resolver().resolve();
    });
    expect(calls).toBeGreaterThan(0);
  });

  it("notices another process's write, without re-reading on every call", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const resolver = fx.resolver();
    expect((await resolver.resolve()).profileId).toBe("anthropic:a");
    await fx.writeStore(apiKeyStore({ "anthropic:b": KEY_B }));
    let seen: string | null = null;
    await eventually(async () => {
      seen = (await resolver.resolve()).profileId;
      return seen === "anthropic:b";
    }, 50);
    expect(seen).toBe("anthropic:b");
  });

  it("does no fs call inside resolve() during a resolve + report loop, and never re-reads its own writes", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const file = createFileProfileStore({ path: fx.storePath(), watchIntervalMs: 20 });
    let reads = 0;
    const store: ProfileStore = { path: file.path, read: () => ((reads += 1), file.read()), update: (m) => file.update(m), watch: (c, o) => file.watch(c, o), close: () => file.close() };
    const resolver = fx.resolver({ store, now: () => Date.now() });
    await resolver.resolve(); // cold
    const counter = createFsCallCounter();
    const before = await fx.readStore();
    try {
      // At least 2.5 s (two usage flushes, one a second, and many watcher polls), and on until a
      // flush has landed in the file however slow this machine is (at most PATIENCE_MS).
      const minimum = Date.now() + 2_500;
      const cap = Date.now() + PATIENCE_MS;
      let flushed = false;
      for (let i = 0; (Date.now() < minimum || !flushed) && Date.now() < cap; i += 1) {
        const auth = await counter.during(() => resolver.resolve({ model: "claude-sonnet-4-6" }));
        await resolver.reportSuccess(auth.profileId as string);
        if (i % 50 === 0) {
          await new Promise((r) => setTimeout(r, 5)); // let timers, pollers and flushes run
          flushed = !isDeepStrictEqual((await fx.readStore())["usageStats"], before["usageStats"]);
        }
      }
    } finally {
      counter.stop();
    }
    expect(counter.count).toBe(0);
    expect(reads).toBe(1);
    const after = await fx.readStore();
    expect(after["usageStats"]).not.toEqual(before["usageStats"]); // the flushes did write
    await fx.writeStore(apiKeyStore({ "anthropic:c": KEY_A }));
    let seen: string | null = null;
    await eventually(async () => {
      seen = (await resolver.resolve()).profileId;
      return seen === "anthropic:c";
    }, 50);
    expect(seen).toBe("anthropic:c"); // a write by anyone else is still noticed
    expect(reads).toBe(2);
    await file.close();
  });
});
