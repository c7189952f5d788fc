import { inspect } from "node:util";
import { redactDeep, redactText } from "./redact.js";
import type { ErrorDetailsMap, ErrorFacts, UnavailableProfileInfo } from "./error-details.js";

export type { ClaudeCliDetails, ErrorDetailsMap, ErrorFacts, FileDetails, UnavailableProfileInfo } from "./error-details.js";
import { renderHint, type HintCommandArgs, type HintCommands, type HintRef } from "./hints.js";

/**
 * Every stable error code this library throws. Match on `error.code`, never on the message.
 *
 * @remarks The README has a table with the meaning and the usual fix of each code.
 *
 * @category Errors
 */
export type ErrorCode =
  | "NO_API_KEY"
  | "NO_CREDENTIALS"
  | "PROFILE_NOT_CONFIGURED"
  | "NO_AVAILABLE_PROFILE"
  | "OAUTH_REFRESH_FAILED"
  | "CLAUDE_CLI_EXPIRED"
  | "CLAUDE_CLI_INVALID"
  | "TOKEN_INVALID"
  | "API_KEY_INVALID"
  | "CREDENTIAL_INVALID"
  | "CONFIG_PARSE"
  | "CONFIG_INVALID"
  | "CONFIG_ENV_MISSING"
  | "STORE_INVALID"
  | "STORE_LOCKED"
  | "STORE_IO"
  | "STORE_UNAVAILABLE"
  | "STORE_DECRYPT"
  | "FILE_UNSAFE"
  | "SECRET_REF_UNRESOLVED"
  | "INVALID_ARGUMENT"
  | "RESOLVER_CLOSED";

/**
 * Structured, secret-free facts attached to an {@link AuthProfilesError} with code `C` (see
 * {@link ErrorDetailsMap}); for any code, the union of them all.
 *
 * @category Errors
 */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = C extends keyof ErrorDetailsMap ? ErrorDetailsMap[C] : ErrorFacts;

/**
 * Options accepted by the {@link AuthProfilesError} constructor.
 *
 * @category Errors
 */
export interface AuthProfilesErrorOptions<C extends ErrorCode = ErrorCode> {
  /** What a person should try to fix it. */
  readonly hint?: string | undefined;
  /** The underlying error, kept for debugging (never shown with secrets). */
  readonly cause?: unknown;
  /** Structured facts (file, JSON path, profile id, …). Must not contain secrets. */
  readonly details?: ErrorDetails<C> | undefined;
  /**
   * A hint from the hint table, kept as facts so a resolver or writer given `commands` can write it
   * again with the bot's command names. Used when `hint` is not given.
   *
   * @internal
   */
  readonly hintRef?: HintRef | undefined;
}

/**
 * An {@link AuthProfilesError} of any code, as a union discriminated by `code`: checking
 * `error.code === "FILE_UNSAFE"` narrows `error.details` to that code's details.
 *
 * @category Errors
 */
export type AnyAuthProfilesError = { [C in ErrorCode]: AuthProfilesError<C> }[ErrorCode];

const BRAND: unique symbol = Symbol.for("auth-profiles.error") as never;
const HINT_REF: unique symbol = Symbol.for("auth-profiles.hint-ref") as never;

/**
 * The one base class of every error this library throws.
 *
 * @remarks
 * `message`, `hint`, `toJSON()` and `util.inspect` output pass through {@link redactText}, so a
 * credential that slipped into a message is shown as `sk-ant-api03-…wxyz` at most.
 *
 * @example
 * ```ts
 * try { await resolveAuth(); } catch (e) {
 *   if (isAuthProfilesError(e) && e.code === "NO_API_KEY") console.error(e.message, e.hint);
 * }
 * ```
 *
 * @category Errors
 */
export class AuthProfilesError<C extends ErrorCode = ErrorCode> extends Error {
  /** Stable machine-readable code. */
  readonly code: C;
  /** The fix a person should try, or `undefined`. */
  readonly hint: string | undefined;
  /** Structured, secret-free facts about the failure (typed per code, see {@link ErrorDetailsMap}). */
  readonly details: ErrorDetails<C>;

  /**
   * @param code - the stable code
   * @param message - facts first; secrets are redacted automatically
   * @param options - hint, cause and details
   */
  constructor(code: C, message: string, options: AuthProfilesErrorOptions<C> = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AuthProfilesError";
    this.code = code;
    const hint = options.hint ?? (options.hintRef === undefined ? undefined : renderHint(options.hintRef, undefined));
    this.hint = hint === undefined ? undefined : redactText(hint);
    // Details are facts, yet a fact can quote a secret (a JSON key that is a pasted key): masked too.
    this.details = Object.freeze(redactDeep({ ...(options.details ?? {}) })) as ErrorDetails<C>;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
    if (options.hint === undefined && options.hintRef !== undefined) Object.defineProperty(this, HINT_REF, { value: options.hintRef, enumerable: false });
  }

  /** @returns a JSON-safe, secret-free view of the error. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      details: redactDeep(this.details),
      ...(this.cause === undefined ? {} : { cause: describeCause(this.cause) }),
    };
  }

  /** @internal */
  [inspect.custom](): string {
    const hint = this.hint === undefined ? "" : `\n  hint: ${this.hint}`;
    const details = Object.keys(this.details as object).length === 0 ? "" : `\n  details: ${redactText(safeJson(this.details))}`;
    const cause = this.cause === undefined ? "" : `\n  cause: ${redactText(safeJson(describeCause(this.cause)))}`;
    const stack = redactText(this.stack ?? `${this.name}: ${this.message}`);
    return `${stack.replace(/^[^\n]*/, `${this.name} [${this.code}]: ${this.message}`)}${hint}${details}${cause}`;
  }
}

