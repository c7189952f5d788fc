import { AuthProfilesError } from "../model/errors.js";
import { requireString } from "../model/arguments.js";

/**
 * Every setup-token (and Claude OAuth access token) starts with this.
 *
 * @category Credential sources
 */
export const SETUP_TOKEN_PREFIX = "sk-ant-oat01-";
/**
 * A real setup-token is longer than this; shorter means it was cut while pasting.
 *
 * @category Credential sources
 */
export const SETUP_TOKEN_MIN_LENGTH = 80;

/**
 * Checks and normalises a pasted setup-token: removes all whitespace and line breaks (terminals
 * wrap long tokens), then requires the `sk-ant-oat01-` prefix and a length of at least 80.
 *
 * @param token - the text the user pasted
 * @returns the cleaned token
 * @throws AuthProfilesError `TOKEN_INVALID` when empty, when it looks like a browser `code#state`
 *   string, when the prefix is wrong (an API key, say) or when it is too short
 *
 * @example
 * ```ts
 * const token = validateSetupToken(pasted); // throws TOKEN_INVALID with a hint on a bad paste
 * await saveToken({ token });
 * ```
 *
 * @category Writing credentials
 */
export function validateSetupToken(token: string): string {
  requireString("validateSetupToken", "token", token);
  const cleaned = token.replace(/\s+/g, "");
  if (cleaned.length === 0) throw invalid("Setup-token is required: nothing was pasted.", "empty");
  if (!cleaned.startsWith("sk-ant-") && /^[A-Za-z0-9_-]+#[A-Za-z0-9_-]+$/.test(cleaned)) {
    throw invalid(
      "That looks like a browser `code#state` string from the Claude login page, not a setup-token.",
      "code_state",
    );
  }
  if (!cleaned.startsWith(SETUP_TOKEN_PREFIX)) {
    const looksLikeKey = cleaned.startsWith("sk-ant-api");
    throw invalid(
      `Expected token starting with ${SETUP_TOKEN_PREFIX}${looksLikeKey ? " (this looks like an API key: save it with onboard --anthropic-api-key instead)" : ""}.`,
      "prefix",
    );
  }
  if (cleaned.length < SETUP_TOKEN_MIN_LENGTH) {
    throw invalid(
      `Token looks too short (${cleaned.length} characters, expected at least ${SETUP_TOKEN_MIN_LENGTH}); paste the full setup-token.`,
      "too_short",
    );
  }
  return cleaned;
}

function invalid(message: string, problem: string): AuthProfilesError {
  return new AuthProfilesError("TOKEN_INVALID", message, { hintRef: { id: "pasteSetupToken", args: {} }, details: { problem } });
}
