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

/**
 * The directory name OpenClaw gives an agent: its id lower-cased, runs of characters outside
 * `[a-z0-9._-]` replaced by `-` (OpenClaw's `normalizeAgentId`: `"Work"` → `agents/work`), so that
 * both programs open the same store.
 *
 * @param agentId - a valid agent id (see {@link validateAgentId})
 * @returns the directory name under `<stateDir>/agents/`
 * @internal
 */
export function agentDirName(agentId: string): string {
  const slug = agentId.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
  return slug === "" ? DEFAULT_AGENT_ID : slug;
}
