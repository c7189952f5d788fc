import { describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import {
  cooldownPolicyFor,
  DEFAULT_AUTH_STEPS_MS,
  DEFAULT_BILLING_BASE_MS,
  DEFAULT_BILLING_MAX_MS,
  DEFAULT_COOLDOWN_POLICY,
  DEFAULT_FAILURE_WINDOW_MS,
  DEFAULT_RETRY_AFTER_CAP_MS,
  DEFAULT_TRANSIENT_STEPS_MS,
} from "../../src/selection/policy.js";
import type { CooldownPolicy } from "../../src/model/failure.js";

const HOUR = 3_600_000;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("DEFAULT_COOLDOWN_POLICY", () => {
  it("holds the contract's defaults", () => {
    expect(DEFAULT_COOLDOWN_POLICY).toEqual({
      failureWindowMs: 24 * HOUR,
      transientStepsMs: [30_000, 60_000, 300_000],
      authStepsMs: [60_000, 300_000, 1_500_000, HOUR],
      retryAfterCapMs: HOUR,
      billingBaseMs: 5 * HOUR,
      billingMaxMs: 24 * HOUR,
      quotaCapMs: 24 * HOUR,
      extraUsageMs: HOUR,
      permanentAuthMs: 24 * HOUR,
    });
    expect(DEFAULT_FAILURE_WINDOW_MS).toBe(24 * HOUR);
    expect(DEFAULT_TRANSIENT_STEPS_MS).toEqual([30_000, 60_000, 300_000]);
    expect(DEFAULT_AUTH_STEPS_MS).toEqual([60_000, 300_000, 1_500_000, HOUR]);
    expect(DEFAULT_RETRY_AFTER_CAP_MS).toBe(HOUR);
    expect(DEFAULT_BILLING_BASE_MS).toBe(5 * HOUR);
    expect(DEFAULT_BILLING_MAX_MS).toBe(24 * HOUR);
  });

  it("cannot be changed by a consumer", () => {
    expect(Object.isFrozen(DEFAULT_COOLDOWN_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_COOLDOWN_POLICY.transientStepsMs)).toBe(true);
  });
});

describe(cooldownPolicyFor.name, () => {
  it("returns the defaults without config or overrides", () => {
    expect(cooldownPolicyFor()).toEqual(DEFAULT_COOLDOWN_POLICY);
    expect(cooldownPolicyFor({ config: {}, provider: "anthropic" })).toEqual(DEFAULT_COOLDOWN_POLICY);
  });

  it("applies OpenClaw's auth.cooldowns hours", () => {
    const config = { auth: { cooldowns: { billingBackoffHours: 2, billingMaxHours: 12, failureWindowHours: 6 } } };
    expect(cooldownPolicyFor({ config, provider: "anthropic" })).toMatchObject({
      billingBaseMs: 2 * HOUR,
      billingMaxMs: 12 * HOUR,
      failureWindowMs: 6 * HOUR,
      retryAfterCapMs: HOUR,
    });
  });

  it("prefers the per-provider billing backoff, matching the provider case-insensitively", () => {
    const config = { auth: { cooldowns: { billingBackoffHours: 2, billingBackoffHoursByProvider: { Anthropic: 1, openai: 7 } } } };
    expect(cooldownPolicyFor({ config, provider: "anthropic" }).billingBaseMs).toBe(HOUR);
    expect(cooldownPolicyFor({ config, provider: "google" }).billingBaseMs).toBe(2 * HOUR);
    expect(cooldownPolicyFor({ config }).billingBaseMs).toBe(2 * HOUR);
  });

  it("applies programmatic overrides last", () => {
    const config = { auth: { cooldowns: { billingBackoffHours: 2 } } };
    const policy = cooldownPolicyFor({ config, overrides: { billingBaseMs: 1_000, transientStepsMs: [5_000] } });
    expect(policy.billingBaseMs).toBe(1_000);
    expect(policy.transientStepsMs).toEqual([5_000]);
    expect(policy.authStepsMs).toEqual(DEFAULT_AUTH_STEPS_MS);
  });

  it("ignores overrides explicitly set to undefined", () => {
    const overrides = { retryAfterCapMs: undefined } as unknown as Partial<CooldownPolicy>;
    expect(cooldownPolicyFor({ overrides }).retryAfterCapMs).toBe(HOUR);
  });

  it("copies override arrays so later mutation of the caller's array changes nothing", () => {
    const steps = [1_000, 2_000];
    const policy = cooldownPolicyFor({ overrides: { authStepsMs: steps } });
    steps.push(3_000);
    expect(policy.authStepsMs).toEqual([1_000, 2_000]);
  });

  it("rejects a negative config value with CONFIG_INVALID naming the JSON path", () => {
    const error = thrown(() => cooldownPolicyFor({ config: { auth: { cooldowns: { billingMaxHours: -1 } } } }));
    expect(isAuthProfilesError(error) && error.code).toBe("CONFIG_INVALID");
    expect(isAuthProfilesError(error) && error.details).toEqual({ path: "auth.cooldowns.billingMaxHours" });
  });

  it.each([{ retryAfterCapMs: -1 }, { failureWindowMs: Number.NaN }, { transientStepsMs: [] }, { authStepsMs: [1, -2] }])(
    "rejects an invalid override %j with INVALID_ARGUMENT",
    (overrides) => {
      const error = thrown(() => cooldownPolicyFor({ overrides: overrides as Partial<CooldownPolicy> }));
      expect(isAuthProfilesError(error) && error.code).toBe("INVALID_ARGUMENT");
      expect(isAuthProfilesError(error) && error.hint).toMatch(/cooldown\./);
    },
  );
});
