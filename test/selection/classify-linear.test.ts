import { APIError } from "@anthropic-ai/sdk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyFailure, MAX_CLASSIFIED_CHARS } from "../../src/selection/classify.js";
import { messagePatterns } from "../../src/selection/message-patterns.js";
import { PATIENCE_MS } from "../helpers/eventually.js";
import { FC_SEED } from "../reliability/arbitraries.js";

const MIB = 1_048_576;

/** Texts that made the old billing pattern (`billing.*(upgrade|plans)`) backtrack, and friends. */
const ADVERSARIAL_UNITS = ["billing ", "billing", "upgrade ", "plan", " ", "\n", "a", "rate", "image ", "time", "4", "0", "tool_use", "invalid "];

function unexpectedStatusError(message: string): Error {
  return Object.assign(new Error(message), { status: 418 });
}

describe(`${classifyFailure.name} in linear time`, () => {
  it("reads only the first MAX_CLASSIFIED_CHARS characters: what follows never changes the verdict", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ADVERSARIAL_UNITS), { minLength: 0, maxLength: 600 }),
        fc.constantFrom("rate limit", "billing upgrade", "Overloaded", "timed out", "invalid x-api-key", ""),
        (units, tail) => {
          const head = units.join("").padEnd(MAX_CLASSIFIED_CHARS, "x").slice(0, MAX_CLASSIFIED_CHARS);
          expect(classifyFailure(new Error(head + tail))).toBe(classifyFailure(new Error(head)));
        },
      ),
      { numRuns: 300, seed: FC_SEED },
    );
  });

  it("uses message patterns without nested quantifiers or a wildcard run between alternatives", () => {
    for (const pattern of messagePatterns()) {
      expect(pattern.source, pattern.source).not.toMatch(/\.\*|\.\+/);
      expect(pattern.source, pattern.source).not.toMatch(/\([^()]*[*+][^()]*\)[*+{]/);
    }
  });

  it("classifies long adversarial messages like the same message cut to the bound", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ADVERSARIAL_UNITS), fc.constantFrom(...ADVERSARIAL_UNITS), fc.integer({ min: 1, max: 64 }), (a, b, kib) => {
        const message = (a + b).repeat(Math.ceil((kib * 1024) / (a + b).length));
        const expected = classifyFailure(unexpectedStatusError(message.slice(0, MAX_CLASSIFIED_CHARS)));
        expect(classifyFailure(unexpectedStatusError(message))).toBe(expected);
        expect(classifyFailure(APIError.generate(418, { error: { type: "x", message } }, undefined, new Headers()))).toBe(expected);
      }),
      { numRuns: 60, seed: FC_SEED },
    );
  });

  // The old billing pattern needed 823 s for this; the bounded classifier takes well under 1 ms.
  // The work is synchronous, so vitest's timeout cannot stop it: the bound below is a hang guard
  // (PATIENCE_MS, 14× below the old pattern, far above any machine at load 8), not a speed test.
  it("classifies a 1 MiB 'billing billing …' message of an unmapped status without the old pattern's blow-up", () => {
    const message = "billing ".repeat(MIB / 8);
    const started = performance.now();
    expect(classifyFailure(unexpectedStatusError(message))).toBe("format");
    expect(performance.now() - started).toBeLessThan(PATIENCE_MS);
  });
});
