// Watches a store through a caller-owned client, then disconnects the client without stopping the
// watch: the process must still exit on its own (the poll timer is unref'd).
import { Redis } from "ioredis";
import { createRedisProfileStore } from "../../../src/redis.js";

const [url = ""] = process.argv.slice(2);
const client = new Redis(url);
const store = createRedisProfileStore({ client, keyPrefix: "watch-exit:" });
await store.read();
store.watch(() => undefined);
client.disconnect();
process.stdout.write("watching\n");
