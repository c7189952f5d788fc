import { readFile } from "node:fs/promises";
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError } from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createAnthropicClient, type AuthProfilesClient } from "../../src/anthropic/client.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolver } from "../../src/resolver/types.js";
import { parseStore } from "../../src/store/format.js";
import { saveApiKey } from "../../src/writers/save.js";
import { startFakeAnthropic, type FakeAnthropic, type FakeSingleBehavior } from "../helpers/fake-anthropic.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer, type TokenBehaviour } from "../helpers/fake-token-server.js";
import { SECRETS, viewsOf, leaksIn } from "./secrets.js";
import { makeTempDir, NOW, storePathIn, writeJsonPrivate } from "./support.js";

/** The timeouts while the server misbehaves: the faults that answer late answer after 5 s. */
const TOKEN_TIMEOUT_MS = 500;
const SDK_TIMEOUT_MS = 500;
/** The timeout of the calls that must succeed once the server is back: a hang guard, not a speed test. */
const RECOVERY_TIMEOUT_MS = 60_000;
const HOUR_MS = 3_600_000;
const MODEL = "claude-sonnet-4-6";

let dir: string;
let cleanup: () => Promise<void>;
let clock: { now: number };
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  clock = { now: NOW };
});
afterEach(() => cleanup());

/** Runs `fn` and returns what it threw. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("the OAuth token endpoint misbehaving", () => {
  let server: FakeTokenServer;
  const resolvers: AuthResolver[] = [];
  beforeAll(async () => {
    server = await startFakeTokenServer();
  });
  afterAll(() => server.close());
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((r) => r.close()));
    server.setDefault({ kind: "ok" });
  });

  const faults: readonly [string, TokenBehaviour][] = [
    ["hangs", { kind: "hang" }],
    ["trickles the body past the timeout", { kind: "slow", delayMs: 5_000 }],
    // Without rotation: a rotating server spends the token on receipt (see the test below).
    ["answers 200 only after the timeout", { kind: "ok", delayMs: 5_000, rotate: false }],
    ["resets the connection", { kind: "reset" }],
    ["answers an HTML page", { kind: "html" }],
    ["answers a 502 HTML page", { kind: "html", status: 502 }],
    ["answers truncated JSON", { kind: "truncated" }],
    ["cuts the connection mid-body", { kind: "cut" }],
    ["answers 500", { kind: "status", status: 500 }],
    ["answers 503 with a text body", { kind: "status", status: 503, body: "upstream connect error", contentType: "text/plain" }],
    ["answers an oversized body", { kind: "oversized" }],
  ];

  it.each(faults)("gives OAUTH_REFRESH_FAILED when it %s, keeps the stored login, and the next refresh succeeds", async (_name, fault) => {
    const refresh = server.issueRefreshToken();
    const access = fakeAccessToken();
    const path = storePathIn(dir);
    const login = { type: "oauth", provider: "anthropic", access, refresh, expires: NOW - 1 };
    await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:me": login } });
    // The resolver reads `oauth.timeoutMs` at each refresh: short while the server misbehaves,
    // long for the refresh that must succeed once it is back.
    const oauth = { tokenUrl: server.url, timeoutMs: TOKEN_TIMEOUT_MS };
    const resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => clock.now, fetch, oauth });
    resolvers.push(resolver);

    server.setDefault(fault);
    const error = await thrown(() => resolver.resolve());
    expect(isAuthProfilesError(error) && error.code).toBe("OAUTH_REFRESH_FAILED");
    expect(leaksIn(viewsOf(error).join("\n"), [access, refresh])).toEqual([]);
    // The old login stays on disk (its refresh token was not spent), and the profile rests.
    expect(parseStore(await readFile(path, "utf8"), path).profiles["anthropic:me"]).toEqual(login);
    expect((await resolver.status()).auth.unusableProfiles.map((u) => u.profileId)).toEqual(["anthropic:me"]);

    // The server is back. The failed refresh cooled the profile down (with the injected clock),
    // so the next call comes after the cooldown.
    server.setDefault({ kind: "ok" });
    oauth.timeoutMs = RECOVERY_TIMEOUT_MS;
    clock.now += HOUR_MS;
    const auth = await resolver.resolve();
    expect(auth.profileId).toBe("anthropic:me");
    expect(auth.secret).not.toBe(access);
    expect(auth.expiresAt).toBe(clock.now + 28_800_000);
  });

  it("cannot recover a refresh token the server spent while the answer timed out: invalid_grant names the cause", async () => {
    const refresh = server.issueRefreshToken();
    await writeJsonPrivate(storePathIn(dir), { version: 1, profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh, expires: NOW - 1 } } });
    // The resolver reads `oauth.timeoutMs` at each refresh: short while the server misbehaves,
    // long for the refresh that must succeed once it is back.
    const oauth = { tokenUrl: server.url, timeoutMs: TOKEN_TIMEOUT_MS };
    const resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => clock.now, fetch, oauth });
    resolvers.push(resolver);
    server.setDefault({ kind: "ok", delayMs: 5_000 });
    expect(await thrown(() => resolver.resolve())).toMatchObject({ code: "OAUTH_REFRESH_FAILED", details: { kind: "timeout" } });
    expect(server.isValid(refresh)).toBe(false);
    server.setDefault({ kind: "ok" });
    oauth.timeoutMs = RECOVERY_TIMEOUT_MS;
    clock.now += HOUR_MS;
    const error = await thrown(() => resolver.resolve());
    expect(error).toMatchObject({ code: "OAUTH_REFRESH_FAILED", details: { oauthError: "invalid_grant" } });
    expect(isAuthProfilesError(error) && error.hint).toContain("claude setup-token");
  });

  it("recovers at once through an explicit profileId, which skips the cooldown", async () => {
    const refresh = server.issueRefreshToken();
    await writeJsonPrivate(storePathIn(dir), { version: 1, profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh, expires: NOW - 1 } } });
    // The resolver reads `oauth.timeoutMs` at each refresh: short while the server misbehaves,
    // long for the refresh that must succeed once it is back.
    const oauth = { tokenUrl: server.url, timeoutMs: TOKEN_TIMEOUT_MS };
    const resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => clock.now, fetch, oauth });
    resolvers.push(resolver);
    server.setDefault({ kind: "hang" });
    expect(await thrown(() => resolver.resolve({ profileId: "anthropic:me" }))).toMatchObject({ code: "OAUTH_REFRESH_FAILED" });
    server.setDefault({ kind: "ok" });
    oauth.timeoutMs = RECOVERY_TIMEOUT_MS;
    expect((await resolver.resolve({ profileId: "anthropic:me" })).profileId).toBe("anthropic:me");
  });
});

describe("the Messages API misbehaving", () => {
  let api: FakeAnthropic;
  const clients: AuthProfilesClient[] = [];
  beforeAll(async () => {
    api = await startFakeAnthropic();
  });
  afterAll(() => api.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.authResolver.close()));
    api.reset();
  });

  async function client(): Promise<AuthProfilesClient> {
    await saveApiKey({ stateDir: dir, configPath: false, env: {}, key: SECRETS.apiKey });
    const created = createAnthropicClient({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => clock.now, clientOptions: { baseURL: api.url, timeout: SDK_TIMEOUT_MS, maxRetries: 0 } });
    clients.push(created);
    return created;
  }

  // The client's timeout is SDK_TIMEOUT_MS; a call that must succeed passes RECOVERY_TIMEOUT_MS.
  const create = (c: AuthProfilesClient, timeout?: number) =>
    c.messages.create({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "Hi" }] }, timeout === undefined ? {} : { timeout });
  const stream = (c: AuthProfilesClient, timeout?: number) =>
    c.messages.stream({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "Hi" }] }, timeout === undefined ? {} : { timeout }).finalMessage();

  const faults: readonly [string, FakeSingleBehavior, abstract new (...args: never[]) => Error][] = [
    ["hangs", { hang: true }, APIConnectionTimeoutError],
    ["answers after the timeout", { delayMs: 5_000 }, APIConnectionTimeoutError],
    ["resets the connection", { reset: true }, APIConnectionError],
    ["answers a 502 HTML page", { html: true }, APIError],
  ];
  const streamFaults: typeof faults = [...faults, ["cuts the body halfway", { truncated: true }, AnthropicError]];

  it.each(faults)("throws a typed SDK error when it %s, and the next call succeeds once it is back", async (_name, fault, type) => {
    const anthropic = await client();
    api.setBehavior(SECRETS.apiKey, fault);
    const error = await thrown(() => create(anthropic));
    expect(error).toBeInstanceOf(type);
    expect(leaksIn(viewsOf(error).join("\n"))).toEqual([]);
    api.setBehavior(SECRETS.apiKey, { status: 200 });
    expect((await create(anthropic, RECOVERY_TIMEOUT_MS)).type).toBe("message");
  });

  it("recovers after a JSON body cut halfway", async () => {
    const anthropic = await client();
    api.setBehavior(SECRETS.apiKey, { truncated: true });
    expect(await thrown(() => create(anthropic))).toBeInstanceOf(Error);
    api.setBehavior(SECRETS.apiKey, { status: 200 });
    expect((await create(anthropic, RECOVERY_TIMEOUT_MS)).type).toBe("message");
  });

  // Regression: a cut JSON body once surfaced as undici's bare `TypeError: terminated`; it is now an
  // APIConnectionError (not retried by the SDK: the body is read after fetch returned).
  it("gives an SDK error type, not a bare TypeError, for a JSON body cut halfway", async () => {
    const anthropic = await client();
    api.setBehavior(SECRETS.apiKey, { truncated: true });
    expect(await thrown(() => create(anthropic))).toBeInstanceOf(AnthropicError);
  });

  it.each(streamFaults)("throws a typed SDK error from a stream when it %s, and the next stream succeeds", async (_name, fault, type) => {
    const anthropic = await client();
    api.setBehavior(SECRETS.apiKey, fault);
    const error = await thrown(() => stream(anthropic));
    expect(error).toBeInstanceOf(type);
    api.setBehavior(SECRETS.apiKey, { status: 200 });
    expect((await stream(anthropic, RECOVERY_TIMEOUT_MS)).type).toBe("message");
  });
});
