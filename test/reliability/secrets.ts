import { inspect } from "node:util";
import { expect } from "vitest";
import { isAuthProfilesError, type ErrorCode } from "../../src/model/errors.js";

/** Known test secrets, each with a body no other test value shares. */
export const SECRETS = {
  apiKey: `sk-ant-api03-${"Rz4Kp8Wq2Lm6Xv0Nb3Hj7Tf1Yd5Gc9".repeat(3)}AAkey1`,
  apiKey2: `sk-ant-api03-${"Bq7Zm1Vx5Nc9Lk3Jh8Gf2Dz6Sa0Pw4".repeat(3)}AAkey2`,
  envKey: `sk-ant-api03-${"Ej3Uo7Ia1Wy5Rt9Qp2Sd6Fg0Hk4Ln8".repeat(3)}AAenvk`,
  token: `sk-ant-oat01-${"Tk5Mn9Bv3Cx7Za1Qs4Wd8Er2Fg6Hy0".repeat(3)}AAtok1`,
  envToken: `sk-ant-oat01-${"Uv2Wx6Yz0Ab4Cd8Ef1Gh5Ij9Kl3Mn7".repeat(3)}AAenvt`,
  access: `sk-ant-oat01-${"Ac6Ce0Ss4Tt8Oo2Kk5Ee9Nn3Aa7Zz1".repeat(3)}AAacc1`,
  refresh: `sk-ant-ort01-${"Rf8Re2Fr6Es0Hh4Tt7Oo1Kk5En9Zz3".repeat(3)}AAref1`,
  cliAccess: `sk-ant-oat01-${"Cl1Ii5Aa9Cc3Ce7Ss2Ss6Tt0Oo4Kk8".repeat(3)}AAcli1`,
  cliRefresh: `sk-ant-ort01-${"Cr3Ll7Ii1Rr5Ee9Ff2Rr6Ee0Ss4Hh8".repeat(3)}AAclr1`,
} as const;

/** Every secret above, for scans. */
export const ALL_SECRETS: readonly string[] = Object.values(SECRETS);

/** Public prefixes: a window entirely inside one is not a leak. */
const PUBLIC_PREFIXES = ["sk-ant-api03-", "sk-ant-oat01-", "sk-ant-ort01-"];
const WINDOW = 12;

/**
 * Every 12-character window of `secret` that reaches past its public prefix (the longest leading
 * part it shares with one: a near miss like `sk-ant-oat01Tk…` starts with 12 public characters).
 *
 * @param secret - the secret
 * @returns the windows
 */
export function secretWindows(secret: string): string[] {
  const publicLength = Math.max(...PUBLIC_PREFIXES.map((p) => commonPrefixLength(p, secret)));
  const windows: string[] = [];
  for (let i = Math.max(0, publicLength - WINDOW + 1); i + WINDOW <= secret.length; i += 1) windows.push(secret.slice(i, i + WINDOW));
  return windows;
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

/**
 * The leaks in `text`: each secret, or 12-character window of one, that appears in it.
 *
 * @param text - any output
 * @param secrets - the secrets to look for (default all of {@link SECRETS})
 * @returns the leaked windows (empty when clean)
 */
export function leaksIn(text: string, secrets: readonly string[] = ALL_SECRETS): string[] {
  return secrets.flatMap((secret) => secretWindows(secret).filter((w) => text.includes(w)));
}

/**
 * Every view a person or a log may get of a value: message, hint, details, JSON, inspect, String.
 *
 * @param value - an error or any value
 * @returns the texts
 */
export function viewsOf(value: unknown): string[] {
  const e = value as { message?: unknown; hint?: unknown; details?: unknown; stack?: unknown } | null | undefined;
  const views = [safe(() => JSON.stringify(value)), safe(() => inspect(value, { depth: 10 })), safe(() => String(value))];
  if (typeof e === "object" && e !== null) views.push(String(e.message), String(e.hint), safe(() => JSON.stringify(e.details ?? null)), String(e.stack));
  return views;
}

function safe(view: () => string | undefined): string {
  try {
    return view() ?? "";
  } catch {
    return "";
  }
}

/**
 * Asserts that `error` is an `AuthProfilesError` with one of `codes` (never a TypeError or a plain
 * Error) and that none of its views shows a secret.
 *
 * @param error - what was thrown
 * @param codes - the codes allowed here
 * @param secrets - extra secrets to look for besides {@link SECRETS}
 */
export function expectTypedError(error: unknown, codes: readonly ErrorCode[], secrets: readonly string[] = []): void {
  if (!isAuthProfilesError(error)) throw new Error(`expected an AuthProfilesError with a code, got ${inspect(error)}`);
  expect(codes).toContain(error.code);
  expect(leaksIn(viewsOf(error).join("\n"), [...ALL_SECRETS, ...secrets])).toEqual([]);
}
