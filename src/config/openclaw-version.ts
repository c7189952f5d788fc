/**
 * The OpenClaw release that last wrote a config: OpenClaw stamps `meta.lastTouchedVersion` (e.g.
 * `"2026.4.5"`) into `openclaw.json` on every config write. It is the only on-disk marker that
 * tells OpenClaw ≤ 2026.2.12 from 2026.2.13–2026.4.6 (their stores look the same).
 *
 * @param config - a loaded config object (any shape)
 * @returns the version string, or `undefined` when the config has none
 * @internal
 */
export function openclawVersionOf(config: unknown): string | undefined {
  if (typeof config !== "object" || config === null) return undefined;
  const meta = (config as { meta?: unknown }).meta;
  if (typeof meta !== "object" || meta === null) return undefined;
  const version = (meta as { lastTouchedVersion?: unknown }).lastTouchedVersion;
  return typeof version === "string" && version.trim() !== "" ? version.trim() : undefined;
}
