// Rule 7 of the quota issue: half-open recovery.
import { describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { ask, key, quotaClient, rawUsage, saveProfiles, useQuotaSuite } from "./support.js";

const A = "anthropic:a";
const B = "anthropic:b";

const suite = useQuotaSuite();

describe("half-open recovery", () => {
  it("tries the profile whose window ends soonest once when every profile is unusable, and a success clears its state", async () => {
    await saveProfiles(suite.fx, "a", "b");
    suite.server.setBehavior(key("a"), { sequence: [{ status: 429, retryAfterSec: 600 }, { status: 200 }] });
    suite.server.setBehavior(key("b"), { status: 402 });
    const client = quotaClient(suite.fx, [A, B]);
    const first = await ask(client).catch((e: unknown) => e);
    expect(isAuthProfilesError(first) && first.code).toBe("NO_AVAILABLE_PROFILE");
    await ask(client);
    expect(suite.credentials()).toEqual([key("a"), key("b"), key("a")]);
    await client.authResolver.close();
    const usage = await rawUsage(suite.fx, A);
    expect(usage?.cooldownUntil).toBeUndefined();
    expect(usage?.familyCooldowns).toBeUndefined();
  });

  it("probes at most once per 30 s: a failed probe does not turn every call into a request", async () => {
    await saveProfiles(suite.fx, "a");
    suite.server.setBehavior(key("a"), { status: 529 });
    const client = quotaClient(suite.fx, [A]);
    await ask(client).catch(() => undefined);
    await ask(client).catch(() => undefined); // the probe
    const third = await ask(client).catch((e: unknown) => e);
    expect(isAuthProfilesError(third) && third.code).toBe("NO_AVAILABLE_PROFILE");
    expect(suite.credentials()).toEqual([key("a"), key("a")]);
  });

  it("is off with halfOpen: false", async () => {
    await saveProfiles(suite.fx, "a");
    suite.server.setBehavior(key("a"), { status: 529 });
    const client = quotaClient(suite.fx, [A], { halfOpen: false });
    await ask(client).catch(() => undefined);
    const second = await ask(client).catch((e: unknown) => e);
    expect(isAuthProfilesError(second) && second.code).toBe("NO_AVAILABLE_PROFILE");
    expect(suite.credentials()).toEqual([key("a")]);
  });
});
