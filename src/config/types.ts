import type { CredentialMode } from "../model/credential.js";
import type { ConfigWarning } from "./config-warnings.js";

/**
 * Prompt-cache TTL values Anthropic accepts.
 *
 * @category Config
 */
export type CacheControlTtl = "5m" | "1h";

/**
 * OpenClaw's `params.cacheRetention` values: `"short"` (5 minutes), `"long"` (1 hour), `"none"`.
 *
 * @category Config
 */
export type CacheRetention = "none" | "short" | "long";

/**
 * `auth.profiles[id]`: metadata about a profile (never a secret).
 *
 * @category Config
 */
export interface ProfileMeta {
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** How the credential is sent. */
  readonly mode: CredentialMode;
  /** The account e-mail, when known. */
  readonly email?: string | undefined;
  readonly [extra: string]: unknown;
}

/**
 * `auth.cooldowns`: OpenClaw's cooldown overrides, in hours.
 *
 * @category Config
 */
export interface CooldownConfig {
  /** First billing disable, in hours (default 5). */
  readonly billingBackoffHours?: number | undefined;
  /** The same per provider. */
  readonly billingBackoffHoursByProvider?: Readonly<Record<string, number>> | undefined;
  /** Cap of the billing disable, in hours (default 24). */
  readonly billingMaxHours?: number | undefined;
  /** Failure counters reset after this many hours without failure (default 24). */
  readonly failureWindowHours?: number | undefined;
  readonly [extra: string]: unknown;
}

/**
 * The `auth` block.
 *
 * @category Config
 */
export interface AuthConfig {
  /** Profile metadata (or credentials, in the store) keyed by profile id. */
  readonly profiles?: Readonly<Record<string, ProfileMeta>> | undefined;
  /** Explicit profile order per provider. */
  readonly order?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Cooldown policy overrides. */
  readonly cooldowns?: CooldownConfig | undefined;
  readonly [extra: string]: unknown;
}

/**
 * `models["anthropic/<model>"]`: per-model settings.
 *
 * @category Config
 */
export interface ModelEntry {
  /** A short name for the model. */
  readonly alias?: string | undefined;
  /** Request parameters applied to this model. */
  readonly params?: ModelParams | undefined;
  readonly [extra: string]: unknown;
}

/**
 * `models[…].params`: request parameters of one model.
 *
 * @category Config
 */
export interface ModelParams {
  /**
   * Prompt-cache TTL applied to the caller's cache breakpoints (API keys only). OpenClaw's legacy
   * key: `cacheRetention` in the same `params` wins over it. A value other than `"5m"` / `"1h"`
   * (OpenClaw's schema accepts any) is reported as a {@link ConfigWarning} and left out here.
   */
  readonly cacheControlTtl?: CacheControlTtl | undefined;
  /**
   * OpenClaw's newer spelling: `"short"` = the 5-minute TTL, `"long"` = 1 hour, `"none"`
   * = no TTL from this library (breakpoints the caller set are kept as they are). Wins over
   * `cacheControlTtl` in the same `params`. Another value is reported and left out.
   */
  readonly cacheRetention?: CacheRetention | undefined;
  readonly [extra: string]: unknown;
}

/**
 * `{ primary, fallbacks }` form of a model reference.
 *
 * @category Config
 */
export interface ModelChoice {
  /** The main model. */
  readonly primary?: string | undefined;
  /** Models tried after the primary. */
  readonly fallbacks?: readonly string[] | undefined;
  readonly [extra: string]: unknown;
}

/**
 * A model reference: a string, or `{ primary, fallbacks }`.
 *
 * @category Config
 */
export type ModelRef = string | ModelChoice;

/**
 * `agents.defaults`, and the per-agent overrides of `agents.list[]`.
 *
 * @category Config
 */
export interface AgentSettings {
  /** The agent's model (`anthropic/<model>`), or `{ primary, fallbacks }`. */
  readonly model?: ModelRef | undefined;
  /** Per-model settings keyed by `anthropic/<model>`. */
  readonly models?: Readonly<Record<string, ModelEntry>> | undefined;
  readonly [extra: string]: unknown;
}

/**
 * An `agents.list[]` entry.
 *
 * @category Config
 */
export interface AgentEntry extends AgentSettings {
  /** The agent id. */
  readonly id: string;
  /** Overrides `<stateDir>/agents/<id>/agent`. */
  readonly agentDir?: string | undefined;
}

/**
 * The `agents` block.
 *
 * @category Config
 */
export interface AgentsConfig {
  /** Settings every agent inherits. */
  readonly defaults?: AgentSettings | undefined;
  /** Per-agent overrides. */
  readonly list?: readonly AgentEntry[] | undefined;
  readonly [extra: string]: unknown;
}

/**
 * The parts of a bot's config (OpenClaw's `openclaw.json`) this library reads. Every other key is
 * kept and ignored.
 *
 * @category Config
 */
export interface AuthProfilesConfig {
  /** The `auth` block. */
  readonly auth?: AuthConfig | undefined;
  /** The `agents` block. */
  readonly agents?: AgentsConfig | undefined;
  /** Variables set into the resolver's env where missing (never into `process.env`). */
  readonly env?: Readonly<Record<string, unknown>> | undefined;
  readonly [extra: string]: unknown;
}
