import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSingleFlight } from "../../src/credentials/single-flight.js";
import type { StoredCredential } from "../../src/model/store.js";
import { checkResolverOptions } from "../../src/resolver/options-schema.js";
import { OrderCache } from "../../src/resolver/order-cache.js";
import { buildResolverParts, type ResolverParts } from "../../src/resolver/parts.js";
import { MAX_STICKY_SESSIONS } from "../../src/resolver/pick.js";
import { pickWarm } from "../../src/resolver/pick-warm.js";
import { StickySessions } from "../../src/resolver/sessions.js";
import { resolverSettings } from "../../src/resolver/settings.js";
import type { ResolvedAuth } from "../../src/resolver/types.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { apiKeyStore, KEY_A, KEY_B, KEY_C, makeResolverFixture, type ResolverFixture } from "./support.js";

let fx: ResolverFixture;
let parts: ResolverParts | null = null;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(async () => {
  if (parts !== null) {
    await parts.usage.flush();
    parts.usage.stop();
    parts.state.close();
    await parts.store.close();
    parts = null;
  }
  await fx.cleanup();
});

/** A resolver's parts with their order cache in hand, so the test can count order computations. */
async function partsOver(): Promise<{ parts: ResolverParts; orders: OrderCache }> {
  const orders = new OrderCache();
  const shared = { sessions: new StickySessions(MAX_STICKY_SESSIONS), orders, refreshes: createSingleFlight<string, StoredCredential>() };
  const settings = resolverSettings(checkResolverOptions("test", { stateDir: fx.stateDir, homeDir: fx.home, env: {}, configPath: false, claudeCli: false, now: () => fx.clock.now }));
  parts = await buildResolverParts(settings, shared);
  return { parts, orders };
}

async function resolveWarm(p: ResolverParts): Promise<ResolvedAuth> {
  const snap = p.state.peek() ?? (await p.state.current());
  // No model, so no family: in-flight preferences (which reorder small stores per pick) stay out of it.
  const settled = pickWarm(p.pick, snap, {});
  if (settled === null) throw new Error("the warm path declined");
  return settled;
}

