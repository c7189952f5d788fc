import type { APIRequest, MiddlewareContext, MiddlewareNext } from "@anthropic-ai/sdk";
import { systemClock, type Clock } from "../model/clock.js";
import { AuthProfilesError, isAuthProfilesError, formatEpochMs } from "../model/errors.js";
import { redactText } from "../model/redact.js";
import type { Logger } from "../model/logger.js";
import type { AuthResolver, ReportContext, ResolvedAuth, ResolveRequest } from "../resolver/types.js";
import { keepFromSdkTimeout } from "./failover/error.js";
import { BodyTtl } from "./failover/body-ttl.js";
import { createAttemptDecorator, isFastMode, isReplayable, modelOf } from "./failover/request.js";
import { isEventStream, peekStream } from "./failover/stream-peek.js";
import { safeEmitter, type AuthEventListener } from "../model/events.js";
import { classifyFailure } from "../selection/classify.js";
import { modelFamilyOf } from "../selection/model-family.js";
import { capRetryAfter, discard, failoverError, withoutSdkRetry } from "./failover/response.js";
import { createCallStates, type CallState } from "./failover/state.js";
import { checkMiddlewareArguments } from "./client-options.js";
import { SETTLED } from "../resolver/resolver.js";

/** Default longest `retry-after` the SDK may sleep on: 60 s. @internal */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * Options of {@link authMiddleware}.
 *
 * @category SDK client
 */
export interface AuthMiddlewareOptions {
  /** The provider to resolve. Default `anthropic`. */
  readonly provider?: string;
  /** Sticks every call of this middleware to one profile until it fails or cools down. */
  readonly sessionId?: string;
  /**
   * How many times one call may switch to another profile. Default: no limit other than the
   * profiles themselves (each one is tried at most once per call). `0` reports the failure and
   * returns it without switching.
   */
  readonly maxFailovers?: number;
  /**
   * The longest `retry-after` / `retry-after-ms` left on a response handed back to the SDK, which
   * otherwise sleeps for whatever the server says (hours, for a drained subscription window).
   * In ms.
   *
   * @defaultValue `60000`
   */
  readonly maxRetryAfterMs?: number;
  /** Clock, epoch ms (for HTTP-date `retry-after` values). Default the system clock. */
  readonly now?: Clock;
  /** Receives failover and reporting lines (secret-free). Default silent. */
  readonly logger?: Logger;
  /** Receives a `failover` event each time a call moves on from a failed profile (never a secret). */
  readonly onEvent?: AuthEventListener;
}

/**
 * An SDK `Middleware` that authenticates every attempt from an {@link AuthResolver}.
 *
 * @category SDK client
 */
export interface AuthMiddleware {
  /**
   * Runs one HTTP attempt of the SDK.
   *
   * @param request - the request the SDK built (never modified)
   * @param next - the rest of the chain
   * @param ctx - the SDK's middleware context
   * @returns the response for the SDK
   */
  (request: APIRequest, next: MiddlewareNext, ctx: MiddlewareContext): Promise<Response>;
  /**
   * Waits for the success reports started so far (they run beside the response, not before it).
   *
   * @returns once every pending report settled; never rejects
   */
  flush(): Promise<void>;
  /**
   * Writes the prompt-cache TTL into the SDK's body object of a call before the SDK encodes it, so
   * that attempts need not parse and re-encode the JSON body. `createAnthropicClient` calls it from
   * the SDK's `prepareOptions` hook; without it the middleware still applies the TTL, from the
   * encoded body.
   *
   * @param options - the SDK's final request options of the call (its `body` may be replaced by a
   *   copy; the caller's object is never changed)
   */
  prepare(options: NonNullable<MiddlewareContext["options"]>): void;
}

