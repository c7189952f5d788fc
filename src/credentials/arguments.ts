import * as v from "valibot";
import { checkArgument, envRecord, func, nonEmptyString, nonNegativeNumber, opt, optionsObject, positiveNumber, profileStoreShape } from "../model/arguments.js";
import { lazySchema } from "../model/lazy-schema.js";

const claudeCliInit = lazySchema(() =>
  optionsObject({
    env: opt(envRecord),
    homeDir: opt(nonEmptyString),
    credentialsPath: opt(nonEmptyString),
    keychain: opt(v.boolean()),
    keychainService: opt(nonEmptyString),
    securityCommand: opt(nonEmptyString),
    platform: opt(v.string()),
    refresh: opt(v.picklist(["never", "write-back"])),
  }),
);

const tokenRefreshRequest = lazySchema(() =>
  optionsObject({
    fetch: func,
    tokenUrl: v.string(),
    clientId: nonEmptyString,
    refreshToken: v.string(),
    now: func,
    timeoutMs: positiveNumber,
    profileId: v.string(),
  }),
);

const refreshStoredOptions = lazySchema(() =>
  optionsObject({
    store: profileStoreShape,
    profileId: v.string(),
    now: func,
    refreshMarginMs: nonNegativeNumber,
    force: opt(v.boolean()),
    seenAccess: opt(v.string()),
  }),
);

/**
 * Checks the options of the Claude Code login functions.
 *
 * @param fn - the public function's name
 * @param init - what was passed
 * @internal
 */
export function checkClaudeCliInit(fn: string, init: unknown): void {
  checkArgument(fn, "options", claudeCliInit, init);
}

/**
 * Checks a token refresh request.
 *
 * @param request - what was passed
 * @internal
 */
export function checkTokenRefreshRequest(request: unknown): void {
  checkArgument("requestTokenRefresh", "request", tokenRefreshRequest, request);
}

/**
 * Checks the options of `refreshStoredOAuth`.
 *
 * @param options - what was passed
 * @internal
 */
export function checkRefreshStoredOptions(options: unknown): void {
  checkArgument("refreshStoredOAuth", "options", refreshStoredOptions, options);
}
