import type { CredentialMode } from "../model/credential.js";
import type { CacheControlTtl } from "./types.js";

/*
 * The config a caller gives (the `config` option): the shape of OpenClaw's `openclaw.json`,
 * every block optional, and no index signature on any object whose keys are names, so that
 * TypeScript's excess-property check catches a misspelled key in an object literal
 * (`cacheControlTTL`, `agents.defualts`). Records keyed by ids (`auth.profiles`, `auth.order`,
 * `agents.defaults.models`) stay records; their values are closed. Runtime validation (valibot) is
 * unchanged, for plain JavaScript. The read side (`AuthProfilesConfig`, what `loadConfig` returns)
 * stays open, and a value of that type is accepted here too.
 */

/**
 * OpenClaw settings this library neither reads nor checks: any value is accepted and passed
 * through unchanged.
 *
 * @category Config
 */
export type PassThrough = unknown;

/**
 * A setting whose known values are `T`, written so that a plain `string` is accepted too: a config
 * built in a variable (`const config = { …, mode: "api_key" }`) widens its literals to `string`, and
 * must still compile. Editors still offer the known values; a value outside them is refused at run
 * time (`CONFIG_INVALID` naming the JSON path).
 *
 * @category Config
 */
export type KnownOrString<T extends string> = T | (string & Record<never, never>);

/**
 * `auth.profiles[id]` as a caller writes it: metadata, never a secret.
 *
 * @category Config
 */
export interface ProfileMetaInput {
  /** The provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** How the credential is sent. */
  readonly mode: KnownOrString<CredentialMode>;
  /** The account e-mail, when known. */
  readonly email?: string | undefined;
  /** OpenClaw's display name. Passed through. */
  readonly displayName?: string | undefined;
  /** A note for people (a hand edit OpenClaw keeps). Passed through. */
  readonly label?: string | undefined;
}

/**
 * `auth.cooldowns` as a caller writes it: this library reads the billing and failure-window
 * hours; OpenClaw's other cooldown settings are accepted and passed through.
 *
 * @category Config
 */
export interface CooldownConfigInput {
  /** First billing disable, in hours (default 5). */
  readonly billingBackoffHours?: number | undefined;
  /** The same per provider. */
  readonly billingBackoffHoursByProvider?: Readonly<Record<string, number>> | undefined;
  /** Cap of the billing disable, in hours (default 24). */
  readonly billingMaxHours?: number | undefined;
  /** Failure counters reset after this many hours without failure (default 24). */
  readonly failureWindowHours?: number | undefined;
  /** OpenClaw: base backoff of a permanent auth failure, in minutes. Passed through. */
  readonly authPermanentBackoffMinutes?: number | undefined;
  /** OpenClaw: cap of that backoff, in minutes. Passed through. */
  readonly authPermanentMaxMinutes?: number | undefined;
  /** OpenClaw: profile rotations on overload before model fallback. Passed through. */
  readonly overloadedProfileRotations?: number | undefined;
  /** OpenClaw: delay before an overload rotation, in ms. Passed through. */
  readonly overloadedBackoffMs?: number | undefined;
  /** OpenClaw: profile rotations on a rate limit before model fallback. Passed through. */
  readonly rateLimitedProfileRotations?: number | undefined;
}

/**
 * The `auth` block as a caller writes it.
 *
 * @category Config
 */
export interface AuthConfigInput {
  /** Profile metadata keyed by profile id. */
  readonly profiles?: Readonly<Record<string, ProfileMetaInput>> | undefined;
  /** Explicit profile order per provider. */
  readonly order?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Cooldown policy overrides. */
  readonly cooldowns?: CooldownConfigInput | undefined;
}

/**
 * `models["anthropic/<model>"].params` as a caller writes it: the request parameters OpenClaw
 * documents for Anthropic models. This library applies `cacheRetention` and `cacheControlTtl`
 * (`cacheRetention` wins when both are set); the others are passed through.
 *
 * @remarks In OpenClaw `params` is a free record (provider-specific parameters). Here it is closed
 * so that a misspelled key (`cacheControlTTL`) is a type error in an object literal. A bot that
 * sets a parameter not listed here (another provider's) passes its config as a value typed
 * `AuthProfilesConfig` (what `loadConfig` returns: open at every level), which is accepted too.
 *
 * @category Config
 */
