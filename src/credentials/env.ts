import type { Credential } from "../model/credential.js";
import { rememberSecrets } from "../model/redact.js";

/** Env variables read for Anthropic, in order: a bearer token first, then an API key. @internal */
export const ANTHROPIC_ENV_VARS = [
  { name: "ANTHROPIC_OAUTH_TOKEN", mode: "token" },
  { name: "ANTHROPIC_API_KEY", mode: "api_key" },
] as const;

/** An env credential and the variable it came from. @internal */
export interface EnvCredential {
  /** The credential. */
  readonly credential: Credential;
  /** The variable name, for the status report. */
  readonly variable: string;
}

/**
 * Reads an Anthropic credential from env: `ANTHROPIC_OAUTH_TOKEN` (sent as a bearer token), then
 * `ANTHROPIC_API_KEY`. Empty values are ignored.
 *
 * @param env - the resolver's env (never `process.env` directly)
 * @param provider - only `anthropic` has env variables
 * @returns the credential and its variable, or `null`
 * @internal
 */
export function fromEnv(env: Readonly<Record<string, string | undefined>>, provider: string): EnvCredential | null {
  if (provider !== "anthropic") return null;
  for (const { name, mode } of ANTHROPIC_ENV_VARS) {
    const value = env[name]?.trim();
    rememberSecrets(value);
    if (value) {
      return {
        variable: name,
        credential: { provider, profileId: null, mode, source: "env", secret: value, expiresAt: null },
      };
    }
  }
  return null;
}
