import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countFsCalls } from "../helpers/fs-calls.js";
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
