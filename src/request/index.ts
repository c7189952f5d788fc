/**
 * Request decoration: pure functions that never import `@anthropic-ai/sdk`.
 *
 * @module
 */
export { applyHeaderDecoration, credentialHeaders, toRequestHeaders } from "./auth-headers.js";
export type { CredentialDecoration } from "./auth-headers.js";
export { EXTENDED_CACHE_TTL_BETA, OAUTH_BETA, mergeBetaHeader, mergeBetas, parseBetaHeader } from "./betas.js";
export { findCacheBreakpoints } from "./cache-breakpoints.js";
export type { CacheBreakpoint, CacheBreakpointArea } from "./cache-breakpoints.js";
export { applyCacheTtl } from "./cache-ttl.js";
export type { CacheTtlResult } from "./cache-ttl.js";
export { decorateJsonBody } from "./decorate-json-body.js";
export { decorateRequest } from "./decorate.js";
export type { DecoratedRequest, DecorateRequestOptions, WithoutBetas } from "./decorate.js";
export type { CacheControlMarker, DecorationAuth, HeaderDecoration, HeadersInput } from "./types.js";
export type { PathKey } from "./update-paths.js";
