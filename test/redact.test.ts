import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { attachRedactedView, defineHidden, redactSecret, redactText } from "../src/model/redact.js";

describe(redactSecret.name, () => {
  it("shows the prefix family and the last 4 characters", () => {
    expect(redactSecret("sk-ant-api03-abcdefghijklmnopqrstuvwxyz")).toBe("sk-ant-api03-…wxyz");
    expect(redactSecret("sk-ant-oat01-abcdefghijklmnopqrstuvwxyz")).toBe("sk-ant-oat01-…wxyz");
    expect(redactSecret("sk-ant-ort01-abcdefghijklmnopqrstuvwxyz")).toBe("sk-ant-ort01-…wxyz");
  });

  it("shows nothing of a short or unknown secret's tail", () => {
    expect(redactSecret("short")).toBe("…");
    expect(redactSecret("sk-ant-api03-abc")).toBe("sk-ant-api03-…");
  });
});

describe(redactText.name, () => {
  it("masks secret-looking values and listed secrets anywhere in text", () => {
    const text = redactText("a sk-ant-oat01-0123456789abcdefghij b my-custom-secret-value c", ["my-custom-secret-value"]);
    expect(text).not.toContain("0123456789");
    expect(text).not.toContain("my-custom-secret-value");
  });
});

describe(attachRedactedView.name, () => {
  it("hides secrets from JSON.stringify and util.inspect", () => {
    const target = defineHidden({ id: "a" }, "secret", "sk-ant-api03-zzzzzzzzzzzzzzzzzzzz9876");
    attachRedactedView(target, () => ({ id: "a", secret: "sk-ant-api03-…9876" }));
    expect(JSON.stringify(target)).not.toContain("zzzz");
    expect(inspect(target)).not.toContain("zzzz");
    expect((target as unknown as { secret: string }).secret).toContain("zzzz");
  });
});

describe("redactText twice", () => {
  it("leaves an already redacted bearer value as it is", () => {
    const once = redactText(`Authorization: Bearer sk-ant-oat01-${"z".repeat(40)}acc1`);
    expect(once).toBe("Authorization: Bearer sk-ant-oat01-…acc1");
    expect(redactText(once)).toBe(once);
  });
});
