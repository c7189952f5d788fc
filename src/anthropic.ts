/**
 * `auth-profiles/anthropic`: an `@anthropic-ai/sdk` client authenticated by auth profiles, with
 * failover to the next profile inside one call. The only entry point that imports the SDK.
 *
 * @module auth-profiles/anthropic
 */
export { createAnthropicClient } from "./anthropic/client.js";
export type { AnthropicClientOptions, AuthProfilesClient, CreateAnthropicClientOptions, CredentialClientOption } from "./anthropic/client.js";
export type { OpenTelemetryApi, OpenTelemetryAttributes, OpenTelemetrySpan } from "./anthropic/client-otel.js";
export { authMiddleware } from "./anthropic/middleware.js";
export type { AuthMiddleware, AuthMiddlewareOptions } from "./anthropic/middleware.js";