/**
 * Creates an SDK middleware that picks a credential per HTTP attempt and fails over inside one
 * call.
 *
 * @remarks
 * Per attempt: `resolver.resolve({ model, sessionId, exclude })` with the model read from the
 * request body, then the request is decorated (the credential's `x-api-key` or `Authorization:
 * Bearer` + `oauth-2025-04-20`, replacing any credential header already present; betas merged into
 * the caller's `anthropic-beta`; the cache TTL written for API keys) and sent.
 *
 * - 2xx: `reportSuccess` runs beside the response (errors are logged, never thrown; see `flush`).
 * - 401/402/403/429/529, or a 400 about the credential: `reportFailure` (the profile cools down),
 *   then the same request goes out at once with the next profile, without any sleep. When no profile
 *   is left the call throws `NO_AVAILABLE_PROFILE` (with `retryAt`); when only one profile was ever
 *   available, the API error itself is returned, marked `x-should-retry: false` so the SDK throws it
 *   (`RateLimitError`, …) at once instead of sleeping on its `retry-after`.
 * - Any other response is returned with `retry-after` capped at `maxRetryAfterMs`.
 * - A 200 stream whose first SSE event is an `error` (`rate_limit_error`, `overloaded_error`)
 *   before any content event is reported and failed over like a status error, inside the same
 *   call; an `error` event after content has started is reported and passed to the caller, never
 *   replayed.
 * - A network error propagates, so the SDK retries it; its retries stay on the same profile.
 * - Env credentials (`profileId: null`) are never reported and cannot fail over.
 *
 * @param resolver - where credentials come from
 * @param options - failover and retry settings
 * @returns the middleware, for `new Anthropic({ middleware: [...] })`
 * @throws AuthProfilesError `INVALID_ARGUMENT` for a negative or fractional `maxFailovers` or a bad
 *   `maxRetryAfterMs`. The middleware itself throws the resolver's errors (`NO_API_KEY`,
 *   `NO_AVAILABLE_PROFILE`, …) and `INVALID_ARGUMENT` for an unsendable secret.
 *
 * @category SDK client
 */
export function authMiddleware(resolver: AuthResolver, options: AuthMiddlewareOptions = {}): AuthMiddleware {
  checkMiddlewareArguments(resolver, options);
  const maxFailovers = checkCount("maxFailovers", options.maxFailovers ?? Number.POSITIVE_INFINITY);
  const maxRetryAfterMs = checkCount("maxRetryAfterMs", options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
  const now = options.now ?? systemClock;
  const provider = options.provider ?? "anthropic";
  const { logger } = options;
  const calls = createCallStates();
  const emit = safeEmitter(options.onEvent, () => logger?.warn("auth-profiles: an onEvent listener threw; ignored."));
  const pending = new Set<Promise<void>>();
  const bodyTtl = new BodyTtl();
  const decorate = createAttemptDecorator();

  const reportSuccess = (profileId: string, context: ReportContext): void => {
    const started = resolver.reportSuccess(profileId, context);
    if (started === SETTLED) return; // done already (batched in memory): nothing to wait for
    const report: Promise<void> = started
      .catch((error: unknown) => logger?.warn(`auth-profiles: could not record the success of ${profileId}: ${describe(error)}`))
      .finally(() => pending.delete(report));
    pending.add(report);
  };

  const trackReport = (report: Promise<void>): void => {
    const tracked: Promise<void> = report.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const reportFailure = async (profileId: string, error: unknown, context: ReportContext): Promise<void> => {
    try {
      const outcome = await resolver.reportFailure(profileId, error, context);
      const rest = outcome.unusableUntil === null ? "not cooled down" : `resting until ${formatEpochMs(outcome.unusableUntil)}`;
      logger?.info(`auth-profiles: ${profileId} failed with HTTP ${statusText(error)} (${outcome.reason ?? "unclassified"}), ${rest}`);
    } catch (reportError) {
      logger?.warn(`auth-profiles: could not record the failure of ${profileId}: ${describe(reportError)}`);
    }
  };

  // The request of a call's first attempt, per model: built once, not per attempt.
  const firstRequests = new Map<string | undefined, ResolveRequest>();
  const firstRequest = (model: string | undefined): ResolveRequest => {
    let request = firstRequests.get(model);
    if (request === undefined) {
      request = Object.freeze({ provider, ...(model === undefined ? {} : { model }), ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }) });
      if (firstRequests.size >= 256) firstRequests.clear();
      firstRequests.set(model, request);
    }
    return request;
  };

  const pick = (state: CallState, model: string | undefined, fast: boolean): Promise<ResolvedAuth> => {
    if (state.profileId === null && state.failed.length === 0 && !fast) return resolver.resolve(firstRequest(model));
    return pickAgain(state, model, fast);
  };

  const pickAgain = async (state: CallState, model: string | undefined, fast: boolean): Promise<ResolvedAuth> => {
    const base: ResolveRequest = { provider, ...(model === undefined ? {} : { model }), ...(fast ? { fast } : {}) };
    if (state.profileId !== null) {
      // An SDK retry (network error, 5xx) of this call: stay on the profile it used.
      try {
        return await resolver.resolve({ ...base, profileId: state.profileId });
      } catch (error) {
        logger?.debug(`auth-profiles: ${state.profileId} unavailable for a retry (${describe(error)}); resolving again`);
      }
    }
    return resolver.resolve({ ...base, ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }), exclude: state.failed });
  };

  const middleware = async (request: APIRequest, next: MiddlewareNext, ctx: MiddlewareContext): Promise<Response> => {
    // Failure records (a locked, fsynced store write) run beside the next attempt instead of before
    // it; the call still settles only once they are written, so "A is cooling down" holds after it.
    const reports: Promise<void>[] = [];
    const state = calls.start(ctx.options, request.headers);
    // Whether this attempt ends in a 2xx response, which the SDK never retries.
    let answered = false;
    try {
      const model = modelOf(ctx.options?.body, request.body);
      const fast = isFastMode(ctx.options?.body, request.body);
      const context: ReportContext = { model: model ?? null, fast };
      const replayable = isReplayable(request);
      let failed: Response | null = null;
      let settled = 0;
      for (;;) {
        let auth: ResolvedAuth;
        try {
          auth = await pick(state, model, fast);
        } catch (error) {
          if (failed === null) throw keepFromSdkTimeout(error);
          if (settled < reports.length) {
            // Nothing left: let this call's failure records land, so the error carries their cooldowns.
            settled = reports.length;
            await Promise.all(reports);
            continue;
          }
          return giveUp(error, failed, state);
        }
        if (failed !== null && auth.profileId !== null && state.failed.includes(auth.profileId)) return withoutSdkRetry(failed);
        state.profileId = auth.profileId;
        let response: Response;
        try {
          response = await next(decorate(request, auth, bodyTtl.attempt(ctx.options, model, request.body, auth)));
        } finally {
          if (failed !== null) discard(failed);
        }
        let error: object | null = null;
        if (response.ok) {
          const profileId = auth.profileId;
          if (profileId === null) {
            answered = true;
            return response;
          }
          if (!isEventStream(response)) {
            reportSuccess(profileId, { model: context.model ?? null, fast, headers: response.headers });
            answered = true;
            return response;
          }
          // A stream whose first event is an SSE error fails over like a status error; after content
          // has started, an error is recorded and passed on (never replayed).
          const peeked = await peekStream(response, (late) => trackReport(reportFailure(profileId, late, context)));
          if (peeked.error === null) {
            reportSuccess(profileId, { model: context.model ?? null, fast, headers: response.headers });
            answered = true;
            return peeked.response;
          }
          response = peeked.response;
          error = peeked.error;
        } else {
          error = auth.profileId === null ? null : await failoverError(response);
        }
        if (auth.profileId === null || error === null) return capRetryAfter(response, maxRetryAfterMs, now());
        reports.push(reportFailure(auth.profileId, error, context));
        state.failed.push(auth.profileId);
        state.profileId = null;
        if (!replayable || state.failovers >= maxFailovers) return withoutSdkRetry(response);
        state.failovers += 1;
        emit?.({ type: "failover", at: now(), profileId: auth.profileId, family: modelFamilyOf(model, { fast }), reason: classifyFailure(error) });
        failed = response;
      }
    } finally {
      if (!answered) calls.keep(ctx.options, state);
      if (reports.length > 0) await Promise.all(reports);
    }
  };

  return Object.assign(middleware, {
    flush: async (): Promise<void> => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    prepare: (options: NonNullable<MiddlewareContext["options"]>): void => bodyTtl.prepare(options),
  });
}