describe("own usage writes", () => {
  it("re-sort nothing: after 5 batched success writes the order was computed once, and round-robin went on", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B, "anthropic:c": KEY_C }));
    const { parts: p, orders } = await partsOver();
    const seen: string[] = [];
    for (let write = 0; write < 5; write += 1) {
      for (let i = 0; i < 3; i += 1) {
        fx.clock.now += 10;
        const auth = await resolveWarm(p);
        seen.push(auth.profileId as string);
        await p.usage.success(auth.profileId as string, "anthropic", undefined, null);
      }
      await p.usage.flush(); // the batched write, as the once-a-second timer does it
      expect(p.state.peek()).not.toBeNull(); // adopted in place: no rebuild pending for the next resolve
    }
    expect(orders.computed).toBe(1);
    expect(p.state.adoptedInPlace).toBe(5);
    expect(seen).toEqual(Array.from({ length: 5 }, () => ["anthropic:a", "anthropic:b", "anthropic:c"]).flat());
    // The writes did land, and the document the resolver holds has them.
    const stored = await fx.readStore();
    expect(stored["usageStats"]["anthropic:c"]["lastUsed"]).toBe(fx.clock.now);
    expect((await p.state.current()).data.usageStats?.["anthropic:c"]?.lastUsed).toBe(fx.clock.now);
  });

  it("still rebuild when another process changed the store before the write (its change is seen)", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const { parts: p, orders } = await partsOver();
    const first = await resolveWarm(p);
    await p.usage.success(first.profileId as string, "anthropic", undefined, null);
    // Another process cools b down, right before our batched write reads the file under the lock.
    const other = createFileProfileStore({ path: fx.storePath() });
    await other.update((current) => ({ data: { ...current, usageStats: { ...current.usageStats, "anthropic:b": { cooldownUntil: fx.clock.now + 60_000 } } }, result: undefined }));
    await p.usage.flush();
    expect(p.state.adoptedInPlace).toBe(0);
    for (let i = 0; i < 3; i += 1) expect((await resolveWarm(p)).profileId).toBe("anthropic:a");
    expect(orders.computed).toBe(2);
  });

  it("keep a secret reference resolved: after an own write is adopted in place, both paths still send the referenced value", async () => {
    const KEY_REF = "sk-ant-api03-REFrefREFrefREFrefREFrefREFrefREFrefREF9999";
    await fx.writeStore({ version: 1, profiles: { "anthropic:ref": { type: "api_key", provider: "anthropic", keyRef: { source: "env", provider: "default", id: "WORK_KEY" } } } });
    const resolver = fx.resolver({ env: { WORK_KEY: KEY_REF } });
    for (let i = 0; i < 3; i += 1) {
      const auth = await resolver.resolve({ model: "claude-sonnet-4-6" });
      expect(auth.secret).toBe(KEY_REF);
      await resolver.reportSuccess(auth.profileId as string);
      await resolver.flush();
    }
    expect((await resolver.resolve({ model: "claude-sonnet-4-6" })).secret).toBe(KEY_REF);
    expect((await resolver.resolve({ profileId: "anthropic:ref" })).secret).toBe(KEY_REF);
    expect((await fx.readStore())["profiles"]["anthropic:ref"]["key"]).toBeUndefined();
  });

  it("hand out the same settled promise while nothing changes, and a new credential once the store changes", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const resolver = fx.resolver();
    await resolver.resolve({ model: "claude-sonnet-4-6" }); // cold
    const one = resolver.resolve({ model: "claude-sonnet-4-6" });
    const two = resolver.resolve({ model: "claude-sonnet-4-6" });
    expect(two).toBe(one);
    expect((await one).secret).toBe(KEY_A);
    const other = createFileProfileStore({ path: fx.storePath() });
    await other.update((current) => ({ data: { ...current, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_B } } }, result: undefined }));
    const deadline = Date.now() + 20_000;
    let auth = await resolver.resolve({ model: "claude-sonnet-4-6" });
    while (auth.secret !== KEY_B && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      auth = await resolver.resolve({ model: "claude-sonnet-4-6" });
    }
    expect(auth.secret).toBe(KEY_B);
    expect(resolver.resolve({ model: "claude-sonnet-4-6" })).not.toBe(one);
  });
});

describe(StickySessions.name, () => {
  it("forgets the least recently picked session first, even when picks only touched entries in place", () => {
    const sessions = new StickySessions(3);
    sessions.remember("s1", "a");
    sessions.remember("s2", "b");
    sessions.remember("s3", "c");
    sessions.remember("s1", "a"); // picked again: s2 is now the least recent
    sessions.remember("s4", "d");
    expect(sessions.get("s2")).toBeUndefined();
    expect(["s1", "s3", "s4"].map((s) => sessions.get(s))).toEqual(["a", "c", "d"]);
    sessions.remember("s3", "c");
    sessions.remember("s5", "e"); // s1 (picked before s3 and s4) goes
    expect(sessions.get("s1")).toBeUndefined();
    expect(sessions.idsByRecency()).toEqual(["s4", "s3", "s5"]);
  });

  it("matches a reference LRU over a long random mix", () => {
    const sessions = new StickySessions(5);
    const reference: string[] = [];
    let seed = 11;
    for (let step = 0; step < 2_000; step += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const id = `s${seed % 9}`;
      sessions.remember(id, `p${seed % 4}`);
      const at = reference.indexOf(id);
      if (at !== -1) reference.splice(at, 1);
      reference.push(id);
      if (reference.length > 5) reference.shift();
      expect(sessions.idsByRecency()).toEqual(reference);
    }
  });

  it("drops every session of a failed profile", () => {
    const sessions = new StickySessions(10);
    sessions.remember("s1", "a");
    sessions.remember("s2", "b");
    sessions.remember("s3", "a");
    sessions.forgetProfile("a");
    expect([sessions.get("s1"), sessions.get("s2"), sessions.get("s3")]).toEqual([undefined, "b", undefined]);
  });
});
