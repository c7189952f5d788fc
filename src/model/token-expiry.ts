/** The largest epoch-ms value a `Date` can hold; OpenClaw refuses a later `expires`. */
const MAX_DATE_MS = 8_640_000_000_000_000;

/**
 * Where a static token's `expires` stands, as OpenClaw ≥ 2026.3 judges it
 * (`resolveTokenExpiryState`): absent → `none` (does not expire); not a number, not finite, `0`,
 * negative or past the largest date → `invalid` (the token is not used); at or before `now` →
 * `expired`; else `valid`.
 *
 * @remarks OpenClaw ≤ 2026.2.12 read `expires: 0` as "does not expire"; 2026.3 and later refuse it,
 * and so does this library, so both skip the same profile.
 *
 * @param expires - the stored `expires`
 * @param now - epoch ms
 * @returns the state
 * @internal
 */
export function tokenExpiryState(expires: unknown, now: number): "none" | "valid" | "expired" | "invalid" {
  if (expires === undefined) return "none";
  if (typeof expires !== "number" || !Number.isFinite(expires) || expires <= 0 || expires > MAX_DATE_MS) return "invalid";
  return expires <= now ? "expired" : "valid";
}
