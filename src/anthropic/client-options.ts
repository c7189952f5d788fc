import * as v from "valibot";
import { anyObject, checkArgument, optionsObject, func, nonEmptyString, opt } from "../model/arguments.js";
import { checkResolverOptions } from "../resolver/options-schema.js";

const clientOnly = optionsObject({
  resolver: opt(v.looseObject({ resolve: func, reportSuccess: func, reportFailure: func, close: func })),
  clientOptions: opt(anyObject),
  maxFailovers: opt(v.pipe(v.number(), v.integer("must be an integer ≥ 0"), v.minValue(0, "must be an integer ≥ 0"))),
  sessionId: opt(nonEmptyString),
  maxRetryAfterMs: opt(v.pipe(v.number(), v.finite("must be a finite number"), v.minValue(0, "must be ≥ 0"))),
  allowInsecureBaseUrl: opt(v.boolean()),
  openTelemetry: opt(v.union([v.literal(false), v.looseObject({ trace: v.looseObject({ getActiveSpan: func }) })], "must be false or an object with trace.getActiveSpan()")),
});

/**
 * Checks the options of `createAnthropicClient` at once (`INVALID_ARGUMENT` naming the option):
 * its own settings, and the resolver options unless a resolver is passed in.
 *
 * @param options - what was passed
 * @internal
 */
export function checkClientOptions(options: unknown): void {
  const checked = checkArgument("createAnthropicClient", "options", clientOnly, options === undefined ? {} : options);
  if (checked.resolver === undefined) checkResolverOptions("createAnthropicClient", checked);
}

const middlewareOptions = optionsObject({
  provider: opt(nonEmptyString),
  sessionId: opt(nonEmptyString),
  maxFailovers: opt(v.pipe(v.number(), v.integer("must be an integer ≥ 0"), v.minValue(0, "must be an integer ≥ 0"))),
  maxRetryAfterMs: opt(v.pipe(v.number(), v.finite("must be a finite number"), v.minValue(0, "must be ≥ 0"))),
  now: opt(func),
  logger: opt(anyObject),
});

/**
 * Checks the arguments of `authMiddleware`.
 *
 * @param resolver - what was passed as the resolver
 * @param options - what was passed as options
 * @internal
 */
export function checkMiddlewareArguments(resolver: unknown, options: unknown): void {
  checkArgument("authMiddleware", "resolver", optionsObject({ resolve: func, reportSuccess: func, reportFailure: func }), resolver);
  checkArgument("authMiddleware", "options", middlewareOptions, options);
}
