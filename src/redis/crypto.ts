import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AuthProfilesError } from "../model/errors.js";

/**
 * The credential fields of a profile entry that are encrypted at rest.
 *
 * @category Store
 */
export const ENCRYPTED_FIELDS = ["key", "token", "access", "refresh"] as const;

/**
 * The only algorithm written (and read) in an {@link EncryptedValue}.
 *
 * @category Store
 */
export const ENCRYPTION_ALGORITHM = "aes-256-gcm";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encryption of credential fields at rest, with keys the operator supplies.
 *
 * @remarks
 * Values are written with `currentKeyId` and read with whichever key their stored `kid` names, so
 * keys rotate by adding the new key, making it current, and keeping the old one until every
 * value was rewritten (any update rewrites the whole document with the current key).
 *
 * @category Store
 */
export interface RedisStoreEncryption {
  /** AES-256 keys (32 bytes each) by key id. The key id is stored beside each ciphertext. */
  readonly keys: Readonly<Record<string, Uint8Array>>;
  /** The key id new values are encrypted with; must be in `keys`. */
  readonly currentKeyId: string;
  /**
   * One-time migration: also accept credential values stored in plain text and values sealed under
   * the old binding (profile id and field only, without key prefix and agent id), so the next
   * update re-seals them under the current binding. Default `false`: such values fail with
   * `STORE_DECRYPT`, so someone with write access to Redis but no key cannot inject a credential.
   *
   * @remarks
   * Turn it on for one run, rewrite the store once (any update rewrites every value, e.g.
   * `store.update((data) => ({ data, result: undefined }))`), then turn it off again.
   * @defaultValue false
   */
  readonly migrate?: boolean;
}

/** Where a store's ciphertexts belong: bound into each value's authenticated data. @internal */
export interface FieldCipherScope {
  /** The store's key prefix (e.g. `auth-profiles:`). */
  readonly keyPrefix: string;
  /** The store's agent id. */
  readonly agentId: string;
}

/**
 * What an encrypted field holds instead of the secret (base64 `iv`, `tag` and `data`).
 *
 * @category Store
 */
export interface EncryptedValue {
  /** Always `aes-256-gcm`. */
  readonly enc: typeof ENCRYPTION_ALGORITHM;
  /** The id of the key it was encrypted with. */
  readonly kid: string;
  /** The random 12-byte IV, base64. */
  readonly iv: string;
  /** The 16-byte GCM authentication tag, base64. */
  readonly tag: string;
  /** The ciphertext, base64. */
  readonly data: string;
  /**
   * The authenticated-data binding: `2` binds key prefix, agent id, profile id and field. Absent on
   * values written before it existed (profile id and field only), which are read only with
   * {@link RedisStoreEncryption.migrate}.
   */
  readonly bind?: 2;
}

/** The binding written into every new {@link EncryptedValue}. @internal */
export const CURRENT_BINDING: 2 = 2;

/** Encrypts and decrypts single field values, bound to their profile id and field name. @internal */
export interface FieldCipher {
  /** Encrypts `plain` with the current key. */
  encrypt(plain: string, profileId: string, field: string): EncryptedValue;
  /**
   * Decrypts an envelope.
   *
   * @throws AuthProfilesError `STORE_DECRYPT` naming the key id and profile id
   */
  decrypt(value: Readonly<Record<string, unknown>>, profileId: string, field: string, location: string): string;
  /**
   * Checks a credential field found in plain text.
   *
   * @returns the value, when the one-time migration is on
   * @throws AuthProfilesError `STORE_DECRYPT` otherwise
   */
  plaintext(value: string, profileId: string, field: string, location: string): string;
}

/**
 * Checks and copies the operator's keys (the caller's buffers are neither kept nor changed).
 *
 * @param encryption - keys, the current key id and the migration switch
 * @param scope - the store's key prefix and agent id, bound into every value
 * @returns a cipher for field values
 * @throws AuthProfilesError `INVALID_ARGUMENT` when a key is not 32 bytes or `currentKeyId` is unknown
 * @internal
 */
