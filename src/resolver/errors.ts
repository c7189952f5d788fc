import { AuthProfilesError } from "../model/errors.js";

/** Facts about where an agent's auth lives, for messages. @internal */
export interface AuthLocation {
  /** The agent id. */
  readonly agentId: string;
  /** The store path (or URL). */
  readonly storePath: string;
  /** The agent dir, when a file store is used. */
  readonly agentDir: string | null;
}

/**
 * `NO_API_KEY`: nothing at all for the provider: no profile, no env variable.
 *
 * @param provider - the provider
 * @param where - agent and store
 * @returns the error
 * @internal
 */
export function noApiKeyError(provider: string, where: AuthLocation): AuthProfilesError {
  const agentDir = where.agentDir === null ? "" : ` (agentDir: ${where.agentDir})`;
  return new AuthProfilesError(
    "NO_API_KEY",
    `No API key found for provider "${provider}". Auth store: ${where.storePath}${agentDir}. Auth is per agent: agent "${where.agentId}" has no ${provider} profile of its own, and profiles of other agents are not inherited.`,
    {
      hintRef: { id: "noApiKey", args: { agentId: where.agentId, provider } },
      details: { provider, agentId: where.agentId, storePath: where.storePath, agentDir: where.agentDir },
    },
  );
}

/**
 * `NO_CREDENTIALS`: an explicitly requested profile has no stored credential.
 *
 * @param profileId - the requested profile
 * @param where - agent and store
 * @param extra - a further secret-free sentence
 * @returns the error
 * @internal
 */
export function noCredentialsError(profileId: string, where: AuthLocation, extra?: string): AuthProfilesError {
  return new AuthProfilesError(
    "NO_CREDENTIALS",
    `No credentials found for profile "${profileId}". Auth store: ${where.storePath} (agent "${where.agentId}").${extra === undefined ? "" : ` ${extra}`}`,
    {
      hintRef: { id: "noCredentials", args: { agentId: where.agentId, profileId } },
      details: { profileId, agentId: where.agentId, storePath: where.storePath },
    },
  );
}

/**
 * `PROFILE_NOT_CONFIGURED`: the profile exists but not for this provider, or its stored type does
 * not match the mode the config declares.
 *
 * @param profileId - the profile
 * @param provider - the provider asked for
 * @param why - a short secret-free explanation
 * @returns the error
 * @internal
 */
export function profileNotConfiguredError(profileId: string, provider: string, why: string): AuthProfilesError {
  return new AuthProfilesError("PROFILE_NOT_CONFIGURED", `Auth profile "${profileId}" is not configured for ${provider}: ${why}.`, {
    hint: `Check auth.profiles["${profileId}"] in the config (provider and mode must match the stored credential: mode "oauth" accepts oauth and token, "token" only token, "api_key" only api_key), or pick another profile.`,
    details: { profileId, provider, why },
  });
}
