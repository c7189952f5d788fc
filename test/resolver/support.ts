import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { AuthResolver, AuthResolverOptions } from "../../src/resolver/types.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

/** Fixed test secrets, long enough to look real. */
export const KEY_A = "sk-ant-api03-AAAAaaaaAAAAaaaaAAAAaaaaAAAAaaaaAAAA1111";
export const KEY_B = "sk-ant-api03-BBBBbbbbBBBBbbbbBBBBbbbbBBBBbbbbBBBB2222";
export const KEY_C = "sk-ant-api03-CCCCccccCCCCccccCCCCccccCCCCccccCCCC3333";
export const TOKEN_M = `sk-ant-oat01-${"M".repeat(90)}mmmm`;

/** A temp home with an agent store helper. */
export interface ResolverFixture extends TmpHome {
  /** Path of an agent's store. */
  storePath(agentId?: string): string;
  /** Writes an agent's store file (0600 in a 0700 dir). */
  writeStore(data: unknown, agentId?: string): Promise<void>;
  /** Reads an agent's store file as JSON. */
  readStore(agentId?: string): Promise<Record<string, any>>;
  /** A resolver over this home, with a fixed clock unless given. */
  resolver(options?: AuthResolverOptions): AuthResolver;
  /** The shared clock value; tests move it. */
  clock: { now: number };
}

/** Creates a fixture; call `cleanup()` after. */
export async function makeResolverFixture(): Promise<ResolverFixture> {
  const home = await makeTmpHome();
  const clock = { now: Date.UTC(2026, 10, 25, 12, 0, 0) };
  const resolvers: AuthResolver[] = [];
  const storePath = (agentId = "main") => join(home.stateDir, "agents", agentId, "agent", "auth-profiles.json");
  return {
    ...home,
    clock,
    storePath,
    async writeStore(data, agentId) {
      const path = storePath(agentId);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    },
    async readStore(agentId) {
      return JSON.parse(await readFile(storePath(agentId), "utf8"));
    },
    resolver(options = {}) {
      const resolver = createAuthResolver({ stateDir: home.stateDir, homeDir: home.home, env: {}, configPath: false, claudeCli: false, now: () => clock.now, ...options });
      resolvers.push(resolver);
      return resolver;
    },
    async cleanup() {
      await Promise.all(resolvers.map((r) => r.close()));
      await home.cleanup();
    },
  };
}

/** A store document with API-key profiles. */
export function apiKeyStore(keys: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    profiles: Object.fromEntries(Object.entries(keys).map(([id, key]) => [id, { type: "api_key", provider: "anthropic", key }])),
    ...extra,
  };
}
