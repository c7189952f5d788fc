// Rule 7 of the quota issue: half-open recovery.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { makeTmpHome } from "../helpers/tmp-home.js";
import { ask, key, ManualClock, quotaClient, rawUsage, saveProfiles, type QuotaFixture } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";

let server: FakeAnthropic;
const clock = new ManualClock();
let fx: QuotaFixture;

beforeAll(async () => {
  server = await startFakeAnthropic({ now: () => clock.now });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  clock.now = Date.UTC(2026, 11, 1, 12, 0, 0);
  fx = { server, clock, tmp: await makeTmpHome({ createStateDir: true }), clients: [] };
});
afterEach(async () => {
  await Promise.all(fx.clients.splice(0).map((c) => c.authResolver.close()));
  server.reset();
  await fx.tmp.cleanup();
});

const credentials = () => server.requests.map((r) => r.credential);

describe("half-open recovery", () => {
  it("tries the profile whose window ends soonest once when every profile is unusable, and a success clears its state", async () => {
    await saveProfiles(fx, "a", "b");
    server.setBehavior(key("a"), { sequence: [{ status: 429, retryAfterSec: 600 }, { status: 200 }] });
    server.setBehavior(key("b"), { status: 402 });
    const client = quotaClient(fx, [A, B]);
    const first = await ask(client).catch((e: unknown) => e);
    expect(isAuthProfilesError(first) && first.code).toBe("NO_AVAILABLE_PROFILE");
    await ask(client);
    expect(credentials()).toEqual([key("a"), key("b"), key("a")]);
    await client.authResolver.close();
    const usage = await rawUsage(fx, A);
    expect(usage?.cooldownUntil).toBeUndefined();
    expect(usage?.familyCooldowns).toBeUndefined();
  });

  it("probes at most once per 30 s: a failed probe does not turn every call into a request", async () => {
    await saveProfiles(fx, "a");
    server.setBehavior(key("a"), { status: 529 });
    const client = quotaClient(fx, [A]);
    await ask(client).catch(() => undefined);
    await ask(client).catch(() => undefined); // the probe
    const third = await ask(client).catch((e: unknown) => e);
    expect(isAuthProfilesError(third) && third.code).toBe("NO_AVAILABLE_PROFILE");
    expect(credentials()).toEqual([key("a"), key("a")]);
  });

  it("is off with halfOpen: false", async () => {
    await saveProfiles(fx, "a");
    server.setBehavior(key("a"), { status: 529 });
    const client = quotaClient(fx, [A], { halfOpen: false });
    await ask(client).catch(() => undefined);
    const second = await ask(client).catch((e: unknown) => e);
    expect(isAuthProfilesError(second) && second.code).toBe("NO_AVAILABLE_PROFILE");
    expect(credentials()).toEqual([key("a")]);
  });
});
