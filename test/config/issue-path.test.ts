import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { formatJsonPath, summarizeIssue } from "../../src/config/issue-path.js";

describe(formatJsonPath.name, () => {
  it("uses dots for identifiers, quoted brackets for other keys and brackets for indices", () => {
    expect(formatJsonPath(["auth", "profiles", "anthropic:work", "mode"])).toBe('auth.profiles["anthropic:work"].mode');
    expect(formatJsonPath(["agents", "list", 0, "models", "anthropic/x"])).toBe('agents.list[0].models["anthropic/x"]');
    expect(formatJsonPath(["a b", "$include", "_x1"])).toBe('["a b"].$include._x1');
    expect(formatJsonPath(['say "hi"'])).toBe('["say \\"hi\\""]');
    expect(formatJsonPath([])).toBe("(root)");
  });
});

describe(summarizeIssue.name, () => {
  const secret = "sk-ant-oat01-NEVERSHOWNneverSHOWNneverShown";

  function firstIssue(schema: v.GenericSchema, input: unknown): v.BaseIssue<unknown> {
    const result = v.safeParse(schema, input);
    if (result.success) throw new Error("expected issues");
    return result.issues[0];
  }

  it("names the allowed values of a picklist without the input", () => {
    const issue = firstIssue(v.object({ mode: v.picklist(["a", "b"]) }), { mode: secret });
    expect(summarizeIssue(issue)).toEqual({ path: "mode", problem: 'must be one of "a", "b"' });
  });

  it("describes types, unions, minimums and missing keys", () => {
    expect(summarizeIssue(firstIssue(v.object({ n: v.number() }), { n: secret })).problem).toBe("must be a number");
    expect(summarizeIssue(firstIssue(v.union([v.string(), v.array(v.string())]), 1)).problem).toBe("must be a string or an array");
    expect(summarizeIssue(firstIssue(v.pipe(v.number(), v.minValue(0)), -1)).problem).toBe("must be >= 0");
    expect(summarizeIssue(firstIssue(v.object({ id: v.string() }), {}))).toEqual({ path: "id", problem: "is required" });
    expect(summarizeIssue(firstIssue(v.literal("x"), "y")).problem).toBe('must be "x"');
  });

  it("says only 'is invalid' when the schema states no expectation", () => {
    const issue = firstIssue(v.pipe(v.string(), v.check(() => false, `bad ${secret}`)), secret);
    expect(summarizeIssue(issue).problem).toBe("is invalid");
  });

  it("puts a prefix before the issue's own path", () => {
    const issue = firstIssue(v.array(v.string()), ["a", 1]);
    expect(summarizeIssue(issue, ["auth", "order", "anthropic"]).path).toBe("auth.order.anthropic[1]");
  });
});
