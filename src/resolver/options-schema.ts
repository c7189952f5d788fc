import * as v from "valibot";
import { hintCommandsSchema } from "../model/hints-schema.js";
import { checkArgument, optionsObject, func, nonEmptyString, nonNegativeNumber, opt, positiveNumber } from "../model/arguments.js";
import { isLoopbackHostname } from "../model/loopback.js";
import { lazySchema } from "../model/lazy-schema.js";
import type { AuthResolverOptions, ResolveRequest } from "./types.js";

/** The schema of {@link AuthResolverOptions} (loose: other keys pass), built on the first check (not at import). @internal */
export const resolverOptionsSchema = lazySchema(() => {
  /** `oauth.tokenUrl`: an absolute https URL, or http on a loopback host, with no user name or password. */
  const tokenUrl = v.pipe(
    v.string(),
    v.check((value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      if (url.username !== "" || url.password !== "") return false;
      return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHostname(url.hostname));
    }, "must be an https:// URL (http:// only on 127.0.0.1, ::1 or localhost), without a user name or password"),
  );

  const stringRecord = v.custom<Readonly<Record<string, string | undefined>>>(
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
    "must be an object of strings",
  );

  const oauthOptions = v.looseObject({
    tokenUrl: opt(tokenUrl),
    clientId: opt(nonEmptyString),
    refreshMarginMs: opt(nonNegativeNumber),
    timeoutMs: opt(positiveNumber),
  });

  const claudeCliOptions = v.union([
    v.literal(false),
    v.looseObject({
      credentialsPath: opt(nonEmptyString),
      keychain: opt(v.boolean()),
      refresh: opt(v.picklist(["never", "write-back"])),
    }),
  ]);

  const logger = v.looseObject({ debug: func, info: func, warn: func, error: func });

  return optionsObject({
    agentId: opt(v.string()),
    stateDir: opt(nonEmptyString),
    agentDir: opt(nonEmptyString),
    configPath: opt(v.union([nonEmptyString, v.literal(false)])),
    config: opt(v.unknown()),
    env: opt(stringRecord),
    homeDir: opt(nonEmptyString),
    store: opt(v.looseObject({ path: v.string(), read: func, update: func, watch: func, withRefreshLock: opt(func), close: opt(func) })),
    claudeCli: opt(claudeCliOptions),
    fetch: opt(func),
    now: opt(func),
    cooldown: opt(v.record(v.string(), opt(nonNegativeNumber))),
    oauth: opt(oauthOptions),
    logger: opt(logger),
    commands: opt(hintCommandsSchema()),
    allowUnsafePermissions: opt(v.boolean()),
    cacheTtlForSubscription: opt(v.boolean()),
    secretRefs: opt(v.looseObject({ allowExec: opt(v.union([v.boolean(), v.array(nonEmptyString)])) })),
  });
});

/**
 * Checks resolver options at construction, so a bad `oauth.timeoutMs` or `tokenUrl` fails now with
 * `INVALID_ARGUMENT` rather than later as a refresh failure that cools a profile down.
 *
 * @param fn - the public function's name
 * @param options - what was passed
 * @returns the options, typed
 * @internal
 */
export function checkResolverOptions(fn: string, options: unknown): AuthResolverOptions {
  return checkArgument(fn, "options", resolverOptionsSchema, options === undefined ? {} : options) as unknown as AuthResolverOptions;
}

/**
 * Checks one `resolve()` request with plain `typeof` tests (it runs on the warm path: no
 * allocation when the request is well-formed), falling back to the schema for the message.
 *
 * @param request - what was passed
 * @returns the request, typed
 * @internal
 */
export function checkResolveRequest(request: unknown): ResolveRequest {
  if (request === undefined) return EMPTY_REQUEST;
  if (typeof request === "object" && request !== null && !Array.isArray(request)) {
    const r = request as Record<string, unknown>;
    if (
      (r["provider"] === undefined || typeof r["provider"] === "string") &&
      (r["model"] === undefined || typeof r["model"] === "string") &&
      (r["profileId"] === undefined || typeof r["profileId"] === "string") &&
      (r["sessionId"] === undefined || typeof r["sessionId"] === "string") &&
      (r["exclude"] === undefined || (Array.isArray(r["exclude"]) && r["exclude"].every((id) => typeof id === "string")))
    ) {
      return request as ResolveRequest;
    }
  }
  return checkArgument("resolve", "request", resolveRequestSchema, request) as ResolveRequest;
}

const EMPTY_REQUEST: ResolveRequest = Object.freeze({});

/** The schema of {@link ResolveRequest}, built on its first use (a malformed request). @internal */
export const resolveRequestSchema = lazySchema(() =>
  v.looseObject({
    provider: opt(v.string()),
    model: opt(v.string()),
    profileId: opt(v.string()),
    sessionId: opt(v.string()),
    exclude: opt(v.array(v.string())),
  }),
);

/**
 * Checks a profile id argument (`reportSuccess`, `reportFailure`, `clearCooldown`).
 *
 * @param fn - the method's name
 * @param profileId - what was passed
 * @returns the id
 * @internal
 */
export function checkProfileIdArgument(fn: string, profileId: unknown): string {
  if (typeof profileId === "string" && profileId !== "") return profileId;
  return checkArgument(fn, "profileId", nonEmptyString, profileId);
}
