import * as v from "valibot";
import { hintCommandsSchema } from "../model/hints-schema.js";
import { anyObject, checkArgument, envRecord, isObjectArgument, optionsObject } from "../model/arguments.js";
import { lazySchema } from "../model/lazy-schema.js";

// Built on the first check, not at import.
const statusShape = lazySchema(() =>
  optionsObject({ agentId: v.string(), storePath: v.string(), generatedAt: v.number(), auth: optionsObject({ providers: v.array(anyObject), cache: v.array(anyObject) }) }),
);
const buildInput = lazySchema(() =>
  optionsObject({
    agentId: v.string(),
    configPath: v.nullable(v.string()),
    storePath: v.string(),
    config: anyObject,
    data: optionsObject({ profiles: anyObject }),
    env: envRecord,
    now: v.pipe(v.number(), v.finite("must be a finite number")),
    claudeCli: v.nullable(anyObject),
    commands: v.optional(hintCommandsSchema()),
    cacheTtlForSubscription: v.optional(v.boolean()),
    storedElsewhere: v.optional(v.array(optionsObject({ profileId: v.string(), agentIds: v.array(v.string()) }))),
  }),
);

/**
 * Checks a status report passed to a formatter (allocation-free when well-formed).
 *
 * @param fn - the public function's name
 * @param status - what was passed
 * @internal
 */
export function checkStatusArgument(fn: string, status: unknown): void {
  if (isObjectArgument(status)) {
    const auth = (status as { auth?: unknown }).auth;
    if (isObjectArgument(auth) && Array.isArray((auth as { providers?: unknown }).providers) && typeof (status as { agentId?: unknown }).agentId === "string") return;
  }
  checkArgument(fn, "status", statusShape, status);
}

/**
 * Checks the input of `buildAuthStatus`.
 *
 * @param input - what was passed
 * @internal
 */
export function checkBuildStatusInput(input: unknown): void {
  checkArgument("buildAuthStatus", "input", buildInput, input);
}
