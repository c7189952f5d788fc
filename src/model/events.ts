import type { CredentialMode } from "./credential.js";

/**
 * What every {@link AuthEvent} carries. None of it is ever a secret.
 *
 * @category Resolving
 */
export interface AuthEventBase {
  /** Epoch ms of the decision. */
  readonly at: number;
  /** The profile concerned, or `null` (an env credential). */
  readonly profileId: string | null;
  /** The model family concerned (`opus`, `sonnet:fast`, …), or `null` when the whole profile is. */
  readonly family: string | null;
}

/**
 * A decision of the resolver or the client, for `onEvent`:
 * - `selected`: a credential was picked for a call.
 * - `failover`: the client moved a call on from a failed profile.
 * - `cooldown`: a profile (or a (profile, family) pair) now rests until `retryAt`.
 * - `cooldownCleared`: a success or `clearCooldown` ended a cooldown or disable.
 * - `limitsUpdated`: a profile's known headroom for a family changed (exhausted until `retryAt`, or
 *   headroom again when `retryAt` is `null`).
 * - `refresh`: an OAuth refresh `started`, `succeeded` or `failed`.
 *
 * @category Resolving
 */
export type AuthEvent = SelectedEvent | FailoverEvent | CooldownEvent | CooldownClearedEvent | LimitsUpdatedEvent | RefreshEvent;

/**
 * A credential was picked for a call.
 *
 * @category Resolving
 */
export interface SelectedEvent extends AuthEventBase {
  /** The event kind. */
  readonly type: "selected";
  /** How the credential is sent. */
  readonly mode: CredentialMode;
  /** Where it came from (`store`, `env`, `claude-cli`). */
  readonly source: string;
}

/**
 * The client moved a call on from a failed profile.
 *
 * @category Resolving
 */
export interface FailoverEvent extends AuthEventBase {
  /** The event kind. */
  readonly type: "failover";
  /** The classified reason of the failure, or `null`. */
  readonly reason: string | null;
}

/**
 * A profile (or a (profile, family) pair when `family` is set) rests until `retryAt`.
 *
 * @category Resolving
 */
export interface CooldownEvent extends AuthEventBase {
  /** The event kind. */
  readonly type: "cooldown";
  /** The failure reason (`rate_limit`, `auth`, `auth_permanent`, `billing`, …). */
  readonly reason: string;
  /** `cooldown`, or `disabled` (billing, permanent auth). */
  readonly kind: "cooldown" | "disabled";
  /** Epoch ms at which it is usable again. */
  readonly retryAt: number;
}

/**
 * A success or `clearCooldown` ended a cooldown or disable.
 *
 * @category Resolving
 */
export interface CooldownClearedEvent extends AuthEventBase {
  /** The event kind. */
  readonly type: "cooldownCleared";
}

/**
 * A profile's known headroom for a family changed.
 *
 * @category Resolving
 */
export interface LimitsUpdatedEvent extends AuthEventBase {
  /** The event kind. */
  readonly type: "limitsUpdated";
  /** Epoch ms until which the family is exhausted, or `null` for headroom again. */
  readonly retryAt: number | null;
  /** The binding window (`requests`, `tokens`, `5h`, `unified`, …), or `null`. */
  readonly window: string | null;
}

/**
 * An OAuth refresh started, succeeded or failed.
 *
 * @category Resolving
 */
export interface RefreshEvent extends AuthEventBase {
  /** The event kind. */
  readonly type: "refresh";
  /** Which moment of the refresh. */
  readonly phase: "started" | "succeeded" | "failed";
}

/**
 * Receives {@link AuthEvent}s; must not throw (a throw is logged and ignored).
 *
 * @category Resolving
 */
export type AuthEventListener = (event: AuthEvent) => void;

/**
 * Wraps a listener so that it never throws into the library.
 *
 * @param listener - the caller's listener, if any
 * @param onError - told about a listener that threw
 * @returns an emitter, or `null` without a listener (callers skip building events then)
 * @internal
 */
export function safeEmitter(listener: AuthEventListener | undefined, onError: (error: unknown) => void): AuthEventListener | null {
  if (listener === undefined) return null;
  return (event) => {
    try {
      listener(event);
    } catch (error) {
      onError(error);
    }
  };
}