export function createFieldCipher(encryption: RedisStoreEncryption, scope: FieldCipherScope): FieldCipher {
  const keys = new Map<string, Buffer>();
  for (const [kid, key] of Object.entries(encryption.keys)) {
    if (kid === "" || !(key instanceof Uint8Array) || key.byteLength !== KEY_BYTES) {
      throw new AuthProfilesError("INVALID_ARGUMENT", `Encryption key "${kid}" is not a 32-byte key.`, {
        hint: 'Give each key id a non-empty name and 32 random bytes, e.g. Buffer.from(process.env.STORE_KEY, "base64") from `openssl rand -base64 32`.',
        details: { option: "encryption.keys", keyId: kid },
      });
    }
    keys.set(kid, Buffer.from(key));
  }
  const current = keys.get(encryption.currentKeyId);
  if (current === undefined) {
    throw new AuthProfilesError("INVALID_ARGUMENT", `Encryption currentKeyId "${encryption.currentKeyId}" is not in encryption.keys.`, {
      hint: "Set currentKeyId to one of the key ids in encryption.keys.",
      details: { option: "encryption.currentKeyId", keyId: encryption.currentKeyId },
    });
  }
  const currentKeyId = encryption.currentKeyId;
  const migrate = encryption.migrate === true;

  return {
    encrypt(plain, profileId, field) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ENCRYPTION_ALGORITHM, current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(scope, profileId, field));
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return { enc: ENCRYPTION_ALGORITHM, kid: currentKeyId, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64"), bind: CURRENT_BINDING };
    },
    decrypt(value, profileId, field, location) {
      const kid = typeof value.kid === "string" ? value.kid : "";
      const key = keys.get(kid);
      if (key === undefined) {
        throw decryptError(location, profileId, field, kid, `key id "${kid}" is not configured`, "Add the key with this id to encryption.keys (keep old keys until every value was rewritten with the current one).");
      }
      const iv = base64(value.iv);
      const tag = base64(value.tag);
      const data = base64(value.data);
      if (value.enc !== ENCRYPTION_ALGORITHM || iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || data === undefined) {
        throw decryptError(location, profileId, field, kid, "the encrypted value is malformed", "Restore the profile from a backup or onboard it again.");
      }
      const legacy = value.bind === undefined;
      if (!legacy && value.bind !== CURRENT_BINDING) {
        throw decryptError(location, profileId, field, kid, `its binding ${JSON.stringify(value.bind)} is unknown`, "Restore the profile from a backup or onboard it again.");
      }
      if (legacy && !migrate) {
        throw decryptError(location, profileId, field, kid, "it was sealed under the old binding (profile id and field only)", "Re-seal the store once: open it with encryption.migrate: true, run one update (any update rewrites every value), then remove migrate.");
      }
      try {
        const decipher = createDecipheriv(ENCRYPTION_ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(legacy ? legacyAssociatedData(profileId, field) : associatedData(scope, profileId, field));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
      } catch (error) {
        throw decryptError(location, profileId, field, kid, "authentication failed (wrong key for this id, or the value was changed or moved from another profile, agent or key prefix)", `Check that key "${kid}" in encryption.keys is the key the value was written with; otherwise restore the profile or onboard it again.`, error);
      }
    },
    plaintext(value, profileId, field, location) {
      if (migrate) return value;
      throw new AuthProfilesError("STORE_DECRYPT", `Refusing "${field}" of profile "${profileId}" in ${location}: it is stored in plain text although encryption is on (written without a key, or injected).`, {
        hint: "If this store was written before encryption was turned on, re-seal it once: open it with encryption.migrate: true and run one update, then remove migrate. Otherwise remove the value and onboard the profile again.",
        details: { file: location, profileId, field, keyId: null },
      });
    },
  };
}

/**
 * Tells whether a stored field value is an encryption envelope (any algorithm).
 *
 * @param value - a field value from the stored document
 * @returns `true` for an object with a string `enc`
 * @internal
 */
export function isEncryptedValue(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { enc?: unknown }).enc === "string";
}

/**
 * The error for an envelope found when no encryption is configured.
 *
 * @param location - the store, for messages
 * @param profileId - the profile holding it
 * @param field - the field
 * @param kid - the key id stored beside it
 * @returns a `STORE_DECRYPT` error
 * @internal
 */
export function noKeysError(location: string, profileId: string, field: string, kid: string): AuthProfilesError {
  return decryptError(location, profileId, field, kid, "no encryption keys are configured", `Pass encryption: { keys: { "${kid}": <32-byte key> }, currentKeyId } to the Redis profile store.`);
}

/**
 * Binds a ciphertext to its place, so it cannot be moved to another store (key prefix), agent,
 * profile or field unnoticed. JSON encoding keeps the parts unambiguous whatever they contain.
 */
function associatedData(scope: FieldCipherScope, profileId: string, field: string): Buffer {
  return Buffer.from(`auth-profiles:v${CURRENT_BINDING}:${JSON.stringify([scope.keyPrefix, scope.agentId, profileId, field])}`, "utf8");
}

/** The binding of values written before {@link CURRENT_BINDING}: profile id and field only. */
function legacyAssociatedData(profileId: string, field: string): Buffer {
  return Buffer.from(`auth-profiles:${profileId}:${field}`, "utf8");
}

function base64(value: unknown): Buffer | undefined {
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, "base64");
}

function decryptError(location: string, profileId: string, field: string, kid: string, why: string, hint: string, cause?: unknown): AuthProfilesError {
  return new AuthProfilesError("STORE_DECRYPT", `Cannot decrypt "${field}" of profile "${profileId}" in ${location} with key id "${kid}": ${why}.`, {
    hint,
    cause,
    details: { file: location, profileId, field, keyId: kid },
  });
}
