import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createAnthropicClient, type AuthProfilesClient, type CreateAnthropicClientOptions } from "../../src/anthropic/client.js";
import type { StoreData, UsageStats } from "../../src/model/store.js";
import { saveApiKey, saveToken } from "../../src/writers/save.js";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

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

/** What {@link useQuotaSuite} sets up: the fake server, the clock and this test's fixture. */
export interface QuotaSuite {
  /** The fake Anthropic server on 127.0.0.1, shared by the file's tests (reset after each). */
  server: FakeAnthropic;
  /** The clock every client and the server read; 2026-12-01T12:00Z at the start of each test. */
  readonly clock: ManualClock;
  /** This test's temp home and clients (closed after it). */
  fx: QuotaFixture;
  /** The credential of every request the server saw, in order. */
  credentials(): (string | null)[];
}

/**
 * Registers the hooks every quota test file shares: one fake server for the file, a fresh temp
 * home and clock per test, and clients closed after each.
 *
 * @returns the live suite state (its `server` and `fx` are set by the hooks)
 */
export function useQuotaSuite(): QuotaSuite {
  const suite = { clock: new ManualClock() } as QuotaSuite;
  suite.credentials = () => suite.server.requests.map((r) => r.credential);
  beforeAll(async () => {
    suite.server = await startFakeAnthropic({ now: () => suite.clock.now });
  });
  afterAll(async () => {
    await suite.server.close();
  });
  beforeEach(async () => {
    suite.clock.now = Date.UTC(2026, 11, 1, 12, 0, 0);
    suite.fx = { server: suite.server, clock: suite.clock, tmp: await makeTmpHome({ createStateDir: true }), clients: [] };
  });
  afterEach(async () => {
    await Promise.all(suite.fx.clients.splice(0).map((c) => c.authResolver.close()));
    suite.server.reset();
    await suite.fx.tmp.cleanup();
  });
  return suite;
}
