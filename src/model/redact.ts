import { inspect } from "node:util";
import { requireObject, requireString } from "../model/arguments.js";

/** Known Anthropic secret prefixes, longest first. */
const SECRET_PREFIXES = ["sk-ant-admin01-", "sk-ant-api03-", "sk-ant-oat01-", "sk-ant-ort01-", "sk-ant-"] as const;

/** A secret shorter than this never shows its last characters. */
const MIN_LENGTH_TO_SHOW_TAIL = 20;
const TAIL_LENGTH = 4;

/**
 * Masks a secret for display: the prefix family and the last 4 characters at most.
 *
 * @param secret - an API key, access token, setup-token or refresh token
 * @returns e.g. `sk-ant-api03-…wxyz`; `…` alone for short or unknown secrets
 *
 * @example
 * ```ts
 * redactSecret("sk-ant-api03-abcdefghijklmnopqrstuvwxyz"); // "sk-ant-api03-…wxyz"
 * ```
 *
 * @category Errors
 */
export function redactSecret(secret: string): string {
  requireString("redactSecret", "secret", secret);
  const trimmed = secret.trim();
  const prefix = SECRET_PREFIXES.find((p) => trimmed.startsWith(p)) ?? "";
  const tail = trimmed.slice(-TAIL_LENGTH);
  // A tail is shown only when it is plain key characters: never a second "…" or other odd text.
  if (trimmed.length < MIN_LENGTH_TO_SHOW_TAIL || trimmed.length - prefix.length < 12 || !/^[A-Za-z0-9_-]+$/.test(tail)) return `${prefix}…`;
  return `${prefix}…${tail}`;
}

/**
 * Secret values this process has read: keys, tokens and refresh tokens from a store, Claude Code's
 * file, env, a token endpoint's answer, or a writer's input. Masking by shape alone misses a proxy
 * key such as `proxy-key-…`; masking every value we know catches it wherever it comes back (an API
 * error body echoing it, a JSON key that is a pasted key, a bad flag).
 *
 * Process-wide on purpose: an error can be built anywhere, by code that holds no resolver, and a
 * secret must be masked there too. Bounded (oldest forgotten first); values shorter than
 * {@link MIN_KNOWN_SECRET_LENGTH} characters are not remembered, since they would mask ordinary
 * words.
 */
const knownSecrets = new Set<string>();
/** Longest first, so a secret that contains another is masked whole; `null` until needed again. */
let knownByLength: readonly string[] | null = [];
const MAX_KNOWN_SECRETS = 1024;
/** A shorter value is never remembered as a secret. */
const MIN_KNOWN_SECRET_LENGTH = 12;

/**
 * Remembers secret values so that {@link redactText} masks them wherever they appear, whatever
 * their shape. Non-strings and short values are ignored.
 *
 * @param values - keys, tokens, refresh tokens just read
 * @internal
 */
export function rememberSecrets(...values: readonly unknown[]): void {
  for (const value of values) {
    if (typeof value !== "string") continue;
    const secret = value.trim();
    if (secret.length < MIN_KNOWN_SECRET_LENGTH || knownSecrets.has(secret)) continue;
    if (knownSecrets.size >= MAX_KNOWN_SECRETS) knownSecrets.delete(knownSecrets.values().next().value as string);
    knownSecrets.add(secret);
    // Sorted when text is next redacted, not per value: reading a store of N keys stays O(N).
    knownByLength = null;
  }
}

/** Anything shaped like an Anthropic secret: `sk-ant-` then at least 8 token characters. */
const SECRET_PATTERN = /sk-ant-[A-Za-z0-9_-]{8,}/g;
/** Bearer / key values in header-like text. */
const BEARER_PATTERN = /\b(Bearer|x-api-key:?)\s+([A-Za-z0-9._~+/=-]{12,})(?![A-Za-z0-9._~+/=…-])/gi;

/**
 * Redacts every secret-looking value in free text (messages, error bodies, log lines): values
 * shaped like Anthropic secrets or bearer tokens, and every secret this process has read (a proxy
 * key too, whatever its shape).
 *
 * @param text - the text to clean
 * @param secrets - extra exact values to mask wherever they appear
 * @returns the text with each secret replaced by its {@link redactSecret} form
 *
 * @category Errors
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  requireString("redactText", "text", text);
  if (!Array.isArray(secrets)) requireObject("redactText", "secrets", secrets);
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join(redactSecret(secret));
  }
  knownByLength ??= [...knownSecrets].sort((a, b) => b.length - a.length);
  for (const secret of knownByLength) {
    if (out.includes(secret)) out = out.split(secret).join(redactSecret(secret));
  }
  out = out.replace(SECRET_PATTERN, (match) => redactSecret(match));
  return out.replace(BEARER_PATTERN, (_m, kind: string, value: string) => `${kind} ${redactSecret(value)}`);
}

/**
 * Masks every string in a JSON-like value (object keys included), as {@link redactText} does.
 *
 * @param value - error details or any plain data
 * @returns a copy with strings masked; other values as they are
 * @internal
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, redactText(key), { value: redactDeep(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Gives an object a secret-free `toJSON()` and `util.inspect` view (both non-enumerable).
 *
 * @param target - the object to protect (returned as is)
 * @param view - builds the public, redacted view of `target`
 * @returns `target`
 * @internal
 */
export function attachRedactedView<T extends object>(target: T, view: (value: T) => Record<string, unknown>): T {
  Object.defineProperty(target, "toJSON", { value: () => view(target), enumerable: false });
  Object.defineProperty(target, inspect.custom, {
    value: (_depth: number, options: Parameters<typeof inspect>[1]) => inspect(view(target), options),
    enumerable: false,
  });
  return target;
}

/**
 * Defines a read-only, non-enumerable property, so spreads, `Object.keys`, `JSON.stringify` and
 * `util.inspect` never see it.
 *
 * @param target - the object
 * @param key - the property name
 * @param value - the secret value
 * @returns `target`
 * @internal
 */
export function defineHidden<T extends object>(target: T, key: PropertyKey, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: false, writable: false, configurable: false });
  return target;
}
