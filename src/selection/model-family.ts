/**
 * One rule of the model-family table: a model id containing `match` (case-insensitive) belongs to
 * `family`. The first matching rule wins.
 *
 * @category Resolving
 */
export interface ModelFamilyRule {
  /** A substring of the model id, e.g. `opus`. */
  readonly match: string;
  /** The family name, e.g. `opus`. */
  readonly family: string;
}

/**
 * Anthropic pools rate limits per model family ("Claude Opus 4.x: Opus 4.8, 4.7, 4.6, 4.5
 * combined"), and fast mode has limits of its own. Whether the 5.x models pool with their 4.x
 * families is not established; they are put with them here.
 *
 * @category Selection
 */
export const DEFAULT_MODEL_FAMILIES: readonly ModelFamilyRule[] = Object.freeze([
  { match: "opus", family: "opus" },
  { match: "sonnet", family: "sonnet" },
  { match: "haiku", family: "haiku" },
  { match: "fable", family: "fable" },
  { match: "mythos", family: "mythos" },
]);

/**
 * Suffix of a fast-mode family (`speed: "fast"` has its own limits): `opus:fast`.
 *
 * @category Selection
 */
export const FAST_FAMILY_SUFFIX = ":fast";

/**
 * Options of {@link modelFamilyOf}.
 *
 * @category Selection
 */
export interface ModelFamilyOptions {
  /** Rules tried before {@link DEFAULT_MODEL_FAMILIES}. */
  readonly rules?: readonly ModelFamilyRule[] | undefined;
  /** The request asked for fast mode (`speed: "fast"`). */
  readonly fast?: boolean | undefined;
}

/**
 * The rate-limit family of a model id: the scope of its rate-limit, overloaded and timeout cooldowns.
 *
 * @remarks
 * A `provider/` prefix is ignored. Extra `rules` are tried first, then the default table; a model
 * that no rule matches is its own family (its id, lower case), as OpenClaw scopes by model id.
 *
 * @param model - a model id such as `claude-opus-4-7` or `anthropic/claude-sonnet-4-6`
 * @param options - extra rules, fast mode
 * @returns the family (`opus`, `sonnet:fast`, …), or `null` when no model is given
 *
 * @example
 * ```ts
 * modelFamilyOf("claude-opus-4-7");                 // "opus"
 * modelFamilyOf("claude-opus-4-7", { fast: true }); // "opus:fast"
 * modelFamilyOf("my-proxy-model", { rules: [{ match: "proxy", family: "sonnet" }] }); // "sonnet"
 * ```
 *
 * @category Selection
 */
export function modelFamilyOf(model: string | null | undefined, options: ModelFamilyOptions = {}): string | null {
  if (typeof model !== "string") return null;
  const slash = model.lastIndexOf("/");
  const id = (slash === -1 ? model : model.slice(slash + 1)).trim().toLowerCase();
  if (id === "") return null;
  const rule = [...(options.rules ?? []), ...DEFAULT_MODEL_FAMILIES].find((r) => r.match !== "" && id.includes(r.match.toLowerCase()));
  const family = rule?.family ?? id;
  return options.fast === true ? `${family}${FAST_FAMILY_SUFFIX}` : family;
}
