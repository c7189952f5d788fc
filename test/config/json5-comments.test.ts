import { describe, expect, it } from "vitest";
import { hasJson5Comments } from "../../src/config/json5-comments.js";

describe(hasJson5Comments.name, () => {
  it("finds line and block comments", () => {
    expect(hasJson5Comments('{ a: 1 // note\n}')).toBe(true);
    expect(hasJson5Comments("/* header */ {}")).toBe(true);
  });

  it("ignores comment markers inside strings", () => {
    expect(hasJson5Comments('{ "url": "https://example.org/*x*/", b: \'//\' }')).toBe(false);
    expect(hasJson5Comments('{ a: "quote \\" // still a string" }')).toBe(false);
  });

  it("finds a comment after a string with escapes", () => {
    expect(hasJson5Comments('{ a: "x\\\\" // c\n}')).toBe(true);
  });

  it("returns false for plain JSON", () => {
    expect(hasJson5Comments('{\n  "a": [1, 2, "3/4"]\n}\n')).toBe(false);
  });
});
