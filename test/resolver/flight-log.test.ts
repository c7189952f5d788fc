import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FlightLog } from "../../src/resolver/flight-log.js";

/** The array the ring replaced: the reference it must agree with. */
class ArrayLog {
  readonly at: number[] = [];
  constructor(readonly capacity: number) {}
  push(t: number): void {
    if (this.at.length >= this.capacity) this.at.shift();
    this.at.push(t);
  }
  dropOldest(): void {
    this.at.shift();
  }
  prune(before: number): void {
    while (this.at.length > 0 && (this.at[0] ?? before) <= before) this.at.shift();
  }
}

type Step = { readonly kind: "push" | "drop" | "prune"; readonly t: number };

describe("FlightLog", () => {
  it("starts empty", () => {
    const log = new FlightLog(4);
    expect(log.size).toBe(0);
    expect(log.oldest()).toBeUndefined();
    log.dropOldest();
    expect(log.size).toBe(0);
  });

  it("drops the oldest when full, keeping the newest `capacity` flights", () => {
    const log = new FlightLog(3);
    for (const t of [1, 2, 3, 4, 5]) log.push(t);
    expect(log.size).toBe(3);
    expect(log.oldest()).toBe(3);
    log.prune(4);
    expect(log.size).toBe(1);
    expect(log.oldest()).toBe(5);
  });

  it("agrees with an array of flights for any sequence of pushes, drops and prunes", () => {
    const step = fc.record({ kind: fc.constantFrom("push", "drop", "prune"), t: fc.integer({ min: 0, max: 1_000 }) }) as fc.Arbitrary<Step>;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(step, { maxLength: 200 }), (capacity, steps) => {
        const ring = new FlightLog(capacity);
        const ref = new ArrayLog(capacity);
        let clock = 0;
        for (const s of steps) {
          if (s.kind === "push") {
            clock += s.t % 50; // picks come in time order
            ring.push(clock);
            ref.push(clock);
          } else if (s.kind === "drop") {
            ring.dropOldest();
            ref.dropOldest();
          } else {
            ring.prune(clock - s.t);
            ref.prune(clock - s.t);
          }
          expect(ring.size).toBe(ref.at.length);
          expect(ring.oldest()).toBe(ref.at[0]);
        }
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});
