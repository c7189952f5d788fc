// One "gateway host": waits for "go", then makes <count> concurrent counter updates.
import { createRedisProfileStore } from "../../../src/redis.js";
import type { StoreData } from "../../../src/model/store.js";
import { nextStdinLine } from "./stdin.js";

const [url = "", keyPrefix = "", hostId = "", count = "0"] = process.argv.slice(2);
const store = createRedisProfileStore({ url, keyPrefix });
await store.read();
process.stdout.write("ready\n");
await nextStdinLine();

const bump = (current: StoreData): StoreData => {
  const hosts = (current.hosts ?? {}) as Readonly<Record<string, number>>;
  const counter = typeof current.counter === "number" ? current.counter : 0;
  return { ...current, counter: counter + 1, hosts: { ...hosts, [hostId]: (hosts[hostId] ?? 0) + 1 } };
};
let mostRuns = 0;
await Promise.all(
  Array.from({ length: Number(count) }, async () => {
    let runs = 0;
    await store.update((current) => {
      runs += 1;
      return { data: bump(current), result: null };
    });
    mostRuns = Math.max(mostRuns, runs);
  }),
);
// How often one update's mutator ran at most (1 + conflicts), for diagnosing contention.
process.stdout.write(`done ${hostId} mostRuns=${mostRuns}\n`);
await store.close();
