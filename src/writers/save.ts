import { AuthProfilesError } from "../model/errors.js";
import { validateSetupToken } from "../credentials/setup-token.js";
import { validateApiKey } from "../credentials/api-key.js";
import type { StoredCredential } from "../model/store.js";
import { withProfile } from "../selection/usage.js";
import { withWriterHints, writerTarget, type WriteResult, type WriterLocation } from "./target.js";
import { checkWriterOptions } from "./arguments.js";
import { rememberSecrets } from "../model/redact.js";

/**
 * Default id of an API key saved by onboarding.
 *
 * @category Writing credentials
 */
export const DEFAULT_API_KEY_PROFILE_ID = "anthropic:default";
/**
 * Default id of a pasted setup-token.
 *
 * @category Writing credentials
 */
export const DEFAULT_TOKEN_PROFILE_ID = "anthropic:manual";

/**
 * Options of {@link saveApiKey}.
 *
 * @category Writing credentials
 */
export interface SaveApiKeyOptions extends WriterLocation {
  /** The API key (`sk-ant-api03-…`). Surrounding whitespace is trimmed (see {@link validateApiKey}). */
  readonly key: string;
  /**
   * Accept a key not shaped like an Anthropic API key, e.g. a proxy's. Default `false`.
   */
  readonly allowNonStandardKey?: boolean | undefined;
  /** The provider. Default `anthropic`. */
  readonly provider?: string | undefined;
  /** The profile id. Default `anthropic:default`. */
  readonly profileId?: string | undefined;
}

/**
 * Options of {@link saveToken}.
 *
 * @category Writing credentials
 */
export interface SaveTokenOptions extends WriterLocation {
  /** The setup-token (`sk-ant-oat01-…`), checked with {@link validateSetupToken}. */
  readonly token: string;
  /** The provider. Default `anthropic`. */
  readonly provider?: string | undefined;
  /** The profile id. Default `anthropic:manual`. */
  readonly profileId?: string | undefined;
  /** Epoch ms at which the token expires; omit for "does not expire". */
  readonly expiresAt?: number | undefined;
}

/**
 * What {@link saveApiKey} and {@link saveToken} report.
 *
 * @category Writing credentials
 */
export interface SaveResult extends WriteResult {
  /** `true` when the profile already held a credential, which this one replaced. */
  readonly replaced: boolean;
  /** `true` when surrounding whitespace (e.g. a paste's trailing newline) was removed before saving. */
  readonly trimmed: boolean;
}

/**
 * Saves an API key as an `api_key` profile in the agent's store (under the store lock, atomically,
 * 0600) and records `auth.profiles[id] = { provider, mode: "api_key" }` in the config.
 *
 * @param options - the key, profile id and location
 * @returns the profile id, paths, whether an existing credential was replaced and whether the key was trimmed
 * @throws AuthProfilesError `API_KEY_INVALID` (see {@link validateApiKey}: inner whitespace, control
 *   characters, non-ASCII, an Admin key, a setup-token, or not shaped like an API key without
 *   `allowNonStandardKey`); `INVALID_ARGUMENT` for a bad profile id; `STORE_*`, `CONFIG_*`, `FILE_UNSAFE`
 *
 * @example
 * ```ts
 * const { replaced } = await saveApiKey({ key: process.env.MY_KEY!, agentId: "main" }); // → anthropic:default
 * ```
 *
 * @category Writing credentials
 */
export async function saveApiKey(options: SaveApiKeyOptions): Promise<SaveResult> {
  checkWriterOptions("saveApiKey", options);
  rememberSecrets(options.key);
  return withWriterHints(options, async () => {
    const { key, trimmed } = validateApiKey(options.key, { allowNonStandardKey: options.allowNonStandardKey });
    const provider = options.provider ?? "anthropic";
    return saveCredential(options, options.profileId ?? DEFAULT_API_KEY_PROFILE_ID, { type: "api_key", provider, key }, "api_key", trimmed);
  });
}

/**
 * Saves a setup-token (from `claude setup-token`) as a static `token` profile, never refreshed, and
 * records `auth.profiles[id] = { provider, mode: "token" }` in the config.
 *
 * @param options - the token, optional expiry, profile id and location
 * @returns the profile id, paths, whether an existing credential was replaced and whether whitespace was removed
 * @throws AuthProfilesError `TOKEN_INVALID` (see {@link validateSetupToken}); `INVALID_ARGUMENT` for
 *   an expiry in the past; `STORE_*`, `CONFIG_*`, `FILE_UNSAFE`
 *
 * @category Writing credentials
 */
export async function saveToken(options: SaveTokenOptions): Promise<SaveResult> {
  checkWriterOptions("saveToken", options);
  rememberSecrets(options.token);
  return withWriterHints(options, () => saveTokenNow(options));
}

async function saveTokenNow(options: SaveTokenOptions): Promise<SaveResult> {
  const token = validateSetupToken(options.token);
  if (options.expiresAt !== undefined && (!Number.isFinite(options.expiresAt) || options.expiresAt <= 0)) {
    throw new AuthProfilesError("INVALID_ARGUMENT", "expiresAt must be a positive epoch-milliseconds number.", { hint: "Pass e.g. Date.now() + 365 * 86_400_000, or omit it." });
  }
  const provider = options.provider ?? "anthropic";
  const entry: StoredCredential = { type: "token", provider, token, ...(options.expiresAt === undefined ? {} : { expires: options.expiresAt }) };
  return saveCredential(options, options.profileId ?? DEFAULT_TOKEN_PROFILE_ID, entry, "token", token !== options.token);
}

async function saveCredential(location: WriterLocation, profileId: string, entry: StoredCredential, mode: StoredCredential["type"], trimmed: boolean): Promise<SaveResult> {
  checkProfileId(profileId, entry.provider);
  const target = await writerTarget(location);
  try {
    const { result: replaced } = await target.store.update((current) => ({ data: withProfile(current, profileId, entry), result: Object.hasOwn(current.profiles, profileId) }));
    await target.recordMeta(profileId, { provider: entry.provider, mode });
    return { profileId, storePath: target.store.path, configPath: target.configPath, replaced, trimmed };
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
