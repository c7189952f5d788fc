import * as v from "valibot";
import { AuthProfilesError } from "../model/errors.js";
import { withFileLock } from "../io/lock.js";
import type { CredentialMode } from "../model/credential.js";
import { configInvalidError } from "../config/config-errors.js";
import { readConfigFile, writeConfigFile } from "../config/config-file.js";
import { summarizeIssue } from "../config/issue-path.js";
import { parseConfigText } from "../config/parse-text.js";
import { CREDENTIAL_MODES, plainObject } from "../config/schema.js";

/** The metadata {@link recordProfileMeta} writes to `auth.profiles[id]` (never a secret). */
export interface ProfileMetaInput {
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** How the credential is sent. */
  readonly mode: CredentialMode;
  /** The account e-mail, when known. */
  readonly email?: string | undefined;
}

/** Options of {@link recordProfileMeta}. */
export interface RecordProfileMetaOptions {
  /** The bot config file (created with mode 0600 when missing). */
  readonly configPath: string;
  /** The profile id, e.g. `anthropic:default`. */
  readonly profileId: string;
  /** What to record. */
  readonly meta: ProfileMetaInput;
}

/** What {@link recordProfileMeta} returns. */
export interface RecordProfileMetaResult {
  /** `false` when the config already said exactly this (nothing was written). */
  readonly changed: boolean;
}

/** Just the shape the edit needs; the rest of the file is kept as written. */
const EditableConfigSchema = v.looseObject({
  auth: v.optional(
    plainObject(
      v.looseObject({
        profiles: v.optional(plainObject(v.record(v.string(), plainObject(v.looseObject({}))))),
        order: v.optional(plainObject(v.record(v.string(), v.array(v.string())))),
      }),
    ),
  ),
});

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
 */
export async function recordProfileMeta(options: RecordProfileMetaOptions): Promise<RecordProfileMetaResult> {
  const { configPath, profileId, meta } = options;
  checkInput(profileId, meta);
  return withFileLock(configPath, async (lockLost) => {
    const text = await readConfigFile(configPath);
    const raw = text === undefined ? {} : parseConfigText(text, configPath);
    const parsed = v.safeParse(EditableConfigSchema, raw, { abortEarly: false });
    if (!parsed.success) throw configInvalidError(configPath, parsed.issues.map((issue) => summarizeIssue(issue)));
    const next = withProfileMeta(raw, profileId, meta);
    if (text !== undefined && JSON.stringify(next) === JSON.stringify(raw)) return { changed: false };
    lockLost.throwIfAborted();
    await writeConfigFile(configPath, next, text);
    return { changed: true };
  });
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

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
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
