/** Printable ASCII without space: the only characters a credential may have to be sent in a header. */
const SAFE_HEADER_SECRET = /^[\x21-\x7e]+$/;

/**
 * Says why a secret cannot be sent as an HTTP header value (`x-api-key`, `Authorization: Bearer`),
 * in words a person can act on, without quoting any of it.
 *
 * @remarks
 * A credential is printable ASCII without spaces. Anything else either splits or corrupts the header
 * line (CR, LF, NUL), or makes `fetch` throw before any request is sent (non-ASCII), or is a copy and
 * paste accident (a trailing newline, an inner space) that the API would reject anyway.
 *
 * @param secret - the key or token
 * @returns `null` when it can be sent; else a phrase such as `"ends with a line break"`
 * @internal
 */
export function headerValueProblem(secret: unknown): string | null {
  if (typeof secret !== "string" || secret === "") return "is empty";
  if (SAFE_HEADER_SECRET.test(secret)) return null;
  if (/[\r\n]$/.test(secret)) return "ends with a line break";
  if (/^\s|\s$/.test(secret)) return "has leading or trailing whitespace";
  if (secret.includes("\u0000")) return "contains a NUL character";
  if (/[\r\n]/.test(secret)) return "contains a line break";
  if (/\s/.test(secret)) return "contains a space";
  if (/[^\x00-\x7f]/.test(secret)) return "contains a non-ASCII character";
  return "contains a control character";
}

/** What each stored type calls its secret, and how a person replaces it. */
const SECRET_WORDS: Readonly<Record<string, { readonly what: string; readonly fix: string }>> = {
  api_key: { what: "API key", fix: "save the key again without it (saveApiKey refuses such values)" },
  token: { what: "setup-token", fix: "paste the setup-token again without it (saveToken trims line breaks)" },
  oauth: { what: "OAuth access token", fix: "sign in again or paste a setup-token" },
};

/** A stored secret that cannot be sent, in words: what is wrong and how to fix it. @internal */
export interface UnsendableSecret {
  /** E.g. `The stored API key of "anthropic:default" cannot be sent: it ends with a line break.` */
  readonly message: string;
  /** E.g. `Save the key again without it (saveApiKey refuses such values), or remove the profile.` */
  readonly fix: string;
}

/**
 * Words a stored credential that cannot be sent in a header, without quoting it.
 *
 * @param profileId - the profile
 * @param type - its stored type (`api_key`, `token`, `oauth`)
 * @param problem - from {@link headerValueProblem}
 * @returns the message and the fix
 * @internal
 */
export function describeUnsendable(profileId: string, type: string, problem: string): UnsendableSecret {
  const words = SECRET_WORDS[type] ?? { what: "credential", fix: "store it again" };
  return {
    message: `The stored ${words.what} of "${profileId}" cannot be sent: it ${problem}.`,
    fix: `${words.fix.charAt(0).toUpperCase()}${words.fix.slice(1)}, or remove the profile.`,
  };
}

/**
 * The secret a stored entry sends: `key`, `token` or the OAuth `access` token.
 *
 * @param entry - a stored entry of a known type
 * @returns the value (possibly not a string, for a hand-edited store)
 * @internal
 */
export function sentSecretOf(entry: { readonly type: string; readonly [field: string]: unknown }): unknown {
  return entry.type === "api_key" ? entry["key"] : entry.type === "token" ? entry["token"] : entry["access"];
}
