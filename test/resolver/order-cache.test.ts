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
});