export interface ModelParamsInput {
  /** Prompt-cache TTL applied to the caller's cache breakpoints (API keys only). */
  readonly cacheControlTtl?: KnownOrString<CacheControlTtl> | undefined;
  /** OpenClaw's newer cache setting (`short` ≈ 5m, `long` ≈ 1h). */
  readonly cacheRetention?: KnownOrString<"none" | "short" | "long"> | undefined;
  /** Sampling temperature. Passed through. */
  readonly temperature?: number | undefined;
  /** Output token cap. Passed through. */
  readonly maxTokens?: number | undefined;
  /** Extended thinking settings. Passed through. */
  readonly thinking?: PassThrough;
  /** OpenClaw: the 1M-token context beta for Opus / Sonnet. Passed through. */
  readonly context1m?: boolean | undefined;
  /** OpenClaw: extra `anthropic-beta` values. Passed through. */
  readonly anthropicBeta?: string | readonly string[] | undefined;
  /** OpenClaw: fast mode. Passed through. */
  readonly fastMode?: boolean | undefined;
  /** OpenClaw: the Anthropic service tier. Passed through. */
  readonly serviceTier?: string | undefined;
}

/**
 * `models["anthropic/<model>"]` as a caller writes it.
 *
 * @category Config
 */
export interface ModelEntryInput {
  /** A short name for the model. */
  readonly alias?: string | undefined;
  /** Request parameters applied to this model. */
  readonly params?: ModelParamsInput | undefined;
  /** OpenClaw: streaming on or off for this model. Passed through. */
  readonly streaming?: boolean | undefined;
}

/**
 * `{ primary, fallbacks }` form of a model reference, as a caller writes it.
 *
 * @category Config
 */
export interface ModelChoiceInput {
  /** The main model. */
  readonly primary?: string | undefined;
  /** Models tried after the primary. */
  readonly fallbacks?: readonly string[] | undefined;
}

/**
 * `agents.defaults` and the settings of an `agents.list[]` entry, as a caller writes them: the
 * keys this library reads (`model`, `models`) and OpenClaw's agent settings, passed through.
 *
 * @remarks `params` (OpenClaw's per-agent stream parameters) is a free record, as in OpenClaw.
 *
 * @category Config
 */
export interface AgentSettingsInput {
  /** The agent's model (`anthropic/<model>`), or `{ primary, fallbacks }`. */
  readonly model?: string | ModelChoiceInput | undefined;
  /** Per-model settings keyed by `anthropic/<model>`. */
  readonly models?: Readonly<Record<string, ModelEntryInput>> | undefined;
  /** OpenClaw: per-agent stream parameters (a free record). Passed through. */
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  /** OpenClaw. Passed through. */
  readonly imageModel?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly imageGenerationModel?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly pdfModel?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly pdfMaxBytesMb?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly pdfMaxPages?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly workspace?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly repoRoot?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly skipBootstrap?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly bootstrapMaxChars?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly bootstrapTotalMaxChars?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly bootstrapPromptTruncationWarning?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly userTimezone?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly timeFormat?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly envelopeTimezone?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly envelopeTimestamp?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly envelopeElapsed?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly contextTokens?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly cliBackends?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly contextPruning?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly compaction?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly embeddedPi?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly memorySearch?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly thinkingDefault?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly verboseDefault?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly elevatedDefault?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly blockStreamingDefault?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly blockStreamingBreak?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly blockStreamingChunk?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly blockStreamingCoalesce?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly humanDelay?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly timeoutSeconds?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly mediaMaxMb?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly imageMaxDimensionPx?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly typingIntervalSeconds?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly typingMode?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly heartbeat?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly maxConcurrent?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly subagents?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly additionalSystemPrompt?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly sandbox?: PassThrough;
}

/**
 * An `agents.list[]` entry as a caller writes it.
 *
 * @category Config
 */
