import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { parseStore, serializeStore } from "../../src/store/format.js";
import { validateStore } from "../../src/store/validate.js";
import { FC_SEED, storeValue } from "../reliability/arbitraries.js";

const FILE = "/s/agents/main/agent/auth-profiles.json";

/** Runs `work`; a typed STORE_INVALID means "refused", anything else is a defect. */
function refusedOr<T>(work: () => T): T | "refused" {
  try {
    return work();
  } catch (error) {
    if (isAuthProfilesError(error) && error.code === "STORE_INVALID") return "refused";
    throw error;
  }
}

/** Numbers JSON cannot hold, planted anywhere in a document. */
const withNonFinite = fc.tuple(storeValue, fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN)).map(([value, bad]) =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, usageStats: { "anthropic:x": { lastUsed: bad } } } : value,
);

describe("store documents the library writes", () => {
  it("always read back through its own validator, to the same text", () => {
    fc.assert(
      fc.property(fc.oneof(storeValue, withNonFinite), (value) => {
        const checked = refusedOr(() => validateStore(value, FILE, "write"));
        if (checked === "refused") return;
        const text = serializeStore(checked);
        const reread = parseStore(text, FILE);
        expect(serializeStore(reread)).toBe(text);
      }),
      { numRuns: 600, seed: FC_SEED },
    );
  });

  it("refuses to write a document holding Infinity or NaN, naming the JSON path", () => {
    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN]) {
      const data = { version: 1, profiles: {}, usageStats: { "anthropic:x": { lastUsed: bad } } };
      expect(() => validateStore(data, FILE, "write")).toThrow(expect.objectContaining({ code: "STORE_INVALID", details: expect.objectContaining({ jsonPath: 'usageStats["anthropic:x"].lastUsed', reason: "non_finite" }) }));
    }
  });

  it("rewrite what they read to the same text, odd entries included", () => {
    fc.assert(
      fc.property(storeValue, (value) => {
        const text = `${JSON.stringify(value, null, 2) ?? "null"}\n`;
        const read = refusedOr(() => parseStore(text, FILE));
        if (read === "refused") return;
        const written = serializeStore(read);
        expect(serializeStore(parseStore(written, FILE))).toBe(written);
        expect(JSON.parse(written)).toEqual({ profiles: {}, ...(JSON.parse(text) as object) });
      }),
      { numRuns: 600, seed: FC_SEED },
    );
  });
});
