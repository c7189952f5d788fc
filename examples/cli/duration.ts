import { CliUsageError } from "./errors.js";

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/**
 * Parses a duration such as `365d`, `12h`, `30m`, `2w` or `1y` (OpenClaw's `--expires-in`).
 *
 * @param text - the flag value
 * @param flag - the flag name, for the error
 * @returns milliseconds
 * @throws CliUsageError when the text is not a positive number followed by s, m, h, d, w or y
 */
export function parseDurationMs(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdwy])$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase();
  const ms = match === null || unit === undefined ? Number.NaN : Number(match[1]) * (UNIT_MS[unit] ?? Number.NaN);
  if (!Number.isFinite(ms) || ms <= 0) {
    // The value is not echoed: a secret pasted after the wrong flag must not reach the terminal.
    throw new CliUsageError(`${flag} takes a duration like 365d, 12h or 30m; got ${text.length} characters that are not one.`, `For a setup-token valid one year: ${flag} 365d`);
  }
  return ms;
}

/**
 * Formats a duration for a person: `45s`, `12m`, `5h`, `30d` (rounded up below an hour).
 *
 * @param ms - milliseconds
 * @returns the short text
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h}h` : `${Math.round(h / 24)}d`;
}
