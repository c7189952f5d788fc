/**
 * `auth-profiles/request`: pure request decoration for any HTTP client: auth headers, merged
 * `anthropic-beta` lists and the prompt-cache TTL on the caller's `cache_control` breakpoints.
 *
 * @module auth-profiles/request
 */

export { decorateRequest } from "./request/decorate.js";
export type { DecoratedRequest, DecorateRequestOptions, WithoutBetas } from "./request/decorate.js";
export { decorateJsonBody } from "./request/decorate-json-body.js";
export { applyHeaderDecoration, credentialHeaders, toRequestHeaders } from "./request/auth-headers.js";
export type { CredentialDecoration } from "./request/auth-headers.js";
export { EXTENDED_CACHE_TTL_BETA, mergeBetaHeader, mergeBetas, OAUTH_BETA, parseBetaHeader } from "./request/betas.js";
export { applyCacheTtl } from "./request/cache-ttl.js";
export type { CacheTtlResult } from "./request/cache-ttl.js";
export { findCacheBreakpoints } from "./request/cache-breakpoints.js";
export type { CacheBreakpoint, CacheBreakpointArea } from "./request/cache-breakpoints.js";
export type { CacheControlMarker, DecorationAuth, HeaderDecoration, HeadersInput } from "./request/types.js";
export type { PathKey } from "./request/update-paths.js";
export type { CacheControlTtl } from "./config/types.js";
export type { CredentialMode } from "./model/credential.js";
