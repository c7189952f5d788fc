import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { explainProfiles } from "../../src/selection/candidates.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { KEY_A, TOKEN_M, makeResolverFixture, type ResolverFixture } from "../resolver/support.js";

// OpenClaw ≥ 2026.3 (auth-profiles/credential-state.ts resolveTokenExpiryState): a token's `expires`
// is optional, but when present it must be a finite number > 0 (and a real date); otherwise the
// profile is ineligible ("invalid_expires"). OpenClaw ≤ 2026.2.12 read 0 as "does not expire".
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const token = (extra: Record<string, unknown>) => ({ type: "token", provider: "anthropic", token: TOKEN_M, ...extra });

describe("a token's expires, as OpenClaw 2026.3+ judges it", () => {
  it.each([0, -1, 8_640_000_000_000_001])("expires %j: excluded as invalid_expires, with a reason", (expires) => {
    const { candidates } = explainProfiles({ store: { version: 1, profiles: { "anthropic:t": token({ expires }) as never } }, provider: "anthropic", now: NOW });
    expect(candidates[0]).toMatchObject({ profileId: "anthropic:t", excluded: "invalid_expires", detail: expect.stringContaining('unusable "expires"') });
  });

  it.each([[{}], [{ expires: NOW + 1 }]])("%j: eligible", (extra) => {
    const { candidates } = explainProfiles({ store: { version: 1, profiles: { "anthropic:t": token(extra) as never } }, provider: "anthropic", now: NOW });
    expect(candidates[0]?.excluded).toBeNull();
  });
});

describe("the resolver and a token with expires 0", () => {
  let fx: ResolverFixture;
  beforeEach(async () => {
    fx = await makeResolverFixture();
    await fx.writeStore({ version: 1, profiles: { "anthropic:manual": token({ expires: 0 }), "anthropic:default": { type: "api_key", provider: "anthropic", key: KEY_A } } });
  });
  afterEach(() => fx.cleanup());

  it("skips it for the next profile, refuses it when asked by id, and the status says why", async () => {
    const resolver = fx.resolver();
    expect((await resolver.resolve()).profileId).toBe("anthropic:default");
    const explicit = await resolver.resolve({ profileId: "anthropic:manual" }).catch((e: unknown) => e);
    expect(isAuthProfilesError(explicit) && explicit.code).toBe("NO_CREDENTIALS");
    expect((explicit as Error).message).toContain('unusable "expires"');
    expect(JSON.stringify(explicit)).not.toContain(TOKEN_M.slice(20));
    const status = await resolver.status();
    const row = status.auth.providers.flatMap((p) => p.entries).find((r) => r.profileId === "anthropic:manual");
    expect(row).toMatchObject({ state: "excluded", detail: expect.stringContaining("OpenClaw 2026.3+") });
  });
});
