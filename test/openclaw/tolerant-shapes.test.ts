import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { saveApiKey } from "../../src/writers/save.js";
import { makeResolverFixture, type ResolverFixture } from "../resolver/support.js";

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/openclaw/tolerant-shapes/${name}`, import.meta.url));
const DEFAULT_KEY = "sk-ant-api03-FIXTURE-defaultxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

let f: ResolverFixture;
beforeEach(async () => {
  f = await makeResolverFixture();
});
afterEach(() => f.cleanup());

async function install(name: string): Promise<string> {
  const path = f.storePath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await copyFile(fixture(name), path);
  await chmod(path, 0o600);
  return readFile(path, "utf8");
}

/** The text of one profile entry as it sits in a 2-space store file. */
function entryText(fileText: string, profileId: string): string {
  const start = fileText.indexOf(`    ${JSON.stringify(profileId)}: {`);
  const end = fileText.indexOf("\n    }", start);
  expect(start).toBeGreaterThan(0);
  return fileText.slice(start, end + 6);
}

describe("a store with entries OpenClaw accepts but this version cannot use", () => {
  it.each(["hand-written-accepted.json", "openclaw-2026.4.12-written.json"])("%s: resolves the usable profile, shows the others with the reason, keeps them byte for byte", async (name) => {
    const before = await install(name);
    const resolver = f.resolver();
    const auth = await resolver.resolve();
    expect(auth).toMatchObject({ profileId: "anthropic:default", secret: DEFAULT_KEY });

    const status = await resolver.status();
    const anthropic = status.auth.providers.find((p) => p.provider === "anthropic");
    const fileRef = anthropic?.entries.find((row) => row.profileId === "anthropic:file-ref");
    expect(fileRef).toMatchObject({ state: "excluded" });
    // Its reference names a file provider the (absent) config does not define.
    expect(fileRef?.detail).toContain('profiles["anthropic:file-ref"].keyRef');
    expect(fileRef?.detail).toContain('no secret provider "filemain" is configured');

    await resolver.reportFailure("anthropic:default", { status: 429 });
    await resolver.flush();
    const after = await readFile(f.storePath(), "utf8");
    const original = JSON.parse(before) as { profiles: Record<string, unknown> };
    for (const id of Object.keys(original.profiles)) expect(entryText(after, id)).toBe(entryText(before, id));
    expect(JSON.parse(after).profiles).toEqual(original.profiles);
    expect(JSON.parse(after).usageStats["anthropic:default"]).toMatchObject({ errorCount: 1, cooldownReason: "rate_limit" });
  });

  it("keeps a hand-edited non-number in another profile's usage stats as written", async () => {
    await install("hand-written-accepted.json");
    const resolver = f.resolver();
    await resolver.reportFailure("anthropic:file-ref", { status: 429 });
    await resolver.flush();
    const after = JSON.parse(await readFile(f.storePath(), "utf8"));
    expect(after.usageStats["anthropic:default"]).toEqual({ errorCount: "2", lastUsed: 1796159322953 });
  });

  it("shows an entry without a type in status with the reason", async () => {
    await install("hand-written-accepted.json");
    const status = await f.resolver().status();
    const legacy = status.auth.providers.find((p) => p.provider === "anthropic")?.entries.find((row) => row.profileId === "anthropic:legacy-token");
    expect(legacy).toMatchObject({ state: "excluded" });
    expect(legacy?.detail).toContain('profiles["anthropic:legacy-token"].type is required');
  });
});

describe("the secret references of OpenClaw's fixtures, with their sources present", () => {
  const OPENAI_KEY = "sk-proj-FIXTURE-from-the-environment-000000000000";
  const FILE_KEY = "sk-ant-api03-FIXTURE-from-the-secrets-file-1111111111";
  const GH_TOKEN = "ghu_FIXTURE-from-the-keychain-command-22222222";

  async function sources(): Promise<{ readonly config: Record<string, unknown>; readonly secrets: string }> {
    const dir = join(f.home, "secrets");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const secrets = join(dir, "secrets.json");
    await writeFile(secrets, JSON.stringify({ providers: { anthropic: { apiKey: FILE_KEY } } }), { mode: 0o600 });
    const command = join(dir, "keychain.mjs");
    const reply = JSON.stringify({ protocolVersion: 1, values: { "gh-token": GH_TOKEN } });
    await writeFile(command, `#!${process.execPath}\nprocess.stdin.resume(); process.stdin.on("end", () => process.stdout.write(${JSON.stringify(reply)}));\n`, { mode: 0o700 });
    return { secrets, config: { secrets: { providers: { filemain: { source: "file", path: secrets }, keychain: { source: "exec", command } } } } };
  }

  it.each(["hand-written-accepted.json", "openclaw-2026.4.12-written.json"])("%s: env, file and (opted-in) exec refs resolve, and the rewrite keeps every entry byte for byte", async (name) => {
    const before = await install(name);
    const { config } = await sources();
    const resolver = f.resolver({ env: { OPENAI_API_KEY: OPENAI_KEY }, config, secretRefs: { allowExec: true } });
    expect(await resolver.resolve({ provider: "openai", profileId: "openai:ref" })).toMatchObject({ mode: "api_key", secret: OPENAI_KEY });
    if (name === "hand-written-accepted.json") expect((await resolver.resolve({ provider: "openai", profileId: "openai:obj" })).secret).toBe(OPENAI_KEY);
    expect(await resolver.resolve({ profileId: "anthropic:file-ref" })).toMatchObject({ mode: "api_key", secret: FILE_KEY });
    expect(await resolver.resolve({ provider: "github-copilot", profileId: "github-copilot:github" })).toMatchObject({ mode: "token", secret: GH_TOKEN });

    await resolver.reportFailure("anthropic:file-ref", { status: 429 });
    await resolver.flush();
    const after = await readFile(f.storePath(), "utf8");
    const original = JSON.parse(before) as { profiles: Record<string, unknown> };
    for (const id of Object.keys(original.profiles)) expect(entryText(after, id)).toBe(entryText(before, id));
    for (const secret of [OPENAI_KEY, FILE_KEY, GH_TOKEN]) expect(after).not.toContain(secret);

    // A writer rewriting the store keeps the reference entries byte for byte too.
    await saveApiKey({ key: "sk-ant-api03-FIXTURE-saved-by-a-writer-33333333333333", profileId: "anthropic:saved", stateDir: f.stateDir, homeDir: f.home, env: {}, configPath: false });
    const saved = await readFile(f.storePath(), "utf8");
    for (const id of Object.keys(original.profiles)) expect(entryText(saved, id)).toBe(entryText(before, id));
    for (const secret of [OPENAI_KEY, FILE_KEY, GH_TOKEN]) expect(saved).not.toContain(secret);
  });

  it("without the opt-in, the exec ref stays unusable with the reason while the others resolve", async () => {
    await install("openclaw-2026.4.12-written.json");
    const { config } = await sources();
    const resolver = f.resolver({ env: { OPENAI_API_KEY: OPENAI_KEY }, config });
    expect((await resolver.resolve({ profileId: "anthropic:file-ref" })).secret).toBe(FILE_KEY);
    const error = await resolver.resolve({ provider: "github-copilot", profileId: "github-copilot:github" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SECRET_REF_UNRESOLVED", details: { reason: "exec_not_allowed", jsonPath: 'profiles["github-copilot:github"].tokenRef' } });
  });
});

describe("an agent id with capitals", () => {
  it("reads the store OpenClaw keeps for it under the lower-cased directory", async () => {
    await f.writeStore({ version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: DEFAULT_KEY } } }, "work");
    const auth = await f.resolver({ agentId: "Work" }).resolve();
    expect(auth).toMatchObject({ profileId: "anthropic:default", secret: DEFAULT_KEY });
  });
});
