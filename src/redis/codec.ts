import { emptyStore, parseStore, serializeStore } from "../store/format.js";
import { ENCRYPTED_FIELDS, isEncryptedValue, noKeysError, type FieldCipher } from "./crypto.js";
import type { StoreData } from "../model/store.js";
import { validateStore } from "../store/validate.js";
import { materializeStore } from "../store/kept-entries.js";

/** Turns stored text into a document and back, encrypting credential fields when asked. @internal */
export interface StoreCodec {
  /**
   * Parses, decrypts and validates stored text; `null` (no key) reads as an empty store.
   *
   * @throws AuthProfilesError `STORE_INVALID`, `STORE_DECRYPT`
   */
  decode(text: string | null): StoreData;
  /**
   * Validates and serializes a document as `auth-profiles.json` text, with credential fields
   * encrypted when a cipher is configured.
   *
   * @returns the validated (plain) document and the text to store
   * @throws AuthProfilesError `STORE_INVALID` for a document the schema rejects
   */
  encode(data: StoreData): { readonly data: StoreData; readonly text: string };
}

/**
 * Builds the codec of one store.
 *
 * @param location - the store as named in messages (URL without password, and key)
 * @param cipher - the field cipher, or `undefined` to store credentials in plain text
 * @returns the codec
 * @internal
 */
export function createStoreCodec(location: string, cipher: FieldCipher | undefined): StoreCodec {
  return {
    decode(text) {
      if (text === null) return emptyStore();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // parseStore words the error (file, line and column, never the text) and throws.
        return parseStore(text, location);
      }
      return validateStore(mapCredentialFields(value, (field, fieldValue, profileId) => {
        if (typeof fieldValue === "string" && cipher !== undefined) return cipher.plaintext(fieldValue, profileId, field, location);
        if (!isEncryptedValue(fieldValue)) return fieldValue;
        const kid = typeof fieldValue.kid === "string" ? fieldValue.kid : "";
        if (cipher === undefined) throw noKeysError(location, profileId, field, kid);
        return cipher.decrypt(fieldValue, profileId, field, location);
      }), location, "read");
    },
    encode(data) {
      const valid = validateStore(data, location, "write");
      if (cipher === undefined) return { data: valid, text: serializeStore(valid) };
      // Entries set aside on read go back too, and must be sealed like the others.
      const sealed = mapCredentialFields(materializeStore(valid), (field, fieldValue, profileId) =>
        typeof fieldValue === "string" ? cipher.encrypt(fieldValue, profileId, field) : fieldValue,
      );
      return { data: valid, text: serializeStore(sealed as StoreData) };
    },
  };
}

/**
 * Copies `document`, replacing each credential field of each profile entry by `map`'s result.
 * Everything else (unknown fields, key order) is kept; `document` is not changed.
 */
function mapCredentialFields(document: unknown, map: (field: string, value: unknown, profileId: string) => unknown): unknown {
  if (!isRecord(document) || !isRecord(document.profiles)) return document;
  const profiles: Record<string, unknown> = {};
  for (const [profileId, entry] of Object.entries(document.profiles)) {
    if (!isRecord(entry)) {
      setOwn(profiles, profileId, entry);
      continue;
    }
    const copy: Record<string, unknown> = {};
    for (const [field, fieldValue] of Object.entries(entry)) {
      setOwn(copy, field, (ENCRYPTED_FIELDS as readonly string[]).includes(field) ? map(field, fieldValue, profileId) : fieldValue);
    }
    setOwn(profiles, profileId, copy);
  }
  return { ...document, profiles };
}

/** Plain assignment would treat a `__proto__` key from JSON as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
