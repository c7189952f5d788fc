/**
 * `auth-profiles/anthropic`: an `@anthropic-ai/sdk` client authenticated by auth profiles, with
 * failover to the next profile inside one call. The only entry point that imports the SDK.
 *
 * @module
 */
export { createAnthropicClient } from "./request/client.js";
export type { AnthropicClientOptions, AuthProfilesClient, CreateAnthropicClientOptions, CredentialClientOption } from "./request/client.js";
export { authMiddleware, DEFAULT_MAX_RETRY_AFTER_MS } from "./request/middleware.js";
export type { AuthMiddleware, AuthMiddlewareOptions } from "./request/middleware.js";
