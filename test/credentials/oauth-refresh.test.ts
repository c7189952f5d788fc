import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { needsRefresh, refreshStoredOAuth, type RefreshStoredOAuthOptions } from "../../src/credentials/oauth/refresh.js";
import { RefreshError } from "../../src/credentials/oauth/refresh-error.js";
import { createSingleFlight } from "../../src/credentials/single-flight.js";
import { DEFAULT_CLIENT_ID, requestTokenRefresh } from "../../src/credentials/oauth/token-endpoint.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import type { OAuthProfile, ProfileStore, StoredCredential } from "../../src/model/store.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer, type TokenBehaviour } from "../helpers/fake-token-server.js";
import { expectNoSecrets, rejectionOf } from "./oauth/no-secrets.js";
import { makeTempDir, readText, runChild, writeJson } from "./oauth/support.js";

const NOW = 1_767_000_000_000;
const MARGIN_MS = 5 * 60_000;
const ID = "anthropic:me@example.com";

let server: FakeTokenServer;
let dir: string;
let cleanup: () => Promise<void>;
let path: string;
let oldAccess: string;
let oldRefresh: string;

beforeEach(async () => {
  server = await startFakeTokenServer();
  ({ dir, cleanup } = await makeTempDir());
  path = join(dir, "auth-profiles.json");
  oldAccess = fakeAccessToken();
  oldRefresh = server.issueRefreshToken();
});
afterEach(async () => {
  await server.close();
  await cleanup();
});

function storeDocument(expires: number, extraStats: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    profiles: {
      [ID]: {
        type: "oauth",
        provider: "anthropic",
        access: oldAccess,
        refresh: oldRefresh,
        expires,
        email: "me@example.com",
        clientId: DEFAULT_CLIENT_ID,
        accountId: "acct_123",
        futureField: { nested: true },
      },
      "anthropic:manual": { type: "token", provider: "anthropic", token: `sk-ant-oat01-${"m".repeat(80)}` },
    },
    order: { anthropic: [ID, "anthropic:manual"] },
    usageStats: { [ID]: { lastUsed: NOW - 10_000, errorCount: 1, ...extraStats } },
    gatewayNote: "kept",
  };
}

function options(store: ProfileStore, overrides: Partial<RefreshStoredOAuthOptions> = {}): RefreshStoredOAuthOptions {
  return {
    store,
    profileId: ID,
    now: () => NOW,
    refreshMarginMs: MARGIN_MS,
    endpoint: (refreshToken) =>
      requestTokenRefresh({ fetch, tokenUrl: server.url, clientId: DEFAULT_CLIENT_ID, refreshToken, now: () => NOW, timeoutMs: 5_000, profileId: ID }),
    ...overrides,
  };
}

function oauthOf(credential: StoredCredential): OAuthProfile {
  if (credential.type !== "oauth") throw new Error(`expected oauth, got ${credential.type}`);
  return credential;
}

describe(needsRefresh.name, () => {
  it("is false outside the margin, true inside it, after expiry and when forced", () => {
    expect(needsRefresh({ expires: NOW + MARGIN_MS + 1 }, NOW, MARGIN_MS, false)).toBe(false);
    expect(needsRefresh({ expires: NOW + MARGIN_MS }, NOW, MARGIN_MS, false)).toBe(true);
    expect(needsRefresh({ expires: NOW - 1 }, NOW, MARGIN_MS, false)).toBe(true);
    expect(needsRefresh({ expires: NOW + 86_400_000 }, NOW, MARGIN_MS, true)).toBe(true);
    expect(needsRefresh({ expires: Number.NaN }, NOW, MARGIN_MS, false)).toBe(true);
  });
});

