import { describe, expect, it } from "vitest";
import { EXTENDED_CACHE_TTL_BETA, OAUTH_BETA, mergeBetaHeader, mergeBetas, parseBetaHeader } from "../../src/request/betas.js";

describe(parseBetaHeader.name, () => {
  it("splits on commas, trims and drops empty names", () => {
    expect(parseBetaHeader(" a, b,,c ")).toEqual(["a", "b", "c"]);
  });

  it("reads a missing header as no betas", () => {
    expect(parseBetaHeader(null)).toEqual([]);
    expect(parseBetaHeader(undefined)).toEqual([]);
    expect(parseBetaHeader("")).toEqual([]);
  });
});

describe(mergeBetas.name, () => {
  it("keeps the first position of each name and never drops one", () => {
    expect(mergeBetas(["b", "a"], ["a", "c"], [" b ", "d"])).toEqual(["b", "a", "c", "d"]);
  });
});

describe(mergeBetaHeader.name, () => {
  it("appends missing betas after the existing ones", () => {
    expect(mergeBetaHeader("files-api-2025-04-14, oauth-2025-04-20", [OAUTH_BETA, EXTENDED_CACHE_TTL_BETA])).toBe(
      `files-api-2025-04-14,${OAUTH_BETA},${EXTENDED_CACHE_TTL_BETA}`,
    );
  });

  it("builds a header from nothing", () => {
    expect(mergeBetaHeader(null, [OAUTH_BETA])).toBe(OAUTH_BETA);
    expect(mergeBetaHeader(null, [])).toBe("");
  });
});
