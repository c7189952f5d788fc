import { describe, expect, it } from "vitest";
import { modelFamilyOf } from "../../src/selection/model-family.js";

describe(modelFamilyOf.name, () => {
  it.each([
    ["claude-opus-4-7", "opus"],
    ["claude-opus-4-6", "opus"],
    ["anthropic/claude-sonnet-4-6", "sonnet"],
    ["claude-haiku-4-5", "haiku"],
    ["claude-fable-5", "fable"],
    ["CLAUDE-SONNET-5", "sonnet"],
  ])("puts %s in family %s", (model, family) => {
    expect(modelFamilyOf(model)).toBe(family);
  });

  it("gives fast mode a family of its own, lets callers extend the table and keeps unknown models apart", () => {
    expect(modelFamilyOf("claude-opus-4-7", { fast: true })).toBe("opus:fast");
    expect(modelFamilyOf("house-model-v2", { rules: [{ match: "house", family: "sonnet" }] })).toBe("sonnet");
    expect(modelFamilyOf("claude-opus-4-7", { rules: [{ match: "opus-4-7", family: "opus-new" }] })).toBe("opus-new");
    expect(modelFamilyOf("some-other-model")).toBe("some-other-model");
    expect(modelFamilyOf(undefined)).toBeNull();
    expect(modelFamilyOf("  ")).toBeNull();
  });
});
