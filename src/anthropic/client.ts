import { typeCutJsonBody } from "./whole-body.js";
import { Anthropic, type ClientOptions } from "@anthropic-ai/sdk";
import { AuthProfilesError } from "../model/errors.js";
import { createAuthResolver } from "../resolver/resolver.js";
import type { AuthResolver, AuthResolverOptions } from "../resolver/types.js";
import { checkPlaceholder, PLACEHOLDER_API_KEY } from "./placeholder-guard.js";
import { authMiddleware, type AuthMiddleware } from "./middleware.js";
import { checkClientOptions } from "./client-options.js";
import { checkCredentialTransport, transportCheck } from "./transport-guard.js";
import { openTelemetryBridge, type OpenTelemetryApi } from "./client-otel.js";

/**
 * The SDK options that choose a credential: the client's credential always comes from the resolver.
 *
 * @category SDK client
 */
export type CredentialClientOption = "apiKey" | "authToken" | "credentials" | "config" | "profile";

/**
 * `@anthropic-ai/sdk` client options, without the credential options.
 *
 * @category SDK client
 */
export type AnthropicClientOptions = Omit<ClientOptions, CredentialClientOption>;

/**
 * Options of {@link createAnthropicClient}: resolver options plus client and failover settings.
 *
 * @category SDK client
 */
export interface CreateAnthropicClientOptions extends AuthResolverOptions {
  /**
   * A resolver to use instead of creating one from these options. The resolver options are then
   * ignored, except `now` and `logger` (the middleware uses them too) and `env`, whose
   * `ANTHROPIC_BASE_URL` picks the base URL when `clientOptions.baseURL` is not set (the SDK then
   * falls back to `process.env.ANTHROPIC_BASE_URL`).
   */
  readonly resolver?: AuthResolver | undefined;
  /** SDK options (`baseURL`, `maxRetries`, `timeout`, `fetch`, `middleware`, …), never a credential. */
  readonly clientOptions?: AnthropicClientOptions | undefined;
  /** How many times one call may switch profile. Default: every available profile once. */
  readonly maxFailovers?: number | undefined;
  /** Sticks every call of this client to one profile until it fails or cools down. */
  readonly sessionId?: string | undefined;
  /** The longest `retry-after` the SDK may sleep on. Default 60 s. */
  readonly maxRetryAfterMs?: number | undefined;
  /**
   * Allows sending credentials over plain `http://` to a host that is not loopback (a trusted
   * proxy on a private network). By default a credential goes only to `https://`, or to `http://`
   * on 127.0.0.1, ::1 or localhost; any other base URL is refused with `INVALID_ARGUMENT` when the
   * client is created and before each request.
   *
   * @defaultValue `false`
   */
  readonly allowInsecureBaseUrl?: boolean | undefined;
  /**
   * OpenTelemetry: the facts of every `onEvent` event (profile id, mode, model family, reason,
   * retry time; never a secret) are added to the span active around the call, as a span event
   * `auth_profiles.<type>` each, plus span attributes for the latest selection
   * (`auth_profiles.profile_id`, `auth_profiles.mode`, `auth_profiles.model_family`,
   * `auth_profiles.source`) and `auth_profiles.failover_count`.
   *
   * - Left out: `@opentelemetry/api` is used when it is installed (an optional peer), imported once
   *   per process when the first client is created; when it is missing nothing is recorded.
   * - `false`: off.
   * - An API object (`import * as otel from "@opentelemetry/api"`, or anything with
   *   `trace.getActiveSpan()`): that one.
   *
   * With a `resolver` passed in, the resolver's own events reach the span only if that resolver was
   * created with this `onEvent`; the client's `failover` events always do.
   */
  readonly openTelemetry?: false | OpenTelemetryApi | undefined;
}

/**
 * An `Anthropic` client authenticated by auth profiles.
 *
 * @category SDK client
 */
export type AuthProfilesClient = Anthropic & {
  /**
   * The resolver behind the client (the one passed in, or the one created for it). Its `close()`
   * first waits for pending success reports; call it when done with the client. Clones made with
   * `withOptions()` share it.
   */
  readonly authResolver: AuthResolver;
};

/**
 * Creates a real `Anthropic` client whose every HTTP attempt is authenticated by an auth-profiles
 * resolver, with failover to the next profile inside one call.
 *
 * @remarks
 * - The SDK gets a placeholder API key so that it never looks for a credential of its own (env,
 *   `~/.config/anthropic`); the middleware replaces it on every request, and a guard on `fetch`
 *   refuses any request that would still carry it.
 * - Caller middleware in `clientOptions.middleware` runs outside the auth middleware: it sees one
 *   request per SDK attempt (with the placeholder credential) and the final response.
 * - On 401/402/403/429/529 the failed profile is reported and the same call goes out at once with
 *   the next profile; see {@link authMiddleware} for the exact rules and errors.
 * - When a base URL is neither in `clientOptions` nor in `env.ANTHROPIC_BASE_URL`, the SDK reads
 *   `process.env.ANTHROPIC_BASE_URL` itself (as it does `ANTHROPIC_LOG`).
 * - Credentials go only to `https://`, or to plain `http://` on a loopback host; see
 *   `allowInsecureBaseUrl`.
 *
 * @param options - resolver options (or `resolver`), `clientOptions`, failover settings
 * @returns the client, with `authResolver` attached
 * @throws AuthProfilesError `INVALID_ARGUMENT` when `clientOptions` carries a credential option, a
 *   failover setting is invalid, or the base URL is neither https nor loopback. Calls throw the resolver's errors (`NO_API_KEY`,
 *   `NO_AVAILABLE_PROFILE` with `retryAt`, …) or the SDK's API errors.
 *
 * @example
 * ```ts
 * import { createAnthropicClient } from "auth-profiles/anthropic";
 *
 * const client = createAnthropicClient({ agentId: "main" });
 * try {
 *   const message = await client.messages.create({
 *     model: "claude-sonnet-4-6",
 *     max_tokens: 1024,
 *     messages: [{ role: "user", content: "Hello" }],
 *   });
 *   console.log(message.content, message.usage.cache_read_input_tokens);
 * } finally {
 *   await client.authResolver.close();
 * }
 * ```
 *
 * @category SDK client
 */
