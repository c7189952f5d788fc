import { describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { validateSetupToken } from "../../src/credentials/setup-token.js";

const GOOD = `sk-ant-oat01-${"x".repeat(80)}`;

function problemOf(input: string): string {
  try {
    validateSetupToken(input);
  } catch (error) {
    if (isAuthProfilesError(error) && error.code === "TOKEN_INVALID") return String(error.details["problem"]);
    throw error;
  }
  return "ok";
}

describe(validateSetupToken.name, () => {
  it("accepts a full token and strips whitespace and line breaks a terminal added", () => {
    expect(validateSetupToken(`  ${GOOD.slice(0, 40)}\n${GOOD.slice(40)}\r\n`)).toBe(GOOD);
  });

  it("rejects empty input, a code#state paste, a wrong prefix and a short token with TOKEN_INVALID", () => {
    expect(problemOf("   \n")).toBe("empty");
    expect(problemOf("AbCdEf0123456789abcdef#state-value_123")).toBe("code_state");
    expect(problemOf(`sk-ant-api03-${"k".repeat(90)}`)).toBe("prefix");
    expect(problemOf(`sk-ant-oat01-${"x".repeat(20)}`)).toBe("too_short");
  });

  it("never repeats the pasted value in the error", () => {
    const near = `sk-ant-oat01-${"Q".repeat(40)}`;
    try {
      validateSetupToken(near);
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain("QQQQQQQQQQQQ");
      expect(String((error as Error).message)).not.toContain("QQQQQQQQQQQQ");
      expect((error as { hint?: string }).hint).toContain("claude setup-token");
    }
  });
});
