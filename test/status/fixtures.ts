import type { AuthProfilesConfig } from "../../src/config/types.js";
import type { Credential } from "../../src/model/credential.js";
import type { BuildAuthStatusInput } from "../../src/status/build.js";
import { CLI_COMMANDS } from "../../examples/cli/commands.js";
import type { StoreData } from "../../src/model/store.js";

/** A fixed clock: 2025-12-29T09:20:00Z. */
export const NOW = 1_767_000_000_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const STORE_PATH = "/state/agents/main/agent/auth-profiles.json";
export const CONFIG_PATH = "/state/openclaw.json";

/** Realistic-looking secrets with distinct bodies, so any 12-character slice is recognisable. */
export const SECRETS = {
  apiKey: `sk-ant-api03-${"Qw3rTy7uIoP1aSdF9gHjK2lZxC5vBnM8".repeat(3)}AAwxyz`,
  apiKey2: `sk-ant-api03-${"Lm4Nb6Vc8Xz0Qa2Ws4Ed6Rf8Tg0Yh2Uj".repeat(3)}AAabcd`,
  token: `sk-ant-oat01-${"Pk9Oj8Ih7Ug6Yf5Td4Rs3Ea2Wq1Zx0Cv".repeat(3)}AAtttt`,
  token2: `sk-ant-oat01-${"Mn1Bv2Cx3Zl4Kj5Hg6Fd7Sa8Qw9Er0Ty".repeat(3)}AAoooo`,
  access: `sk-ant-oat01-${"Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk".repeat(3)}AAacce`,
  refresh: `sk-ant-ort01-${"Ll1Mm2Nn3Oo4Pp5Qq6Rr7Ss8Tt9Uu0Vv".repeat(3)}AArefr`,
  cli: `sk-ant-oat01-${"Ww1Xx2Yy3Zz4Aa5Bb6Cc7Dd8Ee9Ff0Gg".repeat(3)}AAclii`,
  envKey: `sk-ant-api03-${"Hh1Ii2Jj3Kk4Ll5Mm6Nn7Oo8Pp9Qq0Rr".repeat(3)}AAenvk`,
  envToken: `sk-ant-oat01-${"Ss1Tt2Uu3Vv4Ww5Xx6Yy7Zz8Aa9Bb0Cc".repeat(3)}AAenvt`,
} as const;

/** Well-known prefixes: public, so a 12-character window inside one is not a leak. */
const PUBLIC_PREFIXES = ["sk-ant-api03-", "sk-ant-oat01-", "sk-ant-ort01-"];

/**
 * Every 12-character window of a secret that is not entirely inside its public prefix.
 *
 * @param secret - a secret
 * @returns the windows
 */
export function secretSlices(secret: string): string[] {
  const prefix = PUBLIC_PREFIXES.find((p) => secret.startsWith(p)) ?? "";
  const slices: string[] = [];
  for (let i = 0; i + 12 <= secret.length; i += 1) {
    if (i + 12 <= prefix.length) continue;
    slices.push(secret.slice(i, i + 12));
  }
  return slices;
}

/**
 * The secrets (or 12-character slices of them) found in a text.
 *
 * @param text - output to scan
 * @param secrets - the secrets that must not appear
 * @returns the leaked slices (empty when clean)
 */
export function leakedSlices(text: string, secrets: readonly string[] = Object.values(SECRETS)): string[] {
  return secrets.flatMap((secret) => secretSlices(secret).filter((slice) => text.includes(slice)));
}

/** A store document. */
export function storeData(profiles: StoreData["profiles"], extra: Partial<StoreData> = {}): StoreData {
  return { version: 1, profiles, ...extra };
}

/** A Claude Code login as the resolver reads it. */
export function cliCredential(expiresAt: number | null, email?: string): Credential {
  return {
    provider: "anthropic",
    profileId: "anthropic:claude-cli",
    mode: "oauth",
    source: "claude-cli",
    secret: SECRETS.cli,
    expiresAt,
    ...(email === undefined ? {} : { email }),
  };
}

/**
 * A full `buildAuthStatus` input with defaults: agent `main`, fixed paths, empty config and store,
 * empty env, `NOW`, no Claude Code login.
 *
 * @param overrides - fields to replace
 * @returns the input
 */
export function statusInput(overrides: Partial<BuildAuthStatusInput> = {}): BuildAuthStatusInput {
  const config: AuthProfilesConfig = {};
  return {
    agentId: "main",
    configPath: CONFIG_PATH,
    storePath: STORE_PATH,
    config,
    data: storeData({}),
    env: {},
    now: NOW,
    claudeCli: null,
    commands: CLI_COMMANDS,
    ...overrides,
  };
}
