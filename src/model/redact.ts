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

/** Anything shaped like an Anthropic secret: `sk-ant-` then at least 8 token characters. */
const SECRET_PATTERN = /sk-ant-[A-Za-z0-9_-]{8,}/g;
/** Bearer / key values in header-like text. */
const BEARER_PATTERN = /\b(Bearer|x-api-key:?)\s+([A-Za-z0-9._~+/=-]{12,})(?![A-Za-z0-9._~+/=…-])/gi;

/**
 * Redacts every secret-looking value in free text (messages, error bodies, log lines).
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
  out = out.replace(SECRET_PATTERN, (match) => redactSecret(match));
  return out.replace(BEARER_PATTERN, (_m, kind: string, value: string) => `${kind} ${redactSecret(value)}`);
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