/**
 * Writes an error's table hint again with the bot's command names (and the caller's agent when the
 * error did not know it). Errors without a table hint, and anything that is not ours, pass unchanged.
 *
 * @param error - anything caught
 * @param commands - the bot's commands, or `undefined` for the neutral texts
 * @param context - facts the caller knows (its agent id)
 * @returns `error`, its `hint` rewritten when it came from the hint table
 * @internal
 */
export function withCommandHints(error: unknown, commands: HintCommands | undefined, context: HintCommandArgs = {}): unknown {
  if (!isAuthProfilesError(error)) return error;
  const ref = (error as unknown as Record<symbol, HintRef | undefined>)[HINT_REF];
  if (ref === undefined) return error;
  const args = { ...context, ...Object.fromEntries(Object.entries(ref.args).filter(([, value]) => value !== undefined)) };
  Object.defineProperty(error, "hint", { value: redactText(renderHint({ id: ref.id, args }, commands)), enumerable: true, writable: false, configurable: true });
  return error;
}

/**
 * Tells whether a value is an {@link AuthProfilesError}, even one thrown by another copy of this
 * package (ESM and CJS builds loaded side by side).
 *
 * @param value - anything caught
 * @returns `true` when `value` carries the error brand and a string `code`; checking `code` then
 *   narrows `details`
 *
 * @category Errors
 */
export function isAuthProfilesError(value: unknown): value is AnyAuthProfilesError;
/**
 * Tells whether a value is an {@link AuthProfilesError} with the given code (from any copy of this
 * package); `details` is then typed for that code.
 *
 * @param value - anything caught
 * @param code - the code to require
 * @returns `true` when `value` carries the error brand and this `code`
 *
 * @example
 * ```ts
 * if (isAuthProfilesError(e, "FILE_UNSAFE")) console.error(e.details.file, e.details.reason);
 * ```
 *
 * @category Errors
 */
export function isAuthProfilesError<C extends ErrorCode>(value: unknown, code: C): value is AuthProfilesError<C>;
export function isAuthProfilesError(value: unknown, code?: ErrorCode): boolean {
  if (!isBranded(value)) return false;
  try {
    return code === undefined || value.code === code;
  } catch {
    return false;
  }
}

function isBranded(value: unknown): value is AuthProfilesError {
  try {
    if (value instanceof AuthProfilesError) return true;
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true &&
      typeof (value as { code?: unknown }).code === "string"
    );
  } catch {
    // A revoked Proxy or a throwing getter is not one of ours.
    return false;
  }
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return {
      name: cause.name,
      message: redactText(cause.message),
      ...(typeof code === "string" ? { code } : {}),
    };
  }
  if (typeof cause === "string") return redactText(cause);
  return typeof cause;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return "[unserializable]";
  }
}

/**
 * Options of {@link NoAvailableProfileError}: `details` adds facts to the provider and profiles.
 *
 * @category Errors
 */
export interface NoAvailableProfileErrorOptions extends Omit<AuthProfilesErrorOptions<"NO_AVAILABLE_PROFILE">, "details"> {
  /** Further secret-free facts (agent id, store path, …). */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * `NO_AVAILABLE_PROFILE`: every profile of the provider is cooling down or disabled.
 *
 * @remarks `retryAt` is the epoch ms at which the first one becomes usable again.
 *
 * @category Errors
 */
export class NoAvailableProfileError extends AuthProfilesError<"NO_AVAILABLE_PROFILE"> {
  /** The profiles that cannot be used now, soonest first. */
  readonly unusableProfiles: readonly UnavailableProfileInfo[];
  /** Epoch ms at which the first profile becomes usable again, or `null`. */
  readonly retryAt: number | null;

  /**
   * @param provider - the provider, e.g. `anthropic`
   * @param unusableProfiles - the profiles in cooldown or disabled, soonest first
   * @param options - hint and details
   */
  constructor(provider: string, unusableProfiles: readonly UnavailableProfileInfo[], options: NoAvailableProfileErrorOptions = {}) {
    const retryAt = unusableProfiles.reduce<number | null>((min, p) => (min === null || p.until < min ? p.until : min), null);
    const list = unusableProfiles.map((p) => `${p.profileId} (${p.kind}${p.reason ? `:${p.reason}` : ""}, ${formatDurationMs(p.remainingMs)} left)`);
    super(
      "NO_AVAILABLE_PROFILE",
      `No available auth profile for ${provider} (all in cooldown or unavailable).${list.length > 0 ? ` ${list.join(", ")}.` : ""}`,
      {
        hint: options.hint,
        hintRef: options.hint === undefined ? { id: "noAvailableProfile", args: { provider, profileId: unusableProfiles[0]?.profileId } } : undefined,
        cause: options.cause,
        details: { provider, retryAt, unusableProfiles, ...(options.details ?? {}) },
      },
    );
    this.name = "NoAvailableProfileError";
    this.unusableProfiles = Object.freeze([...unusableProfiles]);
    this.retryAt = retryAt;
  }
}

/**
 * Formats a duration for people: `45s`, `4m`, `3h`, `2d`.
 *
 * @param ms - milliseconds (negative counts as 0)
 * @returns a short string
 * @internal
 */
export function formatDurationMs(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.round(h / 24)}d`;
}

/**
 * Formats an epoch-ms time for messages, without ever throwing (a hand-edited file can hold a
 * number no `Date` can represent).
 *
 * @param ms - epoch milliseconds
 * @returns an ISO 8601 string, or `epoch ms <n>` when out of the `Date` range
 * @internal
 */
export function formatEpochMs(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `epoch ms ${String(ms)}` : date.toISOString();
}
