import { describe, expect, it } from "vitest";
import { ProviderOrder } from "../../src/resolver/order-cache.js";

const TYPES: Record<string, number> = { o1: 0, o2: 0, k1: 2, k2: 2, k3: 2 };
const rank = (id: string): number => TYPES[id] ?? 3;
const all = (): boolean => true;

describe(ProviderOrder.name, () => {
  it("rotates the picked head behind the others of its type, like re-sorting by lastUsed", () => {
    const order = new ProviderOrder(["o1", "o2", "k1", "k2", "k3"], [], rank, true);
    expect(order.list(all)).toEqual(["o1", "o2", "k1", "k2", "k3"]);
    order.rotate("o1");
    expect(order.list(all)).toEqual(["o2", "o1", "k1", "k2", "k3"]);
    order.rotate("k1");
    expect(order.list(all)).toEqual(["o2", "o1", "k2", "k3", "k1"]);
  });

  it("moves a profile picked from the middle (a sticky session) to the end of its type", () => {
    const order = new ProviderOrder(["k1", "k2", "k3"], [], rank, true);
    order.rotate("k1");
    order.rotate("k3");
    expect(order.list(all)).toEqual(["k2", "k1", "k3"]);
    expect(order.first(all)).toBe("k2");
  });

  it("keeps an explicit order as written", () => {
    const order = new ProviderOrder(["k2", "o1", "k1"], [], rank, false);
    order.rotate("k2");
    expect(order.list(all)).toEqual(["k2", "o1", "k1"]);
  });

  it("skips ineligible profiles in first() and list()", () => {
    const order = new ProviderOrder(["k1", "k2", "k3"], [], rank, true);
    expect(order.first((id) => id !== "k1")).toBe("k2");
    expect(order.list((id) => id !== "k2")).toEqual(["k1", "k3"]);
  });

  it("matches re-sorting by last use over a long mix of head picks and sticky picks", () => {
    const ids = Array.from({ length: 7 }, (_, i) => `k${i}`);
    const order = new ProviderOrder(ids, [], () => 2, true);
    const reference = [...ids];
    let seed = 7;
    for (let step = 0; step < 500; step += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const picked = seed % 3 === 0 ? (reference[seed % reference.length] as string) : (order.head() as string);
      order.rotate(picked);
      reference.splice(reference.indexOf(picked), 1);
      reference.push(picked);
      expect(order.list(all)).toEqual(reference);
    }
  });
});