export function createAnthropicClient(options: CreateAnthropicClientOptions = {}): AuthProfilesClient {
  checkClientOptions(options);
  const { resolver: given, clientOptions = {}, maxFailovers, sessionId, maxRetryAfterMs, allowInsecureBaseUrl = false, openTelemetry, ...rest } = options;
  rejectCredentialOptions(clientOptions);
  const otel = openTelemetryBridge(openTelemetry, options.onEvent);
  const resolverOptions: AuthResolverOptions = otel.listener === undefined ? rest : { ...rest, onEvent: otel.listener };
  const resolver = given ?? createAuthResolver(resolverOptions);
  try {
    const middleware = authMiddleware(resolver, {
      ...(maxFailovers === undefined ? {} : { maxFailovers }),
      ...(sessionId === undefined ? {} : { sessionId }),
      ...(maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(otel.listener === undefined ? {} : { onEvent: otel.listener }),
    });
    const baseURL = clientOptions.baseURL ?? options.env?.["ANTHROPIC_BASE_URL"];
    const outerFetch = clientOptions.fetch;
    // The SDK's prepareOptions hook runs before each attempt is encoded: the cache TTL goes into
    // the body object there, once per call, instead of re-encoding the JSON body per attempt.
    const Client = class extends Anthropic {
      protected override prepareOptions(requestOptions: Parameters<AuthMiddleware["prepare"]>[0]): Promise<void> {
        // The first calls wait for the one-time import of @opentelemetry/api, so they are traced too.
        const loading = otel.ready();
        if (loading !== null) return super.prepareOptions(requestOptions).then(() => loading).then(() => middleware.prepare(requestOptions));
        // The SDK's own hook is empty: the body is prepared at once, with no extra promise.
        middleware.prepare(requestOptions);
        return super.prepareOptions(requestOptions);
      }
    };
    const client = new Client({
      ...clientOptions,
      ...(baseURL === undefined ? {} : { baseURL }),
      apiKey: PLACEHOLDER_API_KEY,
      fetch: clientFetch(outerFetch, allowInsecureBaseUrl),
      middleware: [...(clientOptions.middleware ?? []), middleware],
    });
    // The SDK settles the base URL (options, then process.env.ANTHROPIC_BASE_URL, then its default).
    checkCredentialTransport(client.baseURL, allowInsecureBaseUrl);
    return attachAuth(client, closingView(resolver, middleware));
  } catch (error) {
    if (given === undefined) void resolver.close().catch(() => undefined);
    throw error;
  }
}

/** `fetch` as the SDK calls it. */
type SdkFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The client's `fetch`, in one step per request: the transport check (https or loopback), the
 * placeholder check (no request leaves without a resolved credential), then the caller's `fetch`
 * (or the global one, read per request), whose JSON answers get typed cut-off errors.
 */
function clientFetch(outerFetch: SdkFetch | undefined, allowInsecure: boolean): SdkFetch {
  const checkTransport = transportCheck(allowInsecure);
  return async (input, init) => {
    checkTransport?.(input);
    checkPlaceholder(input, init);
    return typeCutJsonBody(await (outerFetch ?? globalThis.fetch)(input, init));
  };
}

function attachAuth(client: Anthropic, authResolver: AuthResolver): AuthProfilesClient {
  const withOptions = client.withOptions.bind(client);
  Object.defineProperties(client, {
    authResolver: { value: authResolver, enumerable: false },
    // The SDK builds clones from its options (middleware included); keep `authResolver` on them too.
    withOptions: { value: (next: Partial<ClientOptions>) => attachAuth(withOptions(next), authResolver), enumerable: false },
  });
  return client as AuthProfilesClient;
}

function closingView(resolver: AuthResolver, middleware: AuthMiddleware): AuthResolver {
  return {
    resolve: (request) => resolver.resolve(request),
    reportSuccess: (profileId, context) => resolver.reportSuccess(profileId, context),
    reportFailure: (profileId, error, context) => resolver.reportFailure(profileId, error, context),
    clearCooldown: (profileId) => resolver.clearCooldown(profileId),
    status: () => resolver.status(),
    flush: async () => {
      await middleware.flush();
      await resolver.flush();
    },
    close: async () => {
      await middleware.flush();
      await resolver.close();
    },
  };
}

function rejectCredentialOptions(clientOptions: AnthropicClientOptions): void {
  const names: readonly CredentialClientOption[] = ["apiKey", "authToken", "credentials", "config", "profile"];
  const passed = names.filter((name) => (clientOptions as Partial<Record<CredentialClientOption, unknown>>)[name] != null);
  if (passed.length === 0) return;
  throw new AuthProfilesError("INVALID_ARGUMENT", `clientOptions must not carry a credential (got ${passed.join(", ")}).`, {
    hint: "Save the credential as a profile (saveApiKey / saveToken) or pass it through env (ANTHROPIC_API_KEY) in the resolver options; the client takes every credential from the resolver.",
    details: { options: passed },
  });
}
