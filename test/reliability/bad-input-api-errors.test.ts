import { readFile } from "node:fs/promises";
import { AnthropicError } from "@anthropic-ai/sdk";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createAnthropicClient } from "../../src/anthropic/client.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { classifyFailure } from "../../src/selection/classify.js";
import { FAILURE_REASONS } from "../../src/selection/reasons.js";
import { retryAfterMsFromError } from "../../src/selection/retry-after.js";
import { parseStore } from "../../src/store/format.js";
import { FC_SEED, nastyJson, nastyString } from "./arbitraries.js";
import { startScriptedServer, type ScriptedServer } from "./scripted-server.js";
import { expectTypedError, SECRETS } from "./secrets.js";
import { makeTempDir, NOW, storePathIn, writeJsonPrivate } from "./support.js";

/** A value that is usually right for its place, sometimes anything. */
function field<T>(...right: T[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...right) }, { weight: 1, arbitrary: nastyJson });
}

const STATUSES = [400, 401, 402, 403, 404, 408, 413, 429, 499, 500, 502, 503, 504, 529];
const ERROR_TYPES = ["authentication_error", "permission_error", "billing_error", "rate_limit_error", "overloaded_error", "invalid_request_error", "api_error", "timeout_error"];
const RETRY_AFTER = ["30", "0", "-1", "1e9", "abc", "Wed, 21 Oct 2099 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", "", "99999999999999999999"];

/** Anthropic's error body `{ type, error: { type, message, details } }`, parts of it junk. */
const apiErrorBody: fc.Arbitrary<unknown> = fc.record(
  {
    type: field("error"),
    error: fc.oneof(
      { weight: 3, arbitrary: fc.record({ type: field(...ERROR_TYPES), message: field("Overloaded", "Your credit balance is too low", "rate limit exceeded", "invalid x-api-key"), details: field({ error_code: "enforced_spend_limit_reached" }) }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: nastyJson },
    ),
    request_id: field("req_011"),
  },
  { requiredKeys: [] },
);

/** Proxies that throw on every read: a revoked one, and one whose traps all throw. */
function proxies(): unknown[] {
  const trap = (): never => {
    throw new Error("trap");
  };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  return [revoked.proxy, new Proxy({}, { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap })];
}

/** Hostile things to throw (besides proxies): getters that throw, null prototypes, cycles, odd primitives. */
function hostileValues(): unknown[] {
  const trap = (): never => {
    throw new Error("trap");
  };
  const loop: Record<string, unknown> = { message: "loop" };
  loop["cause"] = loop;
  loop["error"] = loop;
  return [
    Object.defineProperty({}, "status", { get: trap }),
    Object.defineProperty(new Error("x"), "message", { get: trap }),
    Object.defineProperty({ status: 429 }, "headers", { get: trap }),
    Object.create(null) as unknown,
    Symbol("s"),
    10n,
    () => undefined,
    loop,
  ];
}

/** An error-like value: SDK-ish fields, fetch-ish causes, plain junk. */
const thrown: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  nastyJson,
  fc.record(
    {
      status: field<unknown>(...STATUSES, "429", 0, Number.NaN),
      statusCode: field<unknown>(...STATUSES),
      response: field<unknown>({ status: 429 }, { status: "503" }),
      name: field("RateLimitError", "AuthenticationError", "APIUserAbortError", "AbortError", "TimeoutError", "Error"),
      message: field("Too Many Requests", "socket hang up", "Request timed out", `bad key ${SECRETS.apiKey}`),
      code: field("ECONNRESET", "ETIMEDOUT", "ABORT_ERR", "UND_ERR_BODY_TIMEOUT"),
      error: apiErrorBody,
      headers: fc.oneof(
        fc.constantFrom(...RETRY_AFTER).map((value) => new Headers({ "retry-after": value })),
        fc.record({ "retry-after": field(...RETRY_AFTER), "retry-after-ms": field("1500", "x") }, { requiredKeys: [] }),
        nastyJson,
      ),
      cause: fc.oneof(nastyJson, fc.record({ code: field("ECONNRESET", "ETIMEDOUT") }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
);

const REASONS: readonly unknown[] = [...FAILURE_REASONS, null];

describe(classifyFailure.name, () => {
  it("never throws on hostile values: revoked and trapping proxies, throwing getters, cycles, odd primitives", () => {
    for (const error of [...proxies(), ...hostileValues()]) {
      expect(REASONS).toContain(classifyFailure(error));
      const retryAfterMs = retryAfterMsFromError(error, NOW);
      expect(retryAfterMs === null || (Number.isFinite(retryAfterMs) && retryAfterMs >= 0)).toBe(true);
    }
  });

  it("never throws and answers a known reason or null for anything thrown", () => {
    fc.assert(
      fc.property(thrown, (error) => {
        expect(REASONS).toContain(classifyFailure(error));
        const retryAfterMs = retryAfterMsFromError(error, NOW);
        expect(retryAfterMs === null || (Number.isFinite(retryAfterMs) && retryAfterMs >= 0)).toBe(true);
      }),
      { numRuns: 1_000, seed: FC_SEED },
    );
  });
});

let dir: string;
let cleanup: () => Promise<void>;
let server: ScriptedServer;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const twoKeys = {
  version: 1,
  profiles: {
    "anthropic:a": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey },
    "anthropic:b": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey2 },
  },
};

describe("resolver.reportFailure with anything thrown", () => {
  /** reportFailure over `values`: each gives an outcome or a typed error. */
  async function reportEach(values: readonly unknown[]): Promise<void> {
    await writeJsonPrivate(storePathIn(dir), twoKeys);
    const resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => NOW });
    try {
      for (const error of values) {
        try {
          const outcome = await resolver.reportFailure("anthropic:a", error);
          expect(REASONS).toContain(outcome.reason);
        } catch (failure) {
          expectTypedError(failure, ["STORE_LOCKED", "STORE_IO"]);
        }
      }
    } finally {
      await resolver.close();
    }
  }

  it("returns an outcome or a typed error for throwing getters, cycles and odd primitives", async () => {
    await reportEach(hostileValues());
  });

  // Regression: a revoked Proxy once made isAuthProfilesError throw inside reportFailure, so a bare
  // TypeError escaped instead of an outcome.
  it("returns an outcome or a typed error for a revoked or trapping Proxy", async () => {
    await reportEach(proxies());
  });

  it("returns an outcome or a typed error and leaves a store that parses", async () => {
    const path = storePathIn(dir);
    await writeJsonPrivate(path, twoKeys);
    const resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => NOW });
    try {
      await fc.assert(
        fc.asyncProperty(thrown, async (error) => {
          try {
            const outcome = await resolver.reportFailure("anthropic:a", error);
            expect(REASONS).toContain(outcome.reason);
            expect(outcome.unusableUntil === null || Number.isFinite(outcome.unusableUntil)).toBe(true);
          } catch (failure) {
            expectTypedError(failure, ["STORE_LOCKED", "STORE_IO"]);
          }
          parseStore(await readFile(path, "utf8"), path);
        }),
        { numRuns: 150, seed: FC_SEED },
      );
    } finally {
      await resolver.close();
    }
  });
});