describe(refreshStoredOAuth.name, () => {
  it("stores the rotated pair and keeps every other field", async () => {
    await writeJson(path, storeDocument(NOW - 1_000));
    const store = createFileProfileStore({ path });
    const result = oauthOf(await refreshStoredOAuth(options(store)));

    expect(server.count).toBe(1);
    expect(result.access).not.toBe(oldAccess);
    expect(result.refresh).not.toBe(oldRefresh);
    expect(server.isValid(result.refresh)).toBe(true);
    expect(result.expires).toBe(NOW + 28_800_000);

    const stored = JSON.parse(await readText(path)) as Record<string, Record<string, Record<string, unknown>>>;
    const expected = storeDocument(NOW - 1_000) as { profiles: Record<string, Record<string, unknown>> };
    expect(stored.profiles?.[ID]).toEqual({ ...expected.profiles[ID], access: result.access, refresh: result.refresh, expires: result.expires });
    expect(stored.profiles?.["anthropic:manual"]).toEqual(expected.profiles["anthropic:manual"]);
    expect(stored["gatewayNote"]).toBe("kept");
    expect(stored.usageStats?.[ID]).toEqual({ lastUsed: NOW - 10_000, errorCount: 1 });
  });

  it("refreshes a token that expires within the margin", async () => {
    await writeJson(path, storeDocument(NOW + MARGIN_MS - 1));
    await refreshStoredOAuth(options(createFileProfileStore({ path })));
    expect(server.count).toBe(1);
  });

  it("makes no request and no write when the stored token is still fresh", async () => {
    const before = await writeJson(path, storeDocument(NOW + 3_600_000));
    const result = oauthOf(await refreshStoredOAuth(options(createFileProfileStore({ path }))));
    expect(server.count).toBe(0);
    expect(result.access).toBe(oldAccess);
    expect(await readText(path)).toBe(before);
  });

  it("refreshes a fresh token when forced with the access token the caller saw", async () => {
    await writeJson(path, storeDocument(NOW + 3_600_000));
    const result = oauthOf(await refreshStoredOAuth(options(createFileProfileStore({ path }), { force: true, seenAccess: oldAccess })));
    expect(server.count).toBe(1);
    expect(result.access).not.toBe(oldAccess);
  });

  it("uses another process's newer token instead of forcing a second refresh", async () => {
    const before = await writeJson(path, storeDocument(NOW + 3_600_000));
    const staleSeen = fakeAccessToken();
    const result = oauthOf(await refreshStoredOAuth(options(createFileProfileStore({ path }), { force: true, seenAccess: staleSeen })));
    expect(server.count).toBe(0);
    expect(result.access).toBe(oldAccess);
    expect(await readText(path)).toBe(before);
  });

  it("honours and clears a forceRefresh flag left by a 401 in another process", async () => {
    await writeJson(path, storeDocument(NOW + 3_600_000, { forceRefresh: true }));
    await refreshStoredOAuth(options(createFileProfileStore({ path })));
    expect(server.count).toBe(1);
    const stored = JSON.parse(await readText(path)) as { usageStats: Record<string, Record<string, unknown>> };
    expect(stored.usageStats[ID]).toEqual({ lastUsed: NOW - 10_000, errorCount: 1 });
  });

  it("fails with NO_CREDENTIALS when the profile is gone", async () => {
    await writeJson(path, { version: 1, profiles: {} });
    const error = await rejectionOf(() => refreshStoredOAuth(options(createFileProfileStore({ path }))));
    expect(isAuthProfilesError(error) && error.code).toBe("NO_CREDENTIALS");
    expect((error as Error).message).toBe(`No credentials found for profile "${ID}".`);
  });

  it("returns a profile that is no longer OAuth as is, without a request", async () => {
    const token = `sk-ant-oat01-${"t".repeat(80)}`;
    await writeJson(path, { version: 1, profiles: { [ID]: { type: "token", provider: "anthropic", token } } });
    const result = await refreshStoredOAuth(options(createFileProfileStore({ path })));
    expect(result).toEqual({ type: "token", provider: "anthropic", token });
    expect(server.count).toBe(0);
  });

  const failures: ReadonlyArray<readonly [string, TokenBehaviour]> = [
    ["invalid_grant", { kind: "invalid_grant" }],
    ["a 500", { kind: "status", status: 500 }],
    ["an HTML page", { kind: "html" }],
    ["truncated JSON", { kind: "truncated" }],
    ["a connection closed mid-body", { kind: "cut" }],
    ["an oversized body", { kind: "oversized" }],
    ["a reset connection", { kind: "reset" }],
    ["a hanging endpoint", { kind: "hang" }],
  ];

  it.each(failures)("keeps the stored credential byte for byte on %s", async (_name, behaviour) => {
    const before = await writeJson(path, storeDocument(NOW - 1_000, { forceRefresh: true }));
    server.enqueue(behaviour);
    const store = createFileProfileStore({ path });
    const error = await rejectionOf(() =>
      refreshStoredOAuth(
        options(store, {
          endpoint: (refreshToken) =>
            requestTokenRefresh({ fetch, tokenUrl: server.url, clientId: DEFAULT_CLIENT_ID, refreshToken, now: () => NOW, timeoutMs: 300, profileId: ID }),
        }),
      ),
    );
    expect(error).toBeInstanceOf(RefreshError);
    expect((error as RefreshError).code).toBe("OAUTH_REFRESH_FAILED");
    expect((error as Error).message.startsWith(`OAuth token refresh failed for anthropic: ${ID}`)).toBe(true);
    expectNoSecrets(error, [oldAccess, oldRefresh]);
    expect(await readText(path)).toBe(before);
  });

  it("wraps a custom endpoint's plain error as OAUTH_REFRESH_FAILED and writes nothing", async () => {
    const before = await writeJson(path, storeDocument(NOW - 1_000));
    const error = await rejectionOf(() =>
      refreshStoredOAuth(options(createFileProfileStore({ path }), { endpoint: () => Promise.reject(new Error(`boom with ${oldRefresh}`)) })),
    );
    expect((error as RefreshError).code).toBe("OAUTH_REFRESH_FAILED");
    expect((error as RefreshError).kind).toBe("unknown");
    expectNoSecrets(error, [oldRefresh]);
    expect(await readText(path)).toBe(before);
  });

  it("runs inside the store's refresh lock when the store has one", async () => {
    await writeJson(path, storeDocument(NOW - 1_000));
    const file = createFileProfileStore({ path });
    const locked: string[] = [];
    const store: ProfileStore = {
      path: file.path,
      read: () => file.read(),
      update: (mutator) => file.update(mutator),
      watch: (onChange) => file.watch(onChange),
      withRefreshLock: async (profileId, work) => {
        locked.push(`enter ${profileId}`);
        try {
          return await work();
        } finally {
          locked.push(`leave ${profileId} after ${server.count} request(s)`);
        }
      },
    };
    await refreshStoredOAuth(options(store));
    expect(locked).toEqual([`enter ${ID}`, `leave ${ID} after 1 request(s)`]);
  });

  it("sends one token request for 1000 concurrent single-flight callers", async () => {
    await writeJson(path, storeDocument(NOW - 1_000));
    const store = createFileProfileStore({ path });
    const flights = createSingleFlight<string, StoredCredential>();
    const results = await Promise.all(Array.from({ length: 1000 }, () => flights.run(ID, () => refreshStoredOAuth(options(store)))));
    expect(server.count).toBe(1);
    const accesses = new Set(results.map((r) => oauthOf(r).access));
    expect(accesses.size).toBe(1);
    expect(flights.has(ID)).toBe(false);
  });

  it("sends one token request when 20 store objects refresh at once without single flight", { timeout: 300_000 }, async () => {
    await writeJson(path, storeDocument(NOW - 1_000));
    const results = await Promise.all(Array.from({ length: 20 }, () => refreshStoredOAuth(options(createFileProfileStore({ path })))));
    expect(server.count).toBe(1);
    expect(new Set(results.map((r) => oauthOf(r).access)).size).toBe(1);
  });

  it("sends one token request in total when 8 processes refresh one expired profile", { timeout: 300_000 }, async () => {
    await writeJson(path, storeDocument(NOW - 1_000));
    const children = await Promise.all(Array.from({ length: 8 }, () => runChild("refresh-child.ts", [path, ID, server.url, String(NOW)])));
    for (const child of children) {
      expect(child.stderr).toBe("");
      expect(child.code).toBe(0);
    }
    expect(server.count).toBe(1);
    const seen = new Set(children.map((c) => (JSON.parse(c.stdout) as { access: string }).access));
    const stored = JSON.parse(await readText(path)) as { profiles: Record<string, OAuthProfile> };
    expect([...seen]).toEqual([stored.profiles[ID]?.access]);
    expect(stored.profiles[ID]?.access).not.toBe(oldAccess);
  });
});
