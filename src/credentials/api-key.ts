import { AuthProfilesError } from "../model/errors.js";
import type { HintRef } from "../model/hints.js";
import { SETUP_TOKEN_PREFIX } from "./setup-token.js";

/**
 * Every Anthropic API key starts with this (then a version, e.g. `sk-ant-api03-`).
 *
 * @category Credential sources
 */
export const API_KEY_PREFIX = "sk-ant-api";
/**
 * Anthropic Admin API keys start with this; they cannot call the Messages API.
 *
 * @category Credential sources
 */
export const ADMIN_KEY_PREFIX = "sk-ant-admin";

/**
 * What is wrong with an API key, as `details.problem` of the `API_KEY_INVALID` error.
 *
 * @category Writing credentials
 */
export type ApiKeyProblem = "empty" | "inner_whitespace" | "control_character" | "non_ascii" | "admin_key" | "setup_token" | "code_state" | "not_an_api_key";

/**
 * Options of {@link validateApiKey}.
 *
 * @category Writing credentials
 */
export interface ValidateApiKeyOptions {
  /**
   * Accept a key that is not shaped like an Anthropic API key (`sk-ant-api03-…`), e.g. the key of a
   * proxy or gateway. Whitespace, control characters and non-ASCII are refused all the same.
   *
   * @defaultValue `false`
   */
  readonly allowNonStandardKey?: boolean | undefined;
}

/**
 * What {@link validateApiKey} returns.
 *
 * @category Writing credentials
 */
export interface ValidatedApiKey {
  /** The key, without surrounding whitespace. */
  readonly key: string;
  /** `true` when surrounding whitespace or a trailing newline (a paste) was removed. */
  readonly trimmed: boolean;
}

/** `sk-ant-api03-` plus at least 20 key characters. */
const API_KEY_SHAPE = /^sk-ant-api\d{2}-[A-Za-z0-9_-]{20,}$/;

/**
 * Checks an API key before it is saved: trims surrounding whitespace (a paste's trailing newline),
 * then refuses inner whitespace, control characters (NUL included), non-ASCII, an Admin key, a
 * setup-token, a browser `code#state` string, and, unless `allowNonStandardKey`, anything not shaped
 * like `sk-ant-api03-…`. Errors name the problem, never the value.
 *
 * @param key - the key as given or pasted
 * @param options - whether a non-Anthropic (proxy) key is fine
 * @returns the trimmed key and whether trimming changed it
 * @throws AuthProfilesError `API_KEY_INVALID` with `details.problem` ({@link ApiKeyProblem})
 *
 * @example
 * ```ts
 * const { key, trimmed } = validateApiKey(pasted); // "sk-ant-api03-…", true when a newline was cut
 * ```
 *
 * @category Writing credentials
 */
export function validateApiKey(key: string, options: ValidateApiKeyOptions = {}): ValidatedApiKey {
  if (typeof key !== "string") throw invalid("The API key must be a string.", "empty");
  const cleaned = key.trim();
  const trimmed = cleaned !== key;
  if (cleaned.length === 0) throw invalid("The API key is empty.", "empty");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(cleaned)) throw invalid("The API key contains a control character (NUL, a line break or similar) inside it.", "control_character");
  if (/\s/.test(cleaned)) throw invalid("The API key contains whitespace inside it: a key is one unbroken word.", "inner_whitespace");
  if (/[^\x20-\x7e]/.test(cleaned)) throw invalid("The API key contains a non-ASCII character (a typographic quote, dash or ellipsis from a document, say).", "non_ascii");
  if (cleaned.startsWith(ADMIN_KEY_PREFIX)) {
    throw invalid("This is an Anthropic Admin API key (sk-ant-admin01-…): it manages an organization and cannot send Messages API requests.", "admin_key", "Create a regular API key (sk-ant-api03-…) in the Anthropic Console under Settings → API keys, and save that one.");
  }
  if (cleaned.startsWith(SETUP_TOKEN_PREFIX)) {
    throw invalid('This is a setup-token or OAuth token, not an API key: sent as x-api-key it fails with "invalid x-api-key".', "setup_token", { id: "tokenNotKey", args: {} });
  }
  if (!cleaned.startsWith("sk-ant-") && /^[A-Za-z0-9_-]+#[A-Za-z0-9_-]+$/.test(cleaned)) {
    throw invalid("That looks like a browser `code#state` string from the Claude login page, not an API key.", "code_state", { id: "codeStateNotKey", args: {} });
  }
  if (options.allowNonStandardKey !== true && !API_KEY_SHAPE.test(cleaned)) {
    throw invalid("This is not shaped like an Anthropic API key (sk-ant-api03- followed by the key).", "not_an_api_key", "Copy the whole key from the Anthropic Console; for a proxy or gateway key, pass allowNonStandardKey: true.");
  }
  return { key: cleaned, trimmed };
}

function invalid(message: string, problem: ApiKeyProblem, hint: string | HintRef = "Copy the whole key from the Anthropic Console (it starts with sk-ant-api03-)."): AuthProfilesError {
  return new AuthProfilesError("API_KEY_INVALID", message, { ...(typeof hint === "string" ? { hint } : { hintRef: hint }), details: { problem } });
}
