import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError, NoAvailableProfileError } from "../../src/model/errors.js";
import type { ProfileStore } from "../../src/model/store.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { eventually } from "../helpers/eventually.js";
import { apiKeyStore, KEY_A, KEY_B, KEY_C, makeResolverFixture, type ResolverFixture } from "./support.js";

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(() => fx.cleanup());

describe("reportFailure", () => {
  it("cools a rate-limited profile down at once and moves to the next one; close() writes the record", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const resolver = fx.resolver();
    const outcome = await resolver.reportFailure("anthropic:a", { status: 429 });
    expect(outcome).toEqual({ reason: "rate_limit", unusableUntil: fx.clock.now + 30_000 });
    expect((await resolver.resolve()).profileId).toBe("anthropic:b");
    expect((await resolver.resolve()).profileId).toBe("anthropic:b");
    await resolver.close();
    const stored = await fx.readStore();
    expect(stored.usageStats["anthropic:a"]).toMatchObject({ cooldownUntil: fx.clock.now + 30_000, errorCount: 1, failureCounts: { rate_limit: 1 } });
  });

  it("honours a retry-after longer than the ladder step", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const outcome = await fx.resolver().reportFailure("anthropic:a", { status: 429, headers: { "retry-after": "600" } });
    expect(outcome.unusableUntil).toBe(fx.clock.now + 600_000);
  });

  it("throws NO_AVAILABLE_PROFILE with retryAt when every profile is unusable (half-open off), and recovers after", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const resolver = fx.resolver({ halfOpen: false });
    await resolver.reportFailure("anthropic:a", { status: 429 });
    await resolver.reportFailure("anthropic:b", { status: 402 });
    const error = await resolver.resolve().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoAvailableProfileError);
    const typed = error as NoAvailableProfileError;
    expect(typed.code).toBe("NO_AVAILABLE_PROFILE");
    expect(typed.message.startsWith("No available auth profile for anthropic (all in cooldown or unavailable).")).toBe(true);
    expect(typed.retryAt).toBe(fx.clock.now + 30_000);
    expect(typed.unusableProfiles.map((p) => [p.profileId, p.kind])).toEqual([
      ["anthropic:a", "cooldown"],
      ["anthropic:b", "disabled"],
    ]);
    fx.clock.now += 30_000;
    expect((await resolver.resolve()).profileId).toBe("anthropic:a");
  });

  it("disables a profile for billing and clearCooldown lifts it at once", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const resolver = fx.resolver({ halfOpen: false });
    const outcome = await resolver.reportFailure("anthropic:a", { status: 402 });
    expect(outcome).toEqual({ reason: "billing", unusableUntil: fx.clock.now + 5 * 3_600_000 });
    expect((await resolver.resolve().catch((e: unknown) => e)) as { code: string }).toMatchObject({ code: "NO_AVAILABLE_PROFILE" });
    await resolver.clearCooldown("anthropic:a");
    expect((await resolver.resolve()).profileId).toBe("anthropic:a");
    const stats = (await fx.readStore()).usageStats["anthropic:a"];
    expect(stats.disabledUntil).toBeUndefined();
    expect(stats.cooldownUntil).toBeUndefined();
  });

  it("clearCooldown refuses a profile id the store does not know", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const error = await fx.resolver().clearCooldown("anthropic:typo").catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("NO_CREDENTIALS");
  });

  it("does not cool down on a bad request, nor on an abort", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A }));
    const resolver = fx.resolver();
    expect(await resolver.reportFailure("anthropic:a", { status: 400, error: { type: "invalid_request_error", message: "messages: field required" } })).toEqual({ reason: "format", unusableUntil: null });
    const abort = new Error("aborted");
    abort.name = "AbortError";
    expect(await resolver.reportFailure("anthropic:a", abort)).toEqual({ reason: null, unusableUntil: null });
    expect((await resolver.resolve()).profileId).toBe("anthropic:a");
  });

  it("reportSuccess clears counters and records lastUsed and lastGood", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const resolver = fx.resolver();
    await resolver.reportFailure("anthropic:a", { status: 500 });
    fx.clock.now += 60_000;
    await resolver.reportSuccess("anthropic:a");
    const stats = (await fx.readStore()).usageStats["anthropic:a"];
    expect(stats).toMatchObject({ lastUsed: fx.clock.now });
    expect(stats.errorCount ?? 0).toBe(0);
    expect(stats.cooldownUntil).toBeUndefined();
    await resolver.reportSuccess("anthropic:b");
    await resolver.close();
    const after = await fx.readStore();
    expect(after.usageStats["anthropic:b"].lastUsed).toBe(fx.clock.now);
    expect(after.lastGood).toEqual({ anthropic: "anthropic:b" });
  });

  it("keeps unknown fields of an OpenClaw-written store when recording a failure", async () => {
    const store = {
      version: 1,
      gatewayInstance: { id: "gw-1" },
      profiles: {
        "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A, label: "work key" },
        "anthropic:future": { type: "passkey", provider: "anthropic", blob: "x" },
      },
      usageStats: { "anthropic:a": { lastUsed: 1, modelStats: { opus: 3 } } },
    };
    await fx.writeStore(store);
    const resolver = fx.resolver();
    await resolver.reportFailure("anthropic:a", { status: 429 });
    await resolver.close();
    const after = await fx.readStore();
    expect(after.usageStats["anthropic:a"].failureCounts).toEqual({ rate_limit: 1 });
    expect(after.gatewayInstance).toEqual({ id: "gw-1" });
    expect(after.profiles["anthropic:a"].label).toBe("work key");
    expect(after.profiles["anthropic:future"]).toEqual(store.profiles["anthropic:future"]);
    expect(after.usageStats["anthropic:a"].modelStats).toEqual({ opus: 3 });
  });

  it("never selects an entry of an unknown type", async () => {
    await fx.writeStore({ version: 1, profiles: { "anthropic:future": { type: "passkey", provider: "anthropic" } } });
    const error = await fx.resolver().resolve().catch((e: unknown) => e);
    expect(isAuthProfilesError(error) && error.code).toBe("NO_API_KEY");
  });

  it("keeps a failure that is not written yet over a re-read of someone else's write, then writes both", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B }));
    const file = createFileProfileStore({ path: fx.storePath(), watchIntervalMs: 20 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const store: ProfileStore = {
      path: file.path,
      read: () => file.read(),
      update: async (m) => {
        await gate; // holds the write-behind back
        return file.update(m);
      },
      watch: (c, o) => file.watch(c, o),
    };
    const resolver = fx.resolver({ store });
    await resolver.resolve();
    await resolver.reportFailure("anthropic:a", { status: 429 });
    expect((await resolver.resolve()).profileId).toBe("anthropic:b");
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B, "anthropic:c": KEY_C }, { order: { anthropic: ["anthropic:a", "anthropic:c"] } }));
    let seen: string | null = null;
    await eventually(async () => {
      seen = (await resolver.resolve()).profileId;
      return seen === "anthropic:c";
    }, 25);
    expect(seen).toBe("anthropic:c"); // the re-read happened, and "a" is still cooling down
    release();
    await resolver.close();
    const after = await fx.readStore();
    expect(after.profiles["anthropic:c"]).toBeDefined();
    expect(after.usageStats["anthropic:a"]).toMatchObject({ cooldownUntil: fx.clock.now + 30_000, failureCounts: { rate_limit: 1 } });
    await file.close();
  });
});
