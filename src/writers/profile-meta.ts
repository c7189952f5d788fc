import { AuthProfilesError } from "../model/errors.js";
import type { CredentialMode } from "../model/credential.js";
import { CREDENTIAL_MODES } from "../config/schema.js";
import { asRecord, editConfig } from "./config-edit.js";

/** The metadata {@link recordProfileMeta} writes to `auth.profiles[id]` (never a secret). @internal */
export interface ProfileMetaInput {
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** How the credential is sent. */
  readonly mode: CredentialMode;
  /** The account e-mail, when known. */
  readonly email?: string | undefined;
}

/** Options of {@link recordProfileMeta}. @internal */
export interface RecordProfileMetaOptions {
  /** The bot config file (created with mode 0600 when missing). */
  readonly configPath: string;
  /** The profile id, e.g. `anthropic:default`. */
  readonly profileId: string;
  /** What to record. */
  readonly meta: ProfileMetaInput;
}

/** What {@link recordProfileMeta} returns. @internal */
export interface RecordProfileMetaResult {
  /** `false` when the config already said exactly this (nothing was written). */
  readonly changed: boolean;
}

/**
 * Records a profile's metadata in the bot config, as OpenClaw's onboarding does: sets
 * `auth.profiles[profileId]` (keeping that entry's other keys) and, only when
 * `auth.order[provider]` already exists, moves the id to its front.
 *
 * @remarks
 * Runs under the config file's lock: re-reads the file, edits it as written (no `${VAR}` expansion,
 * so references stay references), and writes it back atomically as JSON with 2-space indentation,
 * keeping the file's mode (0600 for a new file). A file with JSON5 comments is first copied to
 * `<path>.bak`. Nothing is written when the file already holds this metadata, and a file that fails
 * to parse is left untouched.
 *
 * @param options - config path, profile id and metadata
 * @returns whether the file changed
 * @throws AuthProfilesError `INVALID_ARGUMENT` (empty id or provider, unknown mode), `CONFIG_PARSE`
 *   / `CONFIG_INVALID` (the file cannot be edited safely; it is not touched), `STORE_LOCKED`,
 *   `STORE_IO`
 *
 * @example
 * ```ts
 * await recordProfileMeta({ configPath, profileId: "anthropic:default", meta: { provider: "anthropic", mode: "api_key" } });
 * ```
 * @internal
 */
export async function recordProfileMeta(options: RecordProfileMetaOptions): Promise<RecordProfileMetaResult> {
  const { configPath, profileId, meta } = options;
  checkInput(profileId, meta);
  const changed = await editConfig(configPath, (raw) => withProfileMeta(raw, profileId, meta));
  return { changed };
}

function withProfileMeta(raw: Record<string, unknown>, profileId: string, meta: ProfileMetaInput): Record<string, unknown> {
  const auth = asRecord(raw["auth"]);
  const profiles = asRecord(auth["profiles"]);
  const entry = {
    ...asRecord(Object.hasOwn(profiles, profileId) ? profiles[profileId] : undefined),
    provider: meta.provider,
    mode: meta.mode,
    ...(meta.email === undefined ? {} : { email: meta.email }),
  };
  const nextAuth: Record<string, unknown> = { ...auth, profiles: { ...profiles, [profileId]: entry } };
  const order = asRecord(auth["order"]);
  const list = order[meta.provider];
  if (Array.isArray(list) && Object.hasOwn(order, meta.provider)) {
    nextAuth["order"] = { ...order, [meta.provider]: [profileId, ...list.filter((id) => id !== profileId)] };
  }
  return { ...raw, auth: nextAuth };
}

function checkInput(profileId: string, meta: ProfileMetaInput): void {
  const problem =
    profileId.trim() === ""
      ? "the profile id is empty"
      : meta.provider.trim() === ""
        ? "the provider is empty"
        : (CREDENTIAL_MODES as readonly string[]).includes(meta.mode)
          ? undefined
          : `mode must be one of ${CREDENTIAL_MODES.map((mode) => `"${mode}"`).join(", ")}`;
  if (problem !== undefined) {
    throw new AuthProfilesError("INVALID_ARGUMENT", `Cannot record profile metadata: ${problem}.`, {
      hint: 'Pass a profile id like "anthropic:default", a provider like "anthropic" and a mode of api_key, token or oauth.',
      details: { profileId },
    });
  }
}
