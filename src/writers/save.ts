import { AuthProfilesError } from "../model/errors.js";
import { validateSetupToken } from "../credentials/setup-token.js";
import type { StoredCredential } from "../model/store.js";
import { withProfile } from "../selection/usage.js";
import { writerTarget, type WriteResult, type WriterLocation } from "./target.js";

/** Default id of an API key saved by onboarding. */
export const DEFAULT_API_KEY_PROFILE_ID = "anthropic:default";
/** Default id of a pasted setup-token. */
export const DEFAULT_TOKEN_PROFILE_ID = "anthropic:manual";

/** Options of {@link saveApiKey}. */
export interface SaveApiKeyOptions extends WriterLocation {
  /** The API key (`sk-ant-api03-…`). Surrounding whitespace is trimmed. */
  readonly key: string;
  /** The provider. Default `anthropic`. */
  readonly provider?: string;
  /** The profile id. Default `anthropic:default`. */
  readonly profileId?: string;
}

/** Options of {@link saveToken}. */
export interface SaveTokenOptions extends WriterLocation {
  /** The setup-token (`sk-ant-oat01-…`), checked with {@link validateSetupToken}. */
  readonly token: string;
  /** The provider. Default `anthropic`. */
  readonly provider?: string;
  /** The profile id. Default `anthropic:manual`. */
  readonly profileId?: string;
  /** Epoch ms at which the token expires; omit for "does not expire". */
  readonly expiresAt?: number;
}

/**
 * Saves an API key as an `api_key` profile in the agent's store (under the store lock, atomically,
 * 0600) and records `auth.profiles[id] = { provider, mode: "api_key" }` in the config.
 *
 * @param options - the key, profile id and location
 * @returns the profile id, store path and config path
 * @throws AuthProfilesError `INVALID_ARGUMENT` when the key is empty, contains whitespace, or is a
 *   setup-token (send those with {@link saveToken}); `STORE_*`, `CONFIG_*`, `FILE_UNSAFE`
 *
 * @example
 * ```ts
 * await saveApiKey({ key: process.env.MY_KEY!, agentId: "main" }); // → anthropic:default
 * ```
 */
export async function saveApiKey(options: SaveApiKeyOptions): Promise<WriteResult> {
  const key = options.key.trim();
  if (key.length === 0 || /\s/.test(key)) {
    throw new AuthProfilesError("INVALID_ARGUMENT", "The API key is empty or contains whitespace.", { hint: "Copy the whole key from the Anthropic Console (it starts with sk-ant-api03-)." });
  }
  if (key.startsWith("sk-ant-oat01-")) {
    throw new AuthProfilesError("INVALID_ARGUMENT", "This is a setup-token or OAuth token, not an API key: sent as x-api-key it fails with \"invalid x-api-key\".", {
      hint: "Save it as a token instead: `npm run cli -- models auth paste-token --provider anthropic`.",
    });
  }
  const provider = options.provider ?? "anthropic";
  return saveCredential(options, options.profileId ?? DEFAULT_API_KEY_PROFILE_ID, { type: "api_key", provider, key }, "api_key");
}

/**
 * Saves a setup-token (from `claude setup-token`) as a static `token` profile, never refreshed, and
 * records `auth.profiles[id] = { provider, mode: "token" }` in the config.
 *
 * @param options - the token, optional expiry, profile id and location
 * @returns the profile id, store path and config path
 * @throws AuthProfilesError `TOKEN_INVALID` (see {@link validateSetupToken}); `INVALID_ARGUMENT` for
 *   an expiry in the past; `STORE_*`, `CONFIG_*`, `FILE_UNSAFE`
 */
export async function saveToken(options: SaveTokenOptions): Promise<WriteResult> {
  const token = validateSetupToken(options.token);
  if (options.expiresAt !== undefined && (!Number.isFinite(options.expiresAt) || options.expiresAt <= 0)) {
    throw new AuthProfilesError("INVALID_ARGUMENT", "expiresAt must be a positive epoch-milliseconds number.", { hint: "Pass e.g. Date.now() + 365 * 86_400_000, or omit it." });
  }
  const provider = options.provider ?? "anthropic";
  const entry: StoredCredential = { type: "token", provider, token, ...(options.expiresAt === undefined ? {} : { expires: options.expiresAt }) };
  return saveCredential(options, options.profileId ?? DEFAULT_TOKEN_PROFILE_ID, entry, "token");
}

async function saveCredential(location: WriterLocation, profileId: string, entry: StoredCredential, mode: StoredCredential["type"]): Promise<WriteResult> {
  checkProfileId(profileId, entry.provider);
  const target = await writerTarget(location);
  try {
    await target.store.update((current) => ({ data: withProfile(current, profileId, entry), result: undefined }));
    await target.recordMeta(profileId, { provider: entry.provider, mode });
    return { profileId, storePath: target.store.path, configPath: target.configPath };
  } finally {
    await target.close();
  }
}

/**
 * Checks a profile id: `provider:name`, no control characters.
 *
 * @param profileId - the id
 * @param provider - the provider it must start with
 * @throws AuthProfilesError `INVALID_ARGUMENT`
 * @internal
 */
export function checkProfileId(profileId: string, provider: string): void {
  // eslint-disable-next-line no-control-regex
  if (!profileId.startsWith(`${provider}:`) || profileId.length <= provider.length + 1 || /[\u0000-\u001f\u007f]/.test(profileId)) {
    throw new AuthProfilesError("INVALID_ARGUMENT", `Profile ids look like "${provider}:<name>"; got an id that does not.`, {
      hint: `Use e.g. ${provider}:default, ${provider}:work or ${provider}:me@example.com.`,
      details: { provider },
    });
  }
}
