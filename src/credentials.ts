/**
 * `auth-profiles/credentials`: the credential sources on their own: setup-token validation, the
 * OAuth token endpoint and stored-profile refresh, and the live Claude Code login.
 *
 * @module auth-profiles/credentials
 */

export { validateSetupToken, SETUP_TOKEN_MIN_LENGTH, SETUP_TOKEN_PREFIX } from "./credentials/setup-token.js";
export { ADMIN_KEY_PREFIX, API_KEY_PREFIX, validateApiKey } from "./credentials/api-key.js";
export type { ApiKeyProblem, ValidateApiKeyOptions, ValidatedApiKey } from "./credentials/api-key.js";
export { requestTokenRefresh } from "./credentials/oauth/token-endpoint.js";
export type { TokenRefreshRequest, TokenRefreshResult } from "./credentials/oauth/token-endpoint.js";
export { refreshStoredOAuth } from "./credentials/oauth/refresh.js";
export type { OAuthTokenEndpoint, RefreshStoredOAuthOptions } from "./credentials/oauth/refresh.js";
export { RefreshError } from "./credentials/oauth/refresh-error.js";
export type { RefreshErrorFacts, RefreshErrorOptions, RefreshFailureKind } from "./credentials/oauth/refresh-error.js";
export { createClaudeCliSource } from "./credentials/claude-cli/login.js";
export type { ClaudeCliSource, ClaudeCliSourceInit } from "./credentials/claude-cli/login.js";
export { claudeCredentialsPath, keychainServiceName } from "./credentials/claude-cli/paths.js";
export type { ClaudeCliPathOptions } from "./credentials/claude-cli/paths.js";
export type { Credential, CredentialMode, CredentialProviderOptions, CredentialSource } from "./model/credential.js";
