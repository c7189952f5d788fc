import { describe, expect, it } from "vitest";
import { createSingleFlight } from "../../../src/credentials/single-flight.js";

/** A promise with its resolve/reject exposed. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe(createSingleFlight.name, () => {
  it("runs the work once for ten concurrent callers with the same key", async () => {
    const flights = createSingleFlight<string, number>();
    const gate = deferred<number>();
    let runs = 0;
    const work = (): Promise<number> => {
      runs += 1;
      return gate.promise;
    };
    const callers = Array.from({ length: 10 }, () => flights.run("a", work));
    gate.resolve(42);
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 10 }, () => 42));
    expect(runs).toBe(1);
  });

  it("runs separately for different keys", async () => {
    const flights = createSingleFlight<string, string>();
    const results = await Promise.all([flights.run("a", async () => "A"), flights.run("b", async () => "B")]);
    expect(results).toEqual(["A", "B"]);
  });

  it("forgets a run once it settles, so the next caller starts fresh work", async () => {
    const flights = createSingleFlight<string, number>();
    let runs = 0;
    const work = async (): Promise<number> => ++runs;
    expect(await flights.run("a", work)).toBe(1);
    expect(flights.has("a")).toBe(false);
    expect(await flights.run("a", work)).toBe(2);
  });

  it("shares a failure with every joined caller and never caches it", async () => {
    const flights = createSingleFlight<string, number>();
    const gate = deferred<number>();
    const callers = Array.from({ length: 5 }, () => flights.run("a", () => gate.promise).catch((e: unknown) => e));
    const failure = new Error("refresh failed");
    gate.reject(failure);
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 5 }, () => failure));
    expect(flights.has("a")).toBe(false);
    expect(await flights.run("a", async () => 7)).toBe(7);
  });

  it("turns a synchronous throw into a shared rejection", async () => {
    const flights = createSingleFlight<string, number>();
    const error = await flights
      .run("a", () => {
        throw new Error("sync");
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe("sync");
    expect(flights.has("a")).toBe(false);
  });

  it("never lets a forced caller join an unforced run, but joins forced runs", async () => {
    const flights = createSingleFlight<string, string>();
    const unforcedGate = deferred<string>();
    const forcedGate = deferred<string>();
    let forcedRuns = 0;
    const unforced = flights.run("a", () => unforcedGate.promise);
    const forcedWork = (): Promise<string> => {
      forcedRuns += 1;
      return forcedGate.promise;
    };
    const forced1 = flights.run("a", forcedWork, { force: true });
    const forced2 = flights.run("a", forcedWork, { force: true });
    // An unforced caller arriving now joins the forced run: its result is at least as fresh.
    const lateUnforced = flights.run("a", async () => "late run");
    forcedGate.resolve("forced");
    unforcedGate.resolve("unforced");
    expect(await Promise.all([unforced, forced1, forced2, lateUnforced])).toEqual(["unforced", "forced", "forced", "forced"]);
    expect(forcedRuns).toBe(1);
  });

  it("keeps separate groups independent (no module-level state)", async () => {
    const first = createSingleFlight<string, number>();
    const second = createSingleFlight<string, number>();
    const gate = deferred<number>();
    const a = first.run("a", () => gate.promise);
    expect(second.has("a")).toBe(false);
    expect(await second.run("a", async () => 2)).toBe(2);
    gate.resolve(1);
    expect(await a).toBe(1);
  });
});
