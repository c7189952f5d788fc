import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createAnthropicClient, type AuthProfilesClient, type CreateAnthropicClientOptions } from "../../src/anthropic/client.js";
import type { StoreData, UsageStats } from "../../src/model/store.js";
import { saveApiKey, saveToken } from "../../src/writers/save.js";
import type { FakeAnthropic } from "../helpers/fake-anthropic.js";
import type { TmpHome } from "../helpers/tmp-home.js";

/** A clock tests move by hand; the fake server and the client share it. */
export class ManualClock {
  /** Epoch ms. */
  now = Date.UTC(2026, 11, 1, 12, 0, 0);
  /** @param ms - how far to move */
  advance(ms: number): void {
    this.now += ms;
  }
}

export const SONNET = "claude-sonnet-4-6";
export const OPUS = "claude-opus-4-7";
export const MESSAGES = [{ role: "user" as const, content: "Hi" }];
export const key = (tag: string): string => `sk-ant-api03-${tag.padEnd(12, "x")}-${"a".repeat(80)}`;
export const token = (tag: string): string => `sk-ant-oat01-${tag.padEnd(12, "t")}-${"b".repeat(80)}`;
export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Everything one quota test works with. */
export interface QuotaFixture {
  readonly server: FakeAnthropic;
  readonly tmp: TmpHome;
  readonly clock: ManualClock;
  readonly clients: AuthProfilesClient[];
}

/**
 * Saves API keys (`anthropic:<tag>`) and setup-tokens (`anthropic:<tag>` for tags starting with `t`).
 *
 * @param fx - the fixture
 * @param tags - the profile tags
 */
export async function saveProfiles(fx: QuotaFixture, ...tags: string[]): Promise<void> {
  const common = { stateDir: fx.tmp.stateDir, configPath: false as const, env: fx.tmp.env, homeDir: fx.tmp.home };
  for (const tag of tags) {
    if (tag.startsWith("t")) await saveToken({ ...common, token: token(tag), profileId: `anthropic:${tag}` });
    else await saveApiKey({ ...common, key: key(tag), profileId: `anthropic:${tag}` });
  }
}

/**
 * A client with the real resolver on the fixture's store, in the explicit order given.
 *
 * @param fx - the fixture
 * @param order - profile ids in order (omit for round-robin)
 * @param options - more client options
 * @returns the client
 */
export function quotaClient(fx: QuotaFixture, order: readonly string[] | null, options: Partial<CreateAnthropicClientOptions> = {}): AuthProfilesClient {
  const client = createAnthropicClient({
    stateDir: fx.tmp.stateDir,
    homeDir: fx.tmp.home,
    env: fx.tmp.env,
    claudeCli: false,
    now: () => fx.clock.now,
    clientOptions: { baseURL: fx.server.url, maxRetries: 0 },
    ...(order === null ? { configPath: false } : { config: { auth: { order: { anthropic: [...order] } } } }),
    ...options,
  });
  fx.clients.push(client);
  return client;
}

/**
 * Flushes every client's written-behind records, then reads the file.
 *
 * @param fx - the fixture
 * @returns the raw store file, parsed without this library's reader
 */
export async function rawStore(fx: QuotaFixture): Promise<StoreData> {
  await Promise.all(fx.clients.map((c) => c.authResolver.flush()));
  return JSON.parse(await readFile(join(fx.tmp.stateDir, "agents", "main", "agent", "auth-profiles.json"), "utf8")) as StoreData;
}

/**
 * @param fx - the fixture
 * @param profileId - a profile id
 * @returns its raw usage entry
 */
export async function rawUsage(fx: QuotaFixture, profileId: string): Promise<UsageStats | undefined> {
  return (await rawStore(fx)).usageStats?.[profileId];
}

/**
 * @param client - a client
 * @param model - the model
 * @returns the message
 */
export function ask(client: AuthProfilesClient, model: string = SONNET) {
  return client.messages.create({ model, max_tokens: 16, messages: MESSAGES });
}
