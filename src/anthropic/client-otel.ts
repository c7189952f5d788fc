import type { AuthEvent, AuthEventListener } from "../model/events.js";

/**
 * An attribute value the client records: secret-free facts only (profile id, mode, family, reason,
 * times).
 *
 * @category SDK client
 */
export type OpenTelemetryAttributes = Record<string, string | number | boolean>;

/**
 * The part of an OpenTelemetry span the client writes to (`@opentelemetry/api`'s `Span` fits).
 *
 * @category SDK client
 */
export interface OpenTelemetrySpan {
  /** Sets attributes on the span. */
  setAttributes(attributes: OpenTelemetryAttributes): unknown;
  /** Adds a span event. */
  addEvent(name: string, attributes?: OpenTelemetryAttributes): unknown;
}

/**
 * The part of `@opentelemetry/api` the client uses: `trace.getActiveSpan()`. The module itself fits
 * (`import * as otel from "@opentelemetry/api"`).
 *
 * @category SDK client
 */
export interface OpenTelemetryApi {
  /** The trace API. */
  readonly trace: {
    /** The span active in the current context, if any. */
    getActiveSpan(): OpenTelemetrySpan | undefined;
  };
}

/** Attribute and event names start with this. */
const PREFIX = "auth_profiles.";

/** The API once loaded (`null`: not installed or not loadable), shared by every client. */
let loading: Promise<OpenTelemetryApi | null> | null = null;

/**
 * Loads `@opentelemetry/api` once per process, lazily: it is an optional peer, never a dependency.
 *
 * @returns the API, or `null` when it is not installed (or does not look like it)
 * @internal
 */
export function loadOpenTelemetry(): Promise<OpenTelemetryApi | null> {
  loading ??= import("@opentelemetry/api").then(
    (module: unknown) => apiOf(module),
    () => null,
  );
  return loading;
}

function apiOf(module: unknown): OpenTelemetryApi | null {
  const candidate = module as { trace?: { getActiveSpan?: unknown }; default?: unknown };
  if (typeof candidate.trace?.getActiveSpan === "function") return candidate as OpenTelemetryApi;
  return candidate.default === undefined ? null : apiOf(candidate.default);
}

/** What {@link openTelemetryBridge} gives the client. @internal */
export interface OpenTelemetryBridge {
  /** The listener for the resolver and the middleware (the caller's first, then the span). */
  readonly listener: AuthEventListener | undefined;
  /** Settles once the API is loaded (or known absent); `null` when nothing is pending. */
  ready(): Promise<void> | null;
}

/**
 * Wraps the caller's `onEvent` so that every event also lands on the active span: a span event
 * `auth_profiles.<type>` with the event's facts, and span attributes for the latest selection
 * (`auth_profiles.profile_id`, `.mode`, `.model_family`, `.source`) and the failovers so far.
 *
 * @param option - `false` (off), an API object, or `undefined` (load `@opentelemetry/api` if installed)
 * @param user - the caller's listener
 * @returns the listener to install and the load to wait for
 * @internal
 */
export function openTelemetryBridge(option: false | OpenTelemetryApi | undefined, user: AuthEventListener | undefined): OpenTelemetryBridge {
  if (option === false) return { listener: user, ready: () => null };
  let api: OpenTelemetryApi | null = option ?? null;
  let pending: Promise<void> | null =
    option === undefined
      ? loadOpenTelemetry().then((loaded) => {
          api = loaded;
          pending = null;
        })
      : null;
  const failovers = new WeakMap<object, number>();
  const listener: AuthEventListener = (event) => {
    if (api !== null) record(api, event, failovers);
    user?.(event);
  };
  return { listener, ready: () => pending };
}

function record(api: OpenTelemetryApi, event: AuthEvent, failovers: WeakMap<object, number>): void {
  try {
    const span = api.trace.getActiveSpan();
    if (span === undefined || span === null) return;
    const facts = attributesOf(event);
    span.addEvent(`${PREFIX}${event.type}`, facts);
    if (event.type === "selected") {
      span.setAttributes(pick(facts, ["profile_id", "mode", "model_family", "source"]));
    } else if (event.type === "failover") {
      const count = (failovers.get(span) ?? 0) + 1;
      failovers.set(span, count);
      span.setAttributes({ [`${PREFIX}failover_count`]: count, ...(event.reason === null ? {} : { [`${PREFIX}failover_reason`]: event.reason }) });
    }
  } catch {
    // A tracer that throws must not break the call.
  }
}

/**
 * The secret-free facts of an event as span attributes.
 *
 * @param event - an auth event
 * @returns `auth_profiles.*` attributes
 * @internal
 */
export function attributesOf(event: AuthEvent): OpenTelemetryAttributes {
  const out: OpenTelemetryAttributes = { [`${PREFIX}event`]: event.type };
  const put = (name: string, value: string | number | null | undefined): void => {
    if (value !== null && value !== undefined) out[`${PREFIX}${name}`] = value;
  };
  put("profile_id", event.profileId);
  put("model_family", event.family);
  switch (event.type) {
    case "selected":
      put("mode", event.mode);
      put("source", event.source);
      break;
    case "failover":
      put("reason", event.reason);
      break;
    case "cooldown":
      put("reason", event.reason);
      put("cooldown_kind", event.kind);
      put("retry_at", new Date(event.retryAt).toISOString());
      break;
    case "limitsUpdated":
      put("window", event.window);
      put("retry_at", event.retryAt === null ? null : new Date(event.retryAt).toISOString());
      break;
    case "refresh":
      put("refresh_phase", event.phase);
      break;
    case "cooldownCleared":
      break;
  }
  return out;
}

function pick(facts: OpenTelemetryAttributes, names: readonly string[]): OpenTelemetryAttributes {
  const out: OpenTelemetryAttributes = {};
  for (const name of names) {
    const value = facts[`${PREFIX}${name}`];
    if (value !== undefined) out[`${PREFIX}${name}`] = value;
  }
  return out;
}
