import { createCipheriv, randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisProfileStore, type RedisProfileStore, type RedisStoreEncryption } from "../../src/redis.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import type { StoreData } from "../../src/model/store.js";
import { startRedisServer, type RedisServer } from "../helpers/redis-server.js";

const API_KEY = "sk-ant-api03-cryptocryptocryptocryptocrypto-KEY1";
const SETUP_TOKEN = "sk-ant-oat01-setuptokensetuptokensetuptokensetup-TOK1";
const ACCESS = "sk-ant-oat01-accessaccessaccessaccessaccessacc-ACC1";
const REFRESH = "sk-ant-ort01-refreshrefreshrefreshrefreshrefres-REF1";
const SECRETS = [API_KEY, SETUP_TOKEN, ACCESS, REFRESH];

const PROFILES: StoreData = {
  version: 1,
  profiles: {
    "anthropic:default": { type: "api_key", provider: "anthropic", key: API_KEY },
    "anthropic:manual": { type: "token", provider: "anthropic", token: SETUP_TOKEN, expires: 0 },
    "anthropic:work": { type: "oauth", provider: "anthropic", access: ACCESS, refresh: REFRESH, expires: 1_900_000_000_000, email: "a@example.com" },
  },
};

const K1 = randomBytes(32);
const K2 = randomBytes(32);

let server: RedisServer;
let admin: Redis;
let prefixes = 0;

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  admin.disconnect();
  await server.dispose();
});

