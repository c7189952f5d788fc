import * as v from "valibot";
import { anyObject, checkArgument, isObjectArgument, opt, optionsObject } from "../model/arguments.js";
import { lazySchema } from "../model/lazy-schema.js";

const selectionInput = lazySchema(() =>
  optionsObject({
    store: optionsObject({ profiles: anyObject }),
    config: opt(anyObject),
    provider: v.string(),
    now: v.pipe(v.number(), v.finite("must be a finite number")),
    preferred: opt(v.string()),
  }),
);

/**
 * Checks the input of `orderProfiles` / `explainProfiles` (allocation-free when well-formed).
 *
 * @param fn - the public function's name
 * @param input - what was passed
 * @internal
 */
export function checkSelectionInput(fn: string, input: unknown): void {
  if (isObjectArgument(input)) {
    const { store, provider, now } = input as { store?: unknown; provider?: unknown; now?: unknown };
    if (isObjectArgument(store) && isObjectArgument((store as { profiles?: unknown }).profiles) && typeof provider === "string" && typeof now === "number" && Number.isFinite(now)) return;
  }
  checkArgument(fn, "input", selectionInput, input);
}
