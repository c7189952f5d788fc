import { AuthProfilesError } from "../model/errors.js";
import { checkConfigArgument } from "./arguments.js";

/**
 * The agent id used when none is given (OpenClaw's default agent).
 *
 * @category Resolving
 */
export const DEFAULT_AGENT_ID = "main";

/** Letters, digits, `.`, `_`, `-`; not starting with `.`; at most 128 characters. */
const AGENT_ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks that an agent id is safe to use as a directory name: non-empty, at most 128 characters of
 * `[A-Za-z0-9._-]`, not starting with a dot (so no `.`, `..`, path separators or hidden names).
 * Used where an id names something other than OpenClaw's directory (the Redis store's keys);
 * resolvers and writers accept any id and normalise it as OpenClaw does ({@link normalizeAgentId}).
 *
 * @param agentId - the id to check
 * @returns the id unchanged
 * @throws AuthProfilesError `INVALID_ARGUMENT` when the id could escape `<stateDir>/agents/`
 *
 * @category Config
 */
export function validateAgentId(agentId: string): string {
  checkConfigArgument("validateAgentId", "agentId", "agentId", agentId);
  if (AGENT_ID_PATTERN.test(agentId)) return agentId;
  throw new AuthProfilesError("INVALID_ARGUMENT", `Invalid agent id ${JSON.stringify(agentId.slice(0, 64))}.`, {
    hint: `Use letters, digits, ".", "_" or "-" (not starting with "."), e.g. "${DEFAULT_AGENT_ID}" or "work".`,
    details: { agentId: agentId.slice(0, 64) },
  });
}

/** OpenClaw's `routing/session-key.ts`: an id it keeps as written (lower-cased). */
const OPENCLAW_VALID_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
/** Runs of characters OpenClaw replaces by one `-`. */
const OPENCLAW_INVALID_RUN = /[^a-z0-9_-]+/g;
/** Longest id OpenClaw keeps. */
const OPENCLAW_MAX_ID_LENGTH = 64;

/**
 * The agent id as OpenClaw computes it (its `normalizeAgentId`), which names the agent's directory
 * `<stateDir>/agents/<id>/agent` and matches `agents.list[].id`: trimmed; empty → `"main"`; an id of
 * `[A-Za-z0-9]` followed by up to 63 of `[A-Za-z0-9_-]` is lower-cased; anything else is
 * lower-cased, each run of characters outside `[a-z0-9_-]` (dots, spaces, slashes, non-ASCII
 * letters) becomes one `-`, leading and trailing `-` are dropped, the rest is cut to 64
 * characters, and an empty result is `"main"`.
 *
 * @remarks The result never holds a dot or a path separator, so it cannot leave
 * `<stateDir>/agents/`. As in OpenClaw, ids that differ only in case or punctuation share one
 * directory (`"Work"`, `"work"`, `" work. "`), and an id with no ASCII letter or digit at all
 * (`".."`, `"日本"`) is the default agent `main`.
 *
 * @param agentId - the id as given (a bot option, an `agents.list[].id`)
 * @returns the normalised id
 *
 * @example
 * ```ts
 * normalizeAgentId("Work");      // "work"
 * normalizeAgentId("my agent");  // "my-agent"
 * normalizeAgentId("  ");        // "main"
 * ```
 *
 * @category Config
 */
export function normalizeAgentId(agentId: string): string {
  checkConfigArgument("normalizeAgentId", "agentId", "agentId", agentId);
  const trimmed = agentId.trim();
  if (trimmed === "") return DEFAULT_AGENT_ID;
  if (OPENCLAW_VALID_ID.test(trimmed)) return trimmed.toLowerCase();
  const slug = trimmed
    .toLowerCase()
    .replace(OPENCLAW_INVALID_RUN, "-")
    .replace(/^-+/, "")
    .replace(/-+$/, "")
    .slice(0, OPENCLAW_MAX_ID_LENGTH);
  return slug === "" ? DEFAULT_AGENT_ID : slug;
}

/**
 * The directory name OpenClaw gives an agent: {@link normalizeAgentId}.
 *
 * @param agentId - an agent id
 * @returns the directory name under `<stateDir>/agents/`
 * @internal
 */
export function agentDirName(agentId: string): string {
  return normalizeAgentId(agentId);
}
