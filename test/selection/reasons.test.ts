import { describe, expect, it } from "vitest";
import * as selection from "../../src/selection.js";
import { FAILURE_REASONS, isFailureReason, isTransientReason } from "../../src/selection/reasons.js";

describe(isFailureReason.name, () => {
  it("accepts the seven reasons and nothing else", () => {
    expect(FAILURE_REASONS.every(isFailureReason)).toBe(true);
    expect(FAILURE_REASONS).toHaveLength(7);
    for (const value of ["", "Auth", "quota", 1, null, undefined, {}]) expect(isFailureReason(value)).toBe(false);
  });
});

describe(isTransientReason.name, () => {
  it("marks rate_limit, overloaded, timeout and unknown as transient", () => {
    expect(FAILURE_REASONS.filter(isTransientReason)).toEqual(["rate_limit", "overloaded", "timeout", "unknown"]);
  });
});

describe("selection entry", () => {
  it("re-exports the contract's building blocks", () => {
    for (const name of ["orderProfiles", "recordFailure", "recordSuccess", "classifyFailure", "retryAfterMsFromError", "cooldownPolicyFor"]) {
      expect(typeof (selection as Record<string, unknown>)[name]).toBe("function");
    }
    expect(selection.DEFAULT_COOLDOWN_POLICY.retryAfterCapMs).toBe(3_600_000);
  });
});
