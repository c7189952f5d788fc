import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CLIENT_ID, requestTokenRefresh } from "../../src/credentials/oauth/token-endpoint.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { parseStore } from "../../src/store/format.js";
import { FC_SEED, nastyJson, nastyString } from "./arbitraries.js";
import { startScriptedServer, type Reply, type ScriptedServer } from "./scripted-server.js";
import { ALL_SECRETS, expectTypedError, leaksIn, SECRETS } from "./secrets.js";
import { makeTempDir, NOW, storePathIn, writeJsonPrivate } from "./support.js";

/** A field of a token response: usually right, sometimes any JSON value. */
function field<T>(...right: T[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...right) }, { weight: 1, arbitrary: nastyJson });
}

/** A token response body: well-formed, error-shaped (echoing the refresh token), or junk. */
const body: fc.Arbitrary<string> = fc.oneof(
  fc.record(
    {
      access_token: field(SECRETS.access, ""),
      refresh_token: field(SECRETS.refresh, SECRETS.token, ""),
      expires_in: field<unknown>(28_800, 0, -1, 1e12, "3600", 0.5),
      token_type: field("Bearer"),
    },
    { requiredKeys: [] },
  ).map((value) => JSON.stringify(value)),
  fc.record(
    {
      error: field("invalid_grant", "invalid_request", "rate_limit_error"),
      error_description: field(`Refresh token ${SECRETS.refresh} is invalid`, `Bearer ${SECRETS.access} rejected`, "x".repeat(5_000)),
    },
    { requiredKeys: [] },
  ).map((value) => JSON.stringify(value)),
  fc.record({ type: field("error"), error: fc.record({ type: field("rate_limit_error", "overloaded_error"), message: field(`echo ${SECRETS.refresh}`) }, { requiredKeys: [] }) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  nastyJson.map((value) => JSON.stringify(value) ?? ""),
  nastyString,
  fc.constantFrom("<!doctype html><h1>Just a moment…</h1>", `{"access_token":"${SECRETS.access}","expires_in":36`, ""),
);

/** A valid 2xx token answer, with optional extra fields of any kind (kept out of the result). */
const validReply: fc.Arbitrary<Reply> = fc
  .record({
    status: fc.constantFrom(200, 201),
    access: fc.constantFrom(SECRETS.access, "x"),
    refresh: fc.option(fc.constantFrom(SECRETS.token, "y"), { nil: undefined }),
    expiresIn: fc.oneof(fc.constantFrom(1, 0.5, 28_800, 315_360_000), fc.double({ min: 0.001, max: 315_360_000, noNaN: true })),
    extra: fc.dictionary(nastyString, nastyJson, { maxKeys: 3 }),
  })
  .map(({ status, access, refresh, expiresIn, extra }) => ({
    status,
    body: JSON.stringify({ ...extra, access_token: access, expires_in: expiresIn, ...(refresh === undefined ? {} : { refresh_token: refresh }) }),
  }));

/** A whole answer: a status between 200 and 599, a content type, a body; a valid one 1 time in 4. */
const reply: fc.Arbitrary<Reply> = fc.oneof(
  { weight: 1, arbitrary: validReply },
  {
    weight: 3,
    arbitrary: fc.record({
      status: fc.oneof(fc.constantFrom(200, 201, 204, 400, 401, 403, 429, 500, 502, 503, 529), fc.integer({ min: 200, max: 599 })),
      headers: fc.constantFrom({}, { "content-type": "text/html" }, { "content-type": "text/plain; charset=utf-8" }),
      body,
    }),
  },
);

let server: ScriptedServer;
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  server = await startScriptedServer();
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

describe(`${requestTokenRefresh.name} facing arbitrary answers`, () => {
  it("returns a whole token pair or throws OAUTH_REFRESH_FAILED, never showing a token", async () => {
    const seen = { ok: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(reply, async (answer) => {
        server.answer(() => answer);
        try {
          const result = await requestTokenRefresh({ fetch, tokenUrl: `${server.url}/v1/oauth/token`, clientId: DEFAULT_CLIENT_ID, refreshToken: SECRETS.refresh, now: () => NOW, timeoutMs: 5_000, profileId: "anthropic:me" });
          expect(typeof result.access).toBe("string");
          expect(result.access).not.toBe("");
          expect(typeof result.refresh).toBe("string");
          expect(result.refresh).not.toBe("");
          expect(Number.isFinite(result.expires) && result.expires > NOW).toBe(true);
          expect(leaksIn(JSON.stringify(result), ALL_SECRETS)).toEqual([]);
          seen.ok += 1;
        } catch (error) {
          expectTypedError(error, ["OAUTH_REFRESH_FAILED"]);
          seen.failed += 1;
        }
      }),
      { numRuns: 200, seed: FC_SEED },
    );
    // Both outcomes were reached, not only the error paths.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
  });
});

describe("a resolver refreshing a stored OAuth profile against arbitrary answers", () => {
  it("stores a whole new pair, or keeps the old one on disk and throws a typed error", async () => {
    const path = storePathIn(dir);
    const old = { type: "oauth", provider: "anthropic", access: SECRETS.cliAccess, refresh: SECRETS.cliRefresh, expires: NOW - 1, email: "me@example.com" };
    const seen = { ok: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(reply, async (answer) => {
        await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:me": old } });
        server.answer(() => answer);
        const resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => NOW, fetch, oauth: { tokenUrl: `${server.url}/v1/oauth/token`, timeoutMs: 5_000 } });
        try {
          const auth = await resolver.resolve();
          const stored = parseStore(await readFile(path, "utf8"), path).profiles["anthropic:me"];
          expect(stored).toMatchObject({ type: "oauth", access: auth.secret, email: "me@example.com" });
          expect(auth.secret).not.toBe(SECRETS.cliAccess);
          seen.ok += 1;
        } catch (error) {
          expectTypedError(error, ["OAUTH_REFRESH_FAILED", "NO_AVAILABLE_PROFILE"]);
          const stored = parseStore(await readFile(path, "utf8"), path).profiles["anthropic:me"];
          expect(stored).toEqual(old);
          seen.failed += 1;
        } finally {
          await resolver.close();
        }
      }),
      { numRuns: 100, seed: FC_SEED },
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
  });
});