export interface AgentEntryInput extends AgentSettingsInput {
  /** The agent id. */
  readonly id: string;
  /** Overrides `<stateDir>/agents/<id>/agent`. */
  readonly agentDir?: string | undefined;
  /** OpenClaw's default agent marker: its dir takes `OPENCLAW_AGENT_DIR` / `PI_CODING_AGENT_DIR`. */
  readonly default?: boolean | undefined;
  /** OpenClaw. Passed through. */
  readonly name?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly skills?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly statusUpdates?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly identity?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly groupChat?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly tools?: PassThrough;
}

/**
 * The `agents` block as a caller writes it.
 *
 * @category Config
 */
export interface AgentsConfigInput {
  /** Settings every agent inherits. */
  readonly defaults?: AgentSettingsInput | undefined;
  /** Per-agent overrides. */
  readonly list?: readonly AgentEntryInput[] | undefined;
}

/**
 * The `env` block: variables set into the resolver's env where missing (never into
 * `process.env`).
 *
 * @remarks Open by nature: its keys are variable names.
 *
 * @category Config
 */
export interface EnvBlockInput {
  /** More variables. */
  readonly vars?: Readonly<Record<string, string>> | undefined;
  /** OpenClaw's login-shell import settings. Passed through. */
  readonly shellEnv?:
    | {
        /** Import missing variables from a login shell. */
        readonly enabled?: boolean | undefined;
        /** Timeout of that shell, in ms. */
        readonly timeoutMs?: number | undefined;
      }
    | undefined;
  /** A variable, e.g. `ANTHROPIC_API_KEY: "${WORK_KEY}"` (a string; checked at run time). */
  readonly [variable: string]: unknown;
}

/**
 * The `config` option: a bot's config (OpenClaw's `openclaw.json`) as an object, deep-partial
 * (every block and setting optional; only `auth.profiles[id].provider` / `mode` and
 * `agents.list[].id` are required, as validation requires them).
 *
 * @remarks Objects whose keys are setting names have no index signature, so a misspelled key
 * in an object literal is a compile error at any level (`{ agents: { defaults: { models: {
 * "anthropic/claude-opus-4-7": { params: { cacheControlTTL: "1h" } } } } } }`). OpenClaw's other
 * top-level blocks (`gateway`, `channels`, `tools`, …) and agent settings are listed and passed
 * through unchecked. Open by nature: records keyed by ids or model names, `env` (variable names)
 * and `agents.*.params` (a free record in OpenClaw). At run time the config is validated as
 * before (`CONFIG_INVALID` naming the JSON path), for plain JavaScript. A value typed
 * `AuthProfilesConfig` (what `loadConfig` returns) is accepted as it is.
 *
 * @example
 * ```ts
 * createAuthResolver({
 *   config: {
 *     auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "api_key" } } },
 *     agents: { defaults: { models: { "anthropic/claude-opus-4-7": { params: { cacheControlTtl: "1h" } } } } },
 *   },
 * });
 * ```
 *
 * @category Config
 */
export interface AuthProfilesConfigInput {
  /** The `auth` block. */
  readonly auth?: AuthConfigInput | undefined;
  /** The `agents` block. */
  readonly agents?: AgentsConfigInput | undefined;
  /** Variables set into the resolver's env where missing. */
  readonly env?: EnvBlockInput | undefined;
  /** OpenClaw. Passed through. */
  readonly meta?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly acp?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly wizard?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly diagnostics?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly logging?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly cli?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly update?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly browser?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly ui?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly secrets?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly skills?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly plugins?: PassThrough;
  /** OpenClaw: model providers (not the per-agent `agents.*.models`). Passed through. */
  readonly models?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly nodeHost?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly tools?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly bindings?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly broadcast?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly audio?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly messages?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly commands?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly approvals?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly session?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly web?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly channels?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly cron?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly hooks?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly discovery?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly canvasHost?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly talk?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly gateway?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly vault?: PassThrough;
  /** OpenClaw. Passed through. */
  readonly memory?: PassThrough;
}
