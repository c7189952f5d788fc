import { createHook } from "node:async_hooks";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiKeyStore, KEY_A, KEY_B, makeResolverFixture, type ResolverFixture } from "./support.js";

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(() => fx.cleanup());

/**
 * Counts real file-system work while `run` runs: every async fs request (promise or callback API)
 * shows up as an async resource of an FS type, and every sync call goes through the `fs` exports,
 * which are wrapped (not replaced: each wrapper calls the real function) for the duration.
 */
async function countFsCalls(run: () => Promise<void>): Promise<number> {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type.startsWith("FSREQ") || type === "FILEHANDLE" || type === "STATWATCHER") count += 1;
    },
  });
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(fs)) {
    const value = target[name];
    if (name.endsWith("Sync") && typeof value === "function") {
      originals.set(name, value);
      target[name] = (...args: unknown[]) => {
        count += 1;
        return value.apply(fs, args);
      };
    }
  }
  syncBuiltinESMExports();
  hook.enable();
  try {
    await run();
  } finally {
    hook.disable();
    for (const [name, value] of originals) target[name] = value;
    syncBuiltinESMExports();
  }
  return count;
}

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

  it("notices another process's write within about a second, without re-reading on every call", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const resolver = fx.resolver();
    expect((await resolver.resolve()).profileId).toBe("anthropic:a");
    await fx.writeStore(apiKeyStore({ "anthropic:b": KEY_B }));
    let seen: string | null = null;
    for (let i = 0; i < 60 && seen !== "anthropic:b"; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      seen = (await resolver.resolve()).profileId;
    }
    expect(seen).toBe("anthropic:b");
  });
});
