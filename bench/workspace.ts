/**
 * Temporary state dirs with real store files, and the store documents the bench uses.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AuthResolver, AuthResolverOptions } from "../src/resolver/types.js";
import { root, store } from "./lib.js";
import type { ApiKeyProfile, StoreData } from "../src/model/store.js";

/** A temp home with the default layout `<home>/.openclaw/agents/main/agent/auth-profiles.json`. */
export interface Workspace {
  /** The fake home dir. */
  readonly home: string;
  /** `<home>/.openclaw`. */
  readonly stateDir: string;
  /** The main agent's store file. */
  readonly storePath: string;
  /** Writes the store file (0600 in a 0700 dir). */
  writeStore(data: StoreData): Promise<void>;
  /** A resolver over this workspace: no config file, no env, no Claude Code login. */
  resolver(options?: AuthResolverOptions): AuthResolver;
  /** Closes its resolvers and removes the temp home. */
  cleanup(): Promise<void>;
}

/** @returns a fresh workspace under `os.tmpdir()` */
export async function makeWorkspace(): Promise<Workspace> {
  const home = await mkdtemp(join(tmpdir(), "auth-profiles-bench-"));
  const stateDir = join(home, ".openclaw");
  const storePath = join(stateDir, "agents", "main", "agent", "auth-profiles.json");
  const resolvers: AuthResolver[] = [];
  return {
    home,
    stateDir,
    storePath,
    async writeStore(data) {
      await mkdir(dirname(storePath), { recursive: true, mode: 0o700 });
      await writeFile(storePath, store.serializeStore(data), { mode: 0o600 });
    },
    resolver(options = {}) {
      const resolver = root.createAuthResolver({ stateDir, homeDir: home, env: {}, configPath: false, claudeCli: false, ...options });
      resolvers.push(resolver);
      return resolver;
    },
    async cleanup() {
      await Promise.all(resolvers.map((r) => r.close().catch(() => undefined)));
      await rm(home, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** @returns a fake API key in Anthropic's format */
export function fakeApiKey(): string {
  return `sk-ant-api03-${randomBytes(69).toString("base64url")}AA`;
}

/** @returns a fake OAuth access token in Anthropic's format */
export function fakeAccessToken(): string {
  return `sk-ant-oat01-${randomBytes(69).toString("base64url")}AA`;
}

/**
 * @param count - how many API-key profiles (`anthropic:key-000001`, …)
 * @returns a store document holding them
 */
export function apiKeyStore(count: number): StoreData {
  const profiles: Record<string, ApiKeyProfile> = {};
  for (let i = 1; i <= count; i += 1) profiles[`anthropic:key-${String(i).padStart(6, "0")}`] = { type: "api_key", provider: "anthropic", key: fakeApiKey() };
  return { version: 1, profiles };
}

/**
 * @param keys - profile id → API key
 * @param order - an explicit store order, if any
 * @returns a store document holding those keys
 */
export function namedKeyStore(keys: Readonly<Record<string, string>>, order?: readonly string[]): StoreData {
  const profiles = Object.fromEntries(Object.entries(keys).map(([id, key]) => [id, { type: "api_key", provider: "anthropic", key }]));
  return { version: 1, profiles, ...(order === undefined ? {} : { order: { anthropic: order } }) };
}

/** The OAuth profile id the bench uses. */
export const OAUTH_PROFILE_ID = "anthropic:oauth";

/**
 * @param access - the access token
 * @param refresh - the refresh token
 * @param expires - epoch ms of expiry
 * @returns a store document with one OAuth profile
 */
export function oauthStore(access: string, refresh: string, expires: number): StoreData {
  return { version: 1, profiles: { [OAUTH_PROFILE_ID]: { type: "oauth", provider: "anthropic", access, refresh, expires } } };
}
