import { printable } from "../model/printable.js";
import { stateText } from "./format-hints.js";
import type { AuthStatus, CacheStatus, ProviderStatus } from "./types.js";
import { checkStatusArgument } from "./arguments.js";

/**
 * Formats a status report for people: the agent, store and config paths; per provider the
 * effective credential source and one line per profile (id, masked credential, kind, state, what to
 * do); then one line per model about its prompt-cache TTL.
 *
 * @remarks Deterministic: durations are measured from `status.generatedAt`, no colors, no clock.
 * Every value printed is made printable first: control characters, line breaks and bidirectional
 * overrides in ids, emails, paths or messages appear escaped (`\x1b`, `\n`), so stored data can
 * neither forge a line nor send terminal escape sequences.
 *
 * @param status - a report from `resolver.status()` or `buildAuthStatus`
 * @returns plain text lines joined by `\n`, ending with a newline
 *
 * @example
 * ```ts
 * process.stdout.write(formatAuthStatus(await resolver.status()));
 * // Agent: main
 * //   store:  /home/me/.openclaw/agents/main/agent/auth-profiles.json
 * // …
 * // anthropic: profiles:/home/me/.openclaw/agents/main/agent/auth-profiles.json (2 profiles: 1 token, 1 API key)
 * //   anthropic:manual   token:sk-ant-oat01-…wxyz  token    expiring in 5h  → paste a new setup-token: `saveToken({ agentId: "main", token })`
 * //   anthropic:default  sk-ant-api03-…wxyz        api_key  ok
 * ```
 *
 * @category Status
 */
export function formatAuthStatus(status: AuthStatus): string {
  checkStatusArgument("formatAuthStatus", status);
  const lines = [
    `Agent: ${printable(status.agentId)}`,
    `  store:  ${printable(status.storePath)}`,
    `  config: ${printable(status.configPath ?? "(none)")}`,
    `  model:  ${printable(status.defaultModel ?? "(none configured)")}`,
  ];
  for (const provider of status.auth.providers) lines.push("", ...providerLines(provider, status));
  const others = otherAgentsLine(status);
  if (others !== null) lines.push("", others);
  if (status.auth.heldLogins.length > 0) lines.push("", ...heldLines(status));
  lines.push("", ...cacheLines(status.auth.cache));
  return `${lines.join("\n")}\n`;
}

function providerLines(provider: ProviderStatus, status: AuthStatus): string[] {
  const header = printable(`${provider.provider}: ${provider.effective.detail}${countsText(provider)}`);
  const table = provider.entries.map((row) => [
    row.profileId,
    row.masked,
    row.type ?? "-",
    stateText(row, status.generatedAt),
    arrow(row.action),
  ]);
  const env = provider.env;
  if (env !== null) {
    table.push([`env:${env.variable}`, env.masked, env.mode, env.used ? "used" : "not used", env.used ? "" : arrow("profiles come first")]);
  }
  if (table.length === 0) return [header, "  (no profiles)"];
  return [header, ...alignColumns(table).map((line) => `  ${line}`)];
}

function heldLines(status: AuthStatus): string[] {
  const table = status.auth.heldLogins.map((held) => [
    held.profileId,
    held.heldIn === "journal" ? "held in memory and in the recovery journal" : "held in memory only",
    held.recovered ? "recovered after a restart" : "store write failed",
    arrow("free disk space / check the store's lock or Redis; it is saved with the next successful write"),
  ]);
  return ["Refreshed OAuth logins not yet saved in the store:", ...alignColumns(table).map((line) => `  ${line}`)];
}

/**
 * The header's counts, from the rows below it: `(3 profiles: 1 token, 2 API keys)` when every row
 * is usable (or cooling down), `(5 profiles, 3 usable: …)` when some are not, `(2 profiles, none
 * usable)`; nothing when there is no row.
 */
function countsText(provider: ProviderStatus): string {
  const { count, oauth, token, apiKey } = provider.profiles;
  const listed = provider.entries.length;
  if (listed === 0) return provider.effective.kind === "profiles" ? " (no usable profile)" : "";
  const rows = `${listed} profile${listed === 1 ? "" : "s"}`;
  if (count === 0) return ` (${rows}, none usable)`;
  const parts = [
    oauth > 0 ? `${oauth} OAuth` : "",
    token > 0 ? `${token} token${token === 1 ? "" : "s"}` : "",
    apiKey > 0 ? `${apiKey} API key${apiKey === 1 ? "" : "s"}` : "",
  ].filter((part) => part !== "");
  return count === listed ? ` (${rows}: ${parts.join(", ")})` : ` (${rows}, ${count} usable: ${parts.join(", ")})`;
}

/** One line for the configured profiles other agents store, e.g. `2 configured profiles belong to other agents (main).` */
function otherAgentsLine(status: AuthStatus): string | null {
  const others = status.auth.otherAgentProfiles ?? [];
  if (others.length === 0) return null;
  const agents = [...new Set(others.flatMap((other) => other.agentIds))];
  const n = others.length;
  return printable(`${n} configured profile${n === 1 ? "" : "s"} belong${n === 1 ? "s" : ""} to other agents (${agents.join(", ")}); not listed above.`);
}

function cacheLines(cache: readonly CacheStatus[]): string[] {
  if (cache.length === 0) return ["Prompt cache: no Anthropic model configured for this agent."];
  // Table cells are made printable in alignColumns.
  const table = cache.map((line) => [line.model, line.cacheControlTtl ?? "-", `${line.applied ? "applied" : "not applied"}: ${line.why}`]);
  return ["Prompt cache (cacheControlTtl):", ...alignColumns(table).map((line) => `  ${line}`)];
}

function arrow(action: string): string {
  return action === "" ? "" : `→ ${action}`;
}

/** Makes every cell printable, pads every column but the last to its widest cell; drops trailing spaces. */
function alignColumns(cells: readonly (readonly string[])[]): string[] {
  const rows = cells.map((row) => row.map(printable));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
