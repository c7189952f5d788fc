import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisProfileStore } from "../../src/redis.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { spawnWorker } from "./support.js";

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.dispose();
});

describe(createRedisProfileStore.name, () => {
  it("loses no update when 4 hosts make 50 updates each at once", async () => {
    const hosts = ["h1", "h2", "h3", "h4"].map((hostId) => ({ hostId, worker: spawnWorker("update-host", [server.url, "hosts:", hostId, "50"]) }));
    await Promise.all(hosts.map(({ worker }) => worker.waitForLine("ready")));
    for (const { worker } of hosts) worker.send("go");
    const exits = await Promise.all(hosts.map(({ worker }) => worker.exited));
    expect(exits.map((exit) => [exit.code, exit.stderr])).toEqual(hosts.map(() => [0, ""]));

    const store = createRedisProfileStore({ url: server.url, keyPrefix: "hosts:" });
    try {
      const data = await store.read();
      expect(data.counter).toBe(200);
      expect(data.hosts).toEqual({ h1: 50, h2: 50, h3: 50, h4: 50 });
    } finally {
      await store.close();
    }
    const admin = new Redis(server.url);
    expect(await admin.hget("hosts:main:store", "version")).toBe("200");
    admin.disconnect();
  }, 300_000);

  it("does not keep a host process alive while it watches", async () => {
    const host = spawnWorker("watch-host", [server.url]);
    await host.waitForLine("watching");
    const hung = setTimeout(() => host.kill("SIGKILL"), 10_000);
    const exit = await host.exited;
    clearTimeout(hung);
    expect([exit.code, exit.stderr]).toEqual([0, ""]);
  }, 300_000);
});