describe("createAnthropicClient facing arbitrary error answers", () => {
  it("throws the SDK's API error or a typed AuthProfilesError, nothing else, and keeps the store whole", async () => {
    const path = storePathIn(dir);
    const answers = fc.record({
      status: fc.oneof(fc.constantFrom(...STATUSES), fc.integer({ min: 400, max: 599 })),
      body: fc.oneof(apiErrorBody.map((value) => JSON.stringify(value)), nastyJson.map((value) => JSON.stringify(value) ?? ""), nastyString, fc.constant("<html><body>502 Bad Gateway</body></html>")),
      headers: fc.oneof(
        fc.constant({}),
        fc.constantFrom(...RETRY_AFTER).map((value) => ({ "retry-after": value })),
        fc.constantFrom({ "content-type": "text/html" }, { "content-type": "text/event-stream" }, { "x-should-retry": "true" }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(answers, async (answer) => {
        await writeJsonPrivate(path, twoKeys);
        server.answer(() => answer);
        const client = createAnthropicClient({ stateDir: dir, configPath: false, env: {}, claudeCli: false, now: () => NOW, clientOptions: { baseURL: server.url, maxRetries: 0, timeout: 5_000 } });
        try {
          await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] });
          expect.unreachable("an error status must not resolve");
        } catch (error) {
          if (isAuthProfilesError(error)) expectTypedError(error, ["NO_AVAILABLE_PROFILE"]);
          else expect(error).toBeInstanceOf(AnthropicError);
        } finally {
          await client.authResolver.close();
        }
        parseStore(await readFile(path, "utf8"), path);
      }),
      { numRuns: 100, seed: FC_SEED },
    );
  });
});
