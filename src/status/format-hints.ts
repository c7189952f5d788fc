import { formatDurationMs } from "../model/errors.js";
import { hintStep, type HintCommands } from "../model/hints.js";
import type { ProfileRow } from "./types.js";

/**
 * The state column of a profile row: `ok`, `ok (expires in 30d)`, `expiring in 5h`,
 * `cooldown 4m (rate_limit)`, `disabled:billing 3h`, `expired`, `missing`, `excluded`, `ignored`.
 *
 * @param row - the profile row
 * @param now - the report's `generatedAt`
 * @returns the text
 * @internal
 */
export function stateText(row: ProfileRow, now: number): string {
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

function okNote(row: ProfileRow, now: number): string {
  if (row.type === "api_key" || row.type === null) return "";
  if (row.refreshable) return " (renews automatically)";
  if (row.expiresAt === null) return row.source === "claude-cli" ? "" : " (no expiry)";
  return ` (expires in ${formatDurationMs(row.expiresAt - now)})`;
}

/**
 * What a person should do about a profile, or `""` when nothing: paste a new setup-token, sign in
 * to Claude Code again, clear a cooldown early, or why the profile is not used. Commands come from
 * the hint table: the bot's own (`commands`) or the neutral library calls, with the agent named.
 *
 * @param row - the profile row
 * @param agentId - the report's agent
 * @param commands - the bot's command names, if any
 * @returns one secret-free sentence, or `""`
 * @internal
 */
export function actionText(row: ProfileRow, agentId: string, commands: HintCommands | undefined): string {
  const args = { agentId, profileId: row.profileId };
  const pasteToken = hintStep("pasteToken", args, commands);
  const clear = hintStep("clearCooldown", args, commands);
  if (row.source === "claude-cli" && (row.state === "expired" || row.state === "missing")) {
    const fix = `un \`claude\` on this host to sign in again, or use a setup-token: ${hintStep("pasteToken", { agentId }, commands)}`;
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
      if (row.type === "api_key") return `save a key: ${hintStep("saveApiKey", args, commands)}`;
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