/**
 * Ends a call whose profiles ran out after a failure: the API error itself when failover made no
 * sense (this call's failed profile was the only one), else the resolver's error.
 */
function giveUp(error: unknown, failed: Response, state: CallState): Response {
  const noneLeft = isAuthProfilesError(error) && (error.code === "NO_AVAILABLE_PROFILE" || error.code === "NO_API_KEY");
  if (noneLeft && state.failed.length === 1 && unusableIds(error).every((id) => state.failed.includes(id))) {
    return withoutSdkRetry(failed);
  }
  discard(failed);
  throw keepFromSdkTimeout(error);
}

function unusableIds(error: unknown): string[] {
  const list: unknown = (error as { unusableProfiles?: unknown }).unusableProfiles;
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown) => (entry as { profileId?: unknown }).profileId).filter((id): id is string => typeof id === "string");
}

function checkCount(name: string, value: number): number {
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 0)) return value;
  throw new AuthProfilesError("INVALID_ARGUMENT", `${name} must be a non-negative integer, got ${String(value)}.`, {
    hint: `Pass a whole number of ${name === "maxFailovers" ? "failovers" : "milliseconds"} (0 or more), or leave it out for the default.`,
    details: { option: name },
  });
}

function statusText(error: unknown): string {
  const status: unknown = (error as { status?: unknown }).status;
  return typeof status === "number" ? String(status) : "?";
}

function describe(error: unknown): string {
  if (isAuthProfilesError(error)) return `${error.code}: ${error.message}`;
  return redactText(error instanceof Error ? error.message : String(error));
}