describe(createRedisProfileStore.name, () => {
  const stores: RedisProfileStore[] = [];
  let keyPrefix = "";
  const open = (encryption?: RedisStoreEncryption, agentId = "main", prefix = keyPrefix): RedisProfileStore => {
    const store = createRedisProfileStore({ url: server.url, keyPrefix: prefix, agentId, ...(encryption === undefined ? {} : { encryption }) });
    stores.push(store);
    return store;
  };
  const stored = async (agentId = "main", prefix = keyPrefix): Promise<{ readonly text: string; readonly json: { profiles: Record<string, Record<string, unknown>> } }> => {
    const text = (await admin.hget(`${prefix}${agentId}:store`, "data")) ?? "";
    return { text, json: JSON.parse(text) as { profiles: Record<string, Record<string, unknown>> } };
  };
  const K1_ONLY: RedisStoreEncryption = { keys: { k1: K1 }, currentKeyId: "k1" };
  const save = (store: RedisProfileStore, data: StoreData = PROFILES): Promise<unknown> => store.update(() => ({ data, result: null }));

  beforeEach(() => {
    keyPrefix = `crypto${(prefixes += 1)}:`;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it("stores credential fields encrypted and reads them back in plain text", async () => {
    await save(open({ keys: { k1: K1 }, currentKeyId: "k1" }));
    const { text, json } = await stored();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(json.profiles["anthropic:work"]?.access).toMatchObject({ enc: "aes-256-gcm", kid: "k1" });
    expect(Object.keys(json.profiles["anthropic:work"]?.access as object)).toEqual(["enc", "kid", "iv", "tag", "data", "bind"]);
    expect(json.profiles["anthropic:work"]?.access).toMatchObject({ bind: 2 });
    expect(json.profiles["anthropic:work"]?.email).toBe("a@example.com");
    expect(await open({ keys: { k1: K1 }, currentKeyId: "k1" }).read()).toEqual(PROFILES);
  });

  it("reads values written with an older key and rewrites them with the current one", async () => {
    await save(open({ keys: { k1: K1 }, currentKeyId: "k1" }));
    const rotating = open({ keys: { k1: K1, k2: K2 }, currentKeyId: "k2" });
    expect(await rotating.read()).toEqual(PROFILES);
    await rotating.update((current) => ({ data: current, result: null }));
    const { json } = await stored();
    const kids = Object.values(json.profiles).flatMap((entry) => ["key", "token", "access", "refresh"].flatMap((f) => (entry[f] === undefined ? [] : [(entry[f] as { kid: string }).kid])));
    expect(kids).toEqual(["k2", "k2", "k2", "k2"]);
    expect(await open({ keys: { k2: K2 }, currentKeyId: "k2" }).read()).toEqual(PROFILES);
  });

  it("fails with STORE_DECRYPT naming the key id and profile when the key is unknown", async () => {
    await save(open({ keys: { k1: K1 }, currentKeyId: "k1" }));
    const failure = await open({ keys: { k2: K2 }, currentKeyId: "k2" }).read().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "STORE_DECRYPT", details: { profileId: "anthropic:default", keyId: "k1", field: "key" } });
    expect((failure as Error).message).toContain('"k1"');
    expect((failure as Error).message).toContain('"anthropic:default"');
    await expectNoSecretOrCiphertext(failure);
  });

  it("fails with STORE_DECRYPT when the key under that id is the wrong one", async () => {
    await save(open({ keys: { k1: K1 }, currentKeyId: "k1" }));
    const failure = await open({ keys: { k1: K2 }, currentKeyId: "k1" }).read().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "STORE_DECRYPT", details: { keyId: "k1" } });
    await expectNoSecretOrCiphertext(failure);
  });

  it("fails with STORE_DECRYPT when encrypted values are read without keys", async () => {
    await save(open({ keys: { k1: K1 }, currentKeyId: "k1" }));
    await expect(open().read()).rejects.toMatchObject({ code: "STORE_DECRYPT", details: { keyId: "k1" } });
  });

  it("refuses a ciphertext moved to another profile", async () => {
    await save(open({ keys: { k1: K1 }, currentKeyId: "k1" }));
    const { json } = await stored();
    const moved = { ...json, profiles: { ...json.profiles, "anthropic:manual": { ...json.profiles["anthropic:manual"], token: json.profiles["anthropic:work"]?.access } } };
    await admin.hset(`${keyPrefix}main:store`, "data", JSON.stringify(moved));
    await expect(open({ keys: { k1: K1 }, currentKeyId: "k1" }).read()).rejects.toMatchObject({
      code: "STORE_DECRYPT",
      details: { profileId: "anthropic:manual", field: "token" },
    });
  });

  it("refuses a changed ciphertext", async () => {
    await save(open({ keys: { k1: K1 }, currentKeyId: "k1" }));
    const { json } = await stored();
    const value = json.profiles["anthropic:default"]?.key as { data: string };
    const flipped = Buffer.from(value.data, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const changed = { ...json, profiles: { ...json.profiles, "anthropic:default": { ...json.profiles["anthropic:default"], key: { ...value, data: flipped.toString("base64") } } } };
    await admin.hset(`${keyPrefix}main:store`, "data", JSON.stringify(changed));
    await expect(open({ keys: { k1: K1 }, currentKeyId: "k1" }).read()).rejects.toMatchObject({ code: "STORE_DECRYPT" });
  });

  it("refuses a plain-text credential injected into an encrypted store with STORE_DECRYPT, also through the resolver", async () => {
    await save(open(K1_ONLY));
    const { json } = await stored();
    const injected = "sk-ant-api03-injectedinjectedinjectedinjectedinj-EVIL";
    const attacked = { ...json, order: { anthropic: ["anthropic:evil", "anthropic:default"] }, profiles: { "anthropic:evil": { type: "api_key", provider: "anthropic", key: injected }, ...json.profiles } };
    await admin.hset(`${keyPrefix}main:store`, "data", JSON.stringify(attacked));
    const failure = await open(K1_ONLY).read().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "STORE_DECRYPT", details: { profileId: "anthropic:evil", field: "key" } });
    expect(`${inspect(failure)} ${JSON.stringify(failure)}`).not.toContain(injected);
    const resolver = createAuthResolver({ store: open(K1_ONLY), configPath: false, claudeCli: false, env: {} });
    await expect(resolver.resolve()).rejects.toMatchObject({ code: "STORE_DECRYPT" });
    await resolver.close();
  });

  it("reads plain-text values only with the one-time migration option, and seals them on the next write", async () => {
    await save(open());
    expect((await stored()).text).toContain(API_KEY);
    await expect(open(K1_ONLY).read()).rejects.toMatchObject({ code: "STORE_DECRYPT", details: { profileId: "anthropic:default", field: "key" } });
    const migrating = open({ ...K1_ONLY, migrate: true });
    expect(await migrating.read()).toEqual(PROFILES);
    await migrating.update((current) => ({ data: current, result: null }));
    expect((await stored()).text).not.toContain(API_KEY);
    expect(await open(K1_ONLY).read()).toEqual(PROFILES);
  });

  it("refuses a ciphertext moved to another agent or another key prefix (same profile id and field)", async () => {
    await save(open(K1_ONLY, "main"));
    await save(open(K1_ONLY, "work"));
    const { json: main } = await stored("main");
    const { json: work } = await stored("work");
    const transplanted = { ...work, profiles: { ...work.profiles, "anthropic:default": main.profiles["anthropic:default"] } };
    await admin.hset(`${keyPrefix}work:store`, "data", JSON.stringify(transplanted));
    await expect(open(K1_ONLY, "work").read()).rejects.toMatchObject({ code: "STORE_DECRYPT", details: { profileId: "anthropic:default", field: "key" } });

    const otherPrefix = `${keyPrefix}other:`;
    await admin.hset(`${otherPrefix}main:store`, "data", JSON.stringify(main));
    await expect(open(K1_ONLY, "main", otherPrefix).read()).rejects.toMatchObject({ code: "STORE_DECRYPT" });
    expect(await open(K1_ONLY, "main").read()).toEqual(PROFILES);
  });

  it("reads values sealed under the old binding only with the migration option, and re-seals them", async () => {
    const legacy = (plain: string, profileId: string, field: string): Record<string, unknown> => {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", K1, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(`auth-profiles:${profileId}:${field}`, "utf8"));
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return { enc: "aes-256-gcm", kid: "k1", iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
    };
    const old = { version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: legacy(API_KEY, "anthropic:default", "key") } } };
    await admin.hset(`${keyPrefix}main:store`, { data: JSON.stringify(old), version: "1" });
    const failure = await open(K1_ONLY).read().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "STORE_DECRYPT", details: { profileId: "anthropic:default", field: "key", keyId: "k1" } });
    expect((failure as { hint: string }).hint).toContain("migrate");
    const migrating = open({ ...K1_ONLY, migrate: true });
    await migrating.update((current) => ({ data: current, result: null }));
    expect((await stored()).json.profiles["anthropic:default"]?.key).toMatchObject({ bind: 2 });
    expect((await open(K1_ONLY).read()).profiles["anthropic:default"]).toEqual({ type: "api_key", provider: "anthropic", key: API_KEY });
  });

  it("validates the agent id like the file store (no separators, no dot names)", () => {
    for (const agentId of ["", "../main", "a:b", "a/b", ".hidden", "x".repeat(129), "main\n"]) {
      expect(() => createRedisProfileStore({ url: server.url, keyPrefix, agentId })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    }
  });

  it("rejects keys that are not 32 bytes and an unknown current key id", () => {
    expect(() => open({ keys: { k1: randomBytes(16) }, currentKeyId: "k1" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => open({ keys: { k1: K1 }, currentKeyId: "k9" })).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  async function expectNoSecretOrCiphertext(failure: unknown): Promise<void> {
    const { json } = await stored();
    const ciphertexts = Object.values(json.profiles).flatMap((entry) => Object.values(entry).flatMap((v) => (typeof v === "object" && v !== null && "data" in v ? [String(v.data)] : [])));
    const shown = `${inspect(failure)} ${JSON.stringify(failure)} ${(failure as { hint?: string }).hint ?? ""}`;
    for (const text of [...SECRETS, ...ciphertexts]) expect(shown).not.toContain(text);
  }
});
