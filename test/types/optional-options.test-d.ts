import { describe, expectTypeOf, it } from "vitest";
import { createAnthropicClient, type CreateAnthropicClientOptions } from "../../src/anthropic/client.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolverOptions, ResolveRequest } from "../../src/resolver/types.js";
import { saveApiKey, saveToken, type SaveApiKeyOptions } from "../../src/writers/save.js";
import { createFileProfileStore } from "../../src/store/file-store.js";

// Under exactOptionalPropertyTypes an optional option that is typed `T` (not `T | undefined`)
// rejects `process.env.X`; every public optional option accepts `undefined`, so these compile.
declare const maybe: string | undefined;
declare const maybeFlag: boolean | undefined;
declare const maybeNumber: number | undefined;

describe("optional options accept undefined (exactOptionalPropertyTypes)", () => {
  it("resolver, request, client, writers and store", () => {
    createAuthResolver({ agentId: maybe, stateDir: maybe, agentDir: maybe, homeDir: maybe, allowUnsafePermissions: maybeFlag, cacheTtlForSubscription: maybeFlag, oauth: { tokenUrl: maybe, timeoutMs: maybeNumber } });
    const request: ResolveRequest = { model: maybe, profileId: maybe, sessionId: maybe, provider: maybe };
    expectTypeOf(request).toMatchTypeOf<ResolveRequest>();
    createAnthropicClient({ agentId: maybe, sessionId: maybe, maxFailovers: maybeNumber, allowInsecureBaseUrl: maybeFlag });
    void saveApiKey({ key: "sk-ant-api03-x", profileId: maybe, agentId: maybe, provider: maybe });
    void saveToken({ token: "sk-ant-oat01-x", expiresAt: maybeNumber, profileId: maybe });
    createFileProfileStore({ path: "/tmp/x.json", allowUnsafePermissions: maybeFlag });
    expectTypeOf<{ agentId: undefined }>().toMatchTypeOf<AuthResolverOptions>();
    expectTypeOf<{ sessionId: undefined }>().toMatchTypeOf<CreateAnthropicClientOptions>();
    expectTypeOf<{ key: string; profileId: undefined }>().toMatchTypeOf<SaveApiKeyOptions>();
  });

  it("still requires the required ones", () => {
    // @ts-expect-error a key is required
    void saveApiKey({ profileId: maybe });
  });
});
