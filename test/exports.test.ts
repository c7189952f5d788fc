import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Pins every entry point's public surface. A new export shows up here in review; a name that
 * disappears is a breaking change. Values are listed from the module loaded at run time, types
 * from the TypeScript checker (a type-only export has no run-time trace).
 */
const ENTRIES = ["index", "config", "store", "selection", "credentials", "request", "anthropic", "redis", "sqlite"] as const;

const src = (entry: string): string => fileURLToPath(new URL(`../src/${entry}.ts`, import.meta.url));

function typeExports(): Map<string, string[]> {
  const program = ts.createProgram(
    ENTRIES.map(src),
    { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const entry of ENTRIES) {
    const file = program.getSourceFile(src(entry));
    const symbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    const names = symbol === undefined ? [] : checker.getExportsOfModule(symbol).map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return target.flags & ts.SymbolFlags.Value ? null : s.name;
    });
    out.set(entry, names.filter((n): n is string => n !== null).sort());
  }
  return out;
}

async function valueExports(entry: string): Promise<string[]> {
  const mod = (await import(src(entry))) as Record<string, unknown>;
  return Object.keys(mod).sort();
}

describe("public exports", () => {
  const types = typeExports();

  it("root entry: what a bot uses, at most 40 values", async () => {
    const values = await valueExports("index");
    expect(values.length).toBeLessThanOrEqual(40);
    expect(values).toMatchInlineSnapshot(`
      [
        "AuthProfilesError",
        "CLAUDE_CLI_PROFILE_ID",
        "DEFAULT_AGENT_ID",
        "DEFAULT_API_KEY_PROFILE_ID",
        "DEFAULT_TOKEN_PROFILE_ID",
        "NoAvailableProfileError",
        "RefreshError",
        "checkAuthStatus",
        "clearProfileOrder",
        "copyProfiles",
        "createAuthResolver",
        "formatAuthStatus",
        "isAuthProfilesError",
        "loadConfig",
        "redactSecret",
        "redactText",
        "removeProfile",
        "resolveAuth",
        "saveApiKey",
        "saveToken",
        "setProfileOrder",
        "useClaudeCli",
        "validateApiKey",
        "validateSetupToken",
      ]
    `);
    expect(types.get("index")).toMatchInlineSnapshot(`
      [
        "AgentEntry",
        "AgentEntryInput",
        "AgentSettings",
        "AgentSettingsInput",
        "AgentsConfig",
        "AgentsConfigInput",
        "AnyAuthProfilesError",
        "ApiKeyProblem",
        "ApiKeyProfile",
        "AuthConfig",
        "AuthConfigInput",
        "AuthEvent",
        "AuthEventBase",
        "AuthEventListener",
        "AuthProfilesConfig",
        "AuthProfilesConfigInput",
        "AuthProfilesErrorOptions",
        "AuthResolver",
        "AuthResolverOptions",
        "AuthStatus",
        "AuthStatusBlock",
        "AuthStatusCheck",
        "CacheControlTtl",
        "CacheStatus",
        "ClaudeCliDetails",
        "ClaudeCliOptions",
        "ClearProfileOrderOptions",
        "Clock",
        "CooldownClearedEvent",
        "CooldownConfig",
        "CooldownConfigInput",
        "CooldownEvent",
        "CooldownPolicy",
        "CopyProfilesOptions",
        "CopyProfilesResult",
        "CopySide",
        "CredentialMode",
        "CredentialSource",
        "EffectiveAuth",
        "EnvBlockInput",
        "EnvCredentialStatus",
        "ErrorCode",
        "ErrorDetails",
        "ErrorDetailsMap",
        "ErrorFacts",
        "FailoverEvent",
        "FailureOutcome",
        "FailureReason",
        "FileDetails",
        "HeadersLike",
        "HeldLoginStatus",
        "HintCommand",
        "HintCommandArgs",
        "HintCommandName",
        "HintCommands",
        "KnownOrString",
        "LimitsUpdatedEvent",
        "LoadConfigOptions",
        "LoadedConfig",
        "Logger",
        "ModelChoice",
        "ModelChoiceInput",
        "ModelEntry",
        "ModelEntryInput",
        "ModelFamilyRule",
        "ModelParams",
        "ModelParamsInput",
        "ModelRef",
        "NoAvailableProfileErrorOptions",
        "OAuthOptions",
        "OAuthProfile",
        "OAuthProfileStatus",
        "OtherAgentProfile",
        "PassThrough",
        "ProfileCounts",
        "ProfileMeta",
        "ProfileMetaInput",
        "ProfileOrderResult",
        "ProfileState",
        "ProfileStatus",
        "ProfileStore",
        "ProviderStatus",
        "RefreshErrorFacts",
        "RefreshEvent",
        "RefreshFailureKind",
        "RemoveProfileOptions",
        "RemoveProfileResult",
        "ReportContext",
        "ResolveAuthOptions",
        "ResolveRequest",
        "ResolvedAuth",
        "SaveApiKeyOptions",
        "SaveResult",
        "SaveTokenOptions",
        "SecretRefOptions",
        "SelectedEvent",
        "SetProfileOrderOptions",
        "SkippedProfile",
        "StoreData",
        "StoreMutation",
        "StoreMutator",
        "StoreUpdateResult",
        "StoredCredential",
        "TokenProfile",
        "UnavailableProfileInfo",
        "UnknownProfile",
        "UnusableProfile",
        "UsageStats",
        "UseClaudeCliOptions",
        "UseClaudeCliResult",
        "ValidateApiKeyOptions",
        "ValidatedApiKey",
        "WatchOptions",
        "WriteResult",
        "WriterLocation",
      ]
    `);
  });

  it("auth-profiles/config", async () => {
    expect(await valueExports("config")).toMatchInlineSnapshot(`
      [
        "AUTH_PROFILES_FILENAME",
        "CLAUDE_CLI_PROFILE_ID",
        "DEFAULT_AGENT_ID",
        "agentModel",
        "agentStoreLocation",
        "configEnv",
        "effectiveCacheControlTtl",
        "loadConfig",
        "migrateConfig",
        "normalizeAgentId",
        "parseConfig",
        "resolveAgentDir",
        "resolveConfigPath",
        "resolveStateDir",
        "resolveStorePath",
        "validateAgentId",
      ]
    `);
    expect(types.get("config")).toMatchInlineSnapshot(`
      [
        "AgentEntry",
        "AgentEntryInput",
        "AgentSettings",
        "AgentSettingsInput",
        "AgentStoreLocation",
        "AgentStoreLocationOptions",
        "AgentsConfig",
        "AgentsConfigInput",
        "AuthConfig",
        "AuthConfigInput",
        "AuthProfilesConfig",
        "AuthProfilesConfigInput",
        "CacheControlTtl",
        "CacheRetention",
        "ConfigWarning",
        "CooldownConfig",
        "CooldownConfigInput",
        "EnvBlockInput",
        "EnvVars",
        "KnownOrString",
        "LoadConfigOptions",
        "LoadedConfig",
        "MigrateConfigResult",
        "ModelChoice",
        "ModelChoiceInput",
        "ModelEntry",
        "ModelEntryInput",
        "ModelParams",
        "ModelParamsInput",
        "ModelRef",
        "ParseConfigOptions",
        "PassThrough",
        "ProfileMeta",
        "ProfileMetaInput",
        "ResolveAgentDirOptions",
        "ResolveConfigPathOptions",
        "ResolveStateDirOptions",
      ]
    `);
  });

  it("auth-profiles/store", async () => {
    expect(await valueExports("store")).toMatchInlineSnapshot(`
      [
        "KEPT_ENTRIES",
        "createFileProfileStore",
        "emptyStore",
        "keptEntriesOf",
        "parseStore",
        "serializeStore",
      ]
    `);
    expect(types.get("store")).toMatchInlineSnapshot(`
      [
        "ApiKeyProfile",
        "FileProfileStore",
        "FileProfileStoreOptions",
        "KeptEntry",
        "LockKind",
        "OAuthProfile",
        "ProfileStore",
        "StoreData",
        "StoreMutation",
        "StoreMutator",
        "StoreUpdateResult",
        "StoredCredential",
        "StoredReason",
        "TokenProfile",
        "TokenRotation",
        "UnknownProfile",
        "UsageStats",
        "WatchOptions",
      ]
    `);
  });

  it("auth-profiles/selection", async () => {
    expect(await valueExports("selection")).toMatchInlineSnapshot(`
      [
        "DEFAULT_COOLDOWN_POLICY",
        "DEFAULT_MODEL_FAMILIES",
        "DEFAULT_UTILIZATION_THRESHOLD",
        "FAILURE_REASONS",
        "FAST_FAMILY_SUFFIX",
        "classifyFailure",
        "classifyFailureDetail",
        "clearCooldownStats",
        "cooldownPolicyFor",
        "describeUnusable",
        "exhaustionOf",
        "explainProfiles",
        "isFailoverReason",
        "isFailureReason",
        "isTransientReason",
        "modelFamilyOf",
        "orderProfiles",
        "parseRateLimitHeaders",
        "rateLimitsFromError",
        "recordFailure",
        "recordSuccess",
        "retryAfterMsFromError",
        "storedExhaustedUntil",
        "toStoredRateLimits",
        "unusableUntil",
      ]
    `);
    expect(types.get("selection")).toMatchInlineSnapshot(`
      [
        "CandidateExplanation",
        "CandidateSource",
        "CooldownPolicy",
        "CooldownPolicyInput",
        "ExclusionReason",
        "Exhaustion",
        "ExhaustionOptions",
        "FailureClass",
        "FailureKind",
        "FailureOutcome",
        "FailureReason",
        "FamilyCooldown",
        "HeadersLike",
        "LimitWindow",
        "ModelFamilyOptions",
        "ModelFamilyRule",
        "OrderProfilesInput",
        "ProfileExplanation",
        "ProfileOrder",
        "ProfileSelectionInput",
        "RateLimitSnapshot",
        "RecordFailureOptions",
        "StoredRateLimits",
        "UnifiedStatus",
        "UnifiedWindow",
        "UnusableProfile",
      ]
    `);
  });

  it("auth-profiles/credentials", async () => {
    expect(await valueExports("credentials")).toMatchInlineSnapshot(`
      [
        "ADMIN_KEY_PREFIX",
        "API_KEY_PREFIX",
        "RefreshError",
        "SETUP_TOKEN_MIN_LENGTH",
        "SETUP_TOKEN_PREFIX",
        "claudeCredentialsPath",
        "createClaudeCliSource",
        "keychainServiceName",
        "refreshStoredOAuth",
        "requestTokenRefresh",
        "validateApiKey",
        "validateSetupToken",
      ]
    `);
    expect(types.get("credentials")).toMatchInlineSnapshot(`
      [
        "ApiKeyProblem",
        "ClaudeCliPathOptions",
        "ClaudeCliSource",
        "ClaudeCliSourceInit",
        "Credential",
        "CredentialMode",
        "CredentialProviderOptions",
        "CredentialSource",
        "OAuthTokenEndpoint",
        "RefreshErrorFacts",
        "RefreshErrorOptions",
        "RefreshFailureKind",
        "RefreshStoredOAuthOptions",
        "TokenRefreshRequest",
        "TokenRefreshResult",
        "ValidateApiKeyOptions",
        "ValidatedApiKey",
      ]
    `);
  });

  it("auth-profiles/request", async () => {
    expect(await valueExports("request")).toMatchInlineSnapshot(`
      [
        "EXTENDED_CACHE_TTL_BETA",
        "OAUTH_BETA",
        "applyCacheTtl",
        "applyHeaderDecoration",
        "credentialHeaders",
        "decorateJsonBody",
        "decorateRequest",
        "findCacheBreakpoints",
        "mergeBetaHeader",
        "mergeBetas",
        "parseBetaHeader",
        "toRequestHeaders",
      ]
    `);
    expect(types.get("request")).toMatchInlineSnapshot(`
      [
        "CacheBreakpoint",
        "CacheBreakpointArea",
        "CacheControlMarker",
        "CacheControlTtl",
        "CacheTtlResult",
        "CredentialDecoration",
        "CredentialMode",
        "DecorateRequestOptions",
        "DecoratedRequest",
        "DecorationAuth",
        "HeaderDecoration",
        "HeadersInput",
        "PathKey",
        "WithoutBetas",
      ]
    `);
  });

  it("auth-profiles/anthropic", async () => {
    expect(await valueExports("anthropic")).toMatchInlineSnapshot(`
      [
        "authMiddleware",
        "createAnthropicClient",
      ]
    `);
    expect(types.get("anthropic")).toMatchInlineSnapshot(`
      [
        "AnthropicClientOptions",
        "AuthMiddleware",
        "AuthMiddlewareOptions",
        "AuthProfilesClient",
        "CreateAnthropicClientOptions",
        "CredentialClientOption",
        "OpenTelemetryApi",
        "OpenTelemetryAttributes",
        "OpenTelemetrySpan",
      ]
    `);
  });

  it("auth-profiles/redis", async () => {
    expect(await valueExports("redis")).toMatchInlineSnapshot(`
      [
        "ENCRYPTED_FIELDS",
        "ENCRYPTION_ALGORITHM",
        "createRedisProfileStore",
      ]
    `);
    expect(types.get("redis")).toMatchInlineSnapshot(`
      [
        "EncryptedValue",
        "RedisProfileStore",
        "RedisProfileStoreBaseOptions",
        "RedisProfileStoreClientOptions",
        "RedisProfileStoreOptions",
        "RedisProfileStoreUrlOptions",
        "RedisStoreEncryption",
        "RedisStoreLogger",
      ]
    `);
  });

  it("auth-profiles/sqlite", async () => {
    expect(await valueExports("sqlite")).toMatchInlineSnapshot(`
      [
        "AGENT_SQLITE_FILE",
        "createSqliteProfileStore",
      ]
    `);
    expect(types.get("sqlite")).toMatchInlineSnapshot(`
      [
        "SqliteDriverName",
        "SqliteProfileStore",
        "SqliteProfileStoreOptions",
      ]
    `);
  });

  it("exposes no tuning constant (a *_MS number) from any entry", async () => {
    for (const entry of ENTRIES) {
      const values = await valueExports(entry);
      expect({ entry, tuning: values.filter((n) => /_MS$|RETRIES$|_BYTES$|_CHARS$/.test(n)) }).toEqual({ entry, tuning: [] });
    }
  });
});
