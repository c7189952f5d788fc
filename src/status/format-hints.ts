import { formatDurationMs } from "../model/errors.js";
import type { ProfileStatus } from "./types.js";

/** The default id `paste-token` saves to; other ids need `--profile-id`. */
const DEFAULT_TOKEN_PROFILE_ID = "anthropic:manual";

/**
 * The state column of a profile row: `ok`, `ok (expires in 30d)`, `expiring in 5h`,
 * `cooldown 4m (rate_limit)`, `disabled:billing 3h`, `expired`, `missing`, `excluded`, `ignored`.
 *
 * @param row - the profile row
 * @param now - the report's `generatedAt`
 * @returns the text
 * @internal
 */
export function stateText(row: ProfileStatus, now: number): string {
  switch (row.state) {
    case "ok":
      return `ok${okNote(row, now)}`;
    case "expiring":
      return `expiring in ${formatDurationMs((row.expiresAt ?? now) - now)}`;
    case "cooldown":
    case "disabled": {
      const unusable = row.unusable;
      const left = unusable === null ? "" : ` ${formatDurationMs(unusable.remainingMs)}`;
      if (row.state === "disabled") return `disabled${unusable?.reason ? `:${unusable.reason}` : ""}${left}`;
      const why = [unusable?.reason, unusable?.family === undefined ? undefined : `${unusable.family} models only`].filter((part) => part != null);
      return `cooldown${left}${why.length > 0 ? ` (${why.join(", ")})` : ""}`;
    }
    case "expired":
      return row.expiresAt !== null && row.expiresAt <= now ? `expired (${formatDurationMs(now - row.expiresAt)} ago)` : "expired";
    default:
      return row.state;
  }
}

function okNote(row: ProfileStatus, now: number): string {
  if (row.type === "api_key" || row.type === null) return "";
  if (row.refreshable) return " (renews automatically)";
  if (row.expiresAt === null) return row.source === "claude-cli" ? "" : " (no expiry)";
  return ` (expires in ${formatDurationMs(row.expiresAt - now)})`;
}

/**
 * What a person should do about a profile, or `""` when nothing: paste a new setup-token, sign in
 * to Claude Code again, clear a cooldown early, or why the profile is not used.
 *
 * @param row - the profile row
 * @param agentId - the report's agent, added as `--agent` to commands when it is not `main`
 * @returns one secret-free sentence, or `""`
 * @internal
 */
export function actionText(row: ProfileStatus, agentId: string): string {
  const cli = (command: string): string => `npm run cli -- ${command}${agentId === "main" ? "" : ` --agent ${agentId}`}`;
  const pasteToken = cli(`models auth paste-token --provider anthropic${row.profileId === DEFAULT_TOKEN_PROFILE_ID ? "" : ` --profile-id ${row.profileId}`}`);
  const clear = cli(`models auth clear-cooldown ${row.profileId}`);
  if (row.source === "claude-cli" && (row.state === "expired" || row.state === "missing")) {
    const fix = `un \`claude\` on this host to sign in again, or use a setup-token: ${cli("models auth paste-token --provider anthropic")}`;
    return row.detail === null ? `r${fix}` : `${row.detail} R${fix}`;
  }
  switch (row.state) {
    case "ok":
      return "";
    case "expiring":
      return row.source === "claude-cli" ? "run `claude` on this host to renew the login" : `paste a new setup-token: ${pasteToken}`;
    case "expired":
      return `paste a new setup-token: ${pasteToken}`;
    case "missing":
      if (row.type === "api_key") return `save a key: ${cli("onboard --anthropic-api-key <key>")}`;
      if (row.type === "token" || row.type === "oauth") return `run \`claude setup-token\`, then: ${pasteToken}`;
      return row.detail ?? "";
    case "cooldown":
      if (row.unusable?.reason === "auth") return `check the credential (rejected by the API), then clear early: ${clear}`;
      return `clear early: ${clear}`;
    case "disabled":
      return row.unusable?.reason === "billing" ? `top up credits, then clear early: ${clear}` : `clear early: ${clear}`;
    case "excluded":
    case "invalid":
    case "ignored":
      return row.detail ?? "";
  }
}
