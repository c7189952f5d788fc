import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnthropicClient } from "../../src/anthropic/client.js";
import { AuthProfilesError, isAuthProfilesError } from "../../src/model/errors.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { serializeStore } from "../../src/store/format.js";
import { SecretRefResolution } from "../../src/resolver/secret-refs.js";
import { saveApiKey } from "../../src/writers/save.js";
import { eventually } from "../helpers/eventually.js";
import { startFakeAnthropic, type FakeAnthropic } from "../helpers/fake-anthropic.js";
import { makeResolverFixture, type ResolverFixture } from "./support.js";

const ENV_KEY = "sk-ant-api03-ENVREF-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeE111";
const FILE_KEY = "sk-ant-api03-FILEREF-ffffffffffffffffffffffffffffffffffffF222";
const EXEC_TOKEN = `sk-ant-oat01-EXECREF-${"x".repeat(80)}X333`;
const PLAIN_KEY = "sk-ant-api03-PLAIN-ppppppppppppppppppppppppppppppppppppppP444";
const SECRETS = [ENV_KEY, FILE_KEY, EXEC_TOKEN];

let f: ResolverFixture;
let server: FakeAnthropic;
beforeAll(async () => {
  server = await startFakeAnthropic();
});
afterAll(() => server.close());
beforeEach(async () => {
  f = await makeResolverFixture();
  server.reset();
});
afterEach(() => f.cleanup());

const envRef = (id: string) => ({ source: "env", provider: "default", id });

/** A secrets file for a `file` provider (mode 0600 unless told) in a 0700 dir of the temp home. */
async function secretsFile(content: string, mode = 0o600): Promise<string> {
  const dir = join(f.home, "secrets");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, "secrets.json");
  await writeFile(path, content, { mode });
  await chmod(path, mode);
  return path;
}

/**
 * A real resolver command speaking OpenClaw's exec protocol: it appends one line per run to
 * `runs.log` and answers with the token for id `anthropic/token`.
 */
async function execCommand(): Promise<{ readonly command: string; readonly runs: () => Promise<number> }> {
  const dir = join(f.home, "bin");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const command = join(dir, "resolver.mjs");
  const log = join(dir, "runs.log");
  const script = `#!${process.execPath}
import { appendFileSync } from "node:fs";
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  appendFileSync(${JSON.stringify(log)}, "run\\n");
  const request = JSON.parse(input);
  const values = {};
  for (const id of request.ids) if (id === "anthropic/token") values[id] = ${JSON.stringify(EXEC_TOKEN)};
  process.stdout.write(JSON.stringify({ protocolVersion: 1, values }));
});
`;
  await writeFile(command, script, { mode: 0o700 });
  return {
    command,
    runs: async () => (await readFile(log, "utf8").catch(() => "")).split("\n").filter((line) => line === "run").length,
  };
}

/** Every output a caller can see must be free of the full values. */
function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe("env references", () => {
  it("selects a keyRef profile and sends the variable's value through the real SDK; the store keeps the reference", async () => {
    const stored = { version: 1, profiles: { "anthropic:ref": { type: "api_key", provider: "anthropic", keyRef: envRef("ANTHROPIC_WORK_KEY") } } };
    await f.writeStore(stored);
    const before = await readFile(f.storePath(), "utf8");
    const resolver = f.resolver({ env: { ANTHROPIC_WORK_KEY: ENV_KEY } });
    const anthropic = createAnthropicClient({ resolver, clientOptions: { baseURL: server.url, maxRetries: 0 } });
    await anthropic.messages.create({ model: "claude-sonnet-4-6", max_tokens: 16, messages: [{ role: "user", content: "Hi" }] });
    expect(server.requests.map((r) => [r.scheme, r.credential])).toEqual([["x-api-key", ENV_KEY]]);

    const auth = await resolver.resolve();
    expect(auth).toMatchObject({ profileId: "anthropic:ref", mode: "api_key", source: "store" });
    expect(auth.headers["x-api-key"]).toBe(ENV_KEY);
    // The success and a failure are written: the entry stays the reference, byte for byte.
    await resolver.reportFailure("anthropic:ref", { status: 429 });
    await resolver.flush();
    const after = await readFile(f.storePath(), "utf8");
    expect(after).not.toBe(before);
    expect(JSON.parse(after).profiles).toEqual(stored.profiles);
    expectNoSecret(after);
  });

  it("writes a reference profile's successes like any other's: lastUsed and lastGood, which OpenClaw's round-robin reads", async () => {
    await f.writeStore({ version: 1, profiles: { "anthropic:ref": { type: "api_key", provider: "anthropic", keyRef: envRef("ANTHROPIC_WORK_KEY") } } });
    const resolver = f.resolver({ env: { ANTHROPIC_WORK_KEY: ENV_KEY } });
    const auth = await resolver.resolve();
    expect(auth.profileId).toBe("anthropic:ref");
    await resolver.reportSuccess("anthropic:ref");
    await resolver.flush();
    const written = await f.readStore();
    expect(written.usageStats?.["anthropic:ref"]?.lastUsed).toBe(f.clock.now);
    expect(written.lastGood).toEqual({ anthropic: "anthropic:ref" });
    expect(written.profiles["anthropic:ref"]).toEqual({ type: "api_key", provider: "anthropic", keyRef: envRef("ANTHROPIC_WORK_KEY") });
    expectNoSecret(JSON.stringify(written));
  });

  it("takes the ref over a plain key beside it, as OpenClaw does, and a ref object written in `key` itself", async () => {
    await f.writeStore({
      version: 1,
      order: { anthropic: ["anthropic:both", "anthropic:inline"] },
      profiles: {
        "anthropic:both": { type: "api_key", provider: "anthropic", key: PLAIN_KEY, keyRef: envRef("BOTH_KEY") },
        "anthropic:inline": { type: "token", provider: "anthropic", token: envRef("INLINE_TOKEN") },
      },
    });
    const resolver = f.resolver({ env: { BOTH_KEY: ENV_KEY, INLINE_TOKEN: EXEC_TOKEN } });
    expect((await resolver.resolve({ profileId: "anthropic:both" })).secret).toBe(ENV_KEY);
    const inline = await resolver.resolve({ profileId: "anthropic:inline" });
    expect(inline).toMatchObject({ mode: "token", secret: EXEC_TOKEN });
  });

  it("a missing variable makes only that profile unusable: failover moves on and status shows the reason", async () => {
    await f.writeStore({
      version: 1,
      order: { anthropic: ["anthropic:ref", "anthropic:plain"] },
      profiles: {
        "anthropic:ref": { type: "api_key", provider: "anthropic", keyRef: envRef("NOT_SET_KEY") },
        "anthropic:plain": { type: "api_key", provider: "anthropic", key: PLAIN_KEY },
      },
    });
    const resolver = f.resolver();
    expect((await resolver.resolve()).profileId).toBe("anthropic:plain");
    const status = await resolver.status();
    const row = status.auth.providers.find((p) => p.provider === "anthropic")?.entries.find((r) => r.profileId === "anthropic:ref");
    expect(row).toMatchObject({ state: "excluded" });
    expect(row?.detail).toContain('profiles["anthropic:ref"].keyRef');
    expect(row?.detail).toContain("NOT_SET_KEY is missing or empty");
    const error = await resolver.resolve({ profileId: "anthropic:ref" }).catch((e: unknown) => e);
    expect(isAuthProfilesError(error, "SECRET_REF_UNRESOLVED")).toBe(true);
    expect((error as { details: unknown }).details).toMatchObject({ file: f.storePath(), jsonPath: 'profiles["anthropic:ref"].keyRef', reason: "env_missing", ref: "env:default:NOT_SET_KEY" });
  });

  it("an env alias other than the default one must be configured, with its allowlist honoured", async () => {
    await f.writeStore({ version: 1, profiles: { "anthropic:ref": { type: "api_key", provider: "anthropic", keyRef: { source: "env", provider: "vault-env", id: "WORK_KEY" } } } });
    const env = { WORK_KEY: ENV_KEY };
    const unconfigured = await f.resolver({ env }).resolve().catch((e: unknown) => e);
    expect(unconfigured).toMatchObject({ code: "SECRET_REF_UNRESOLVED", details: { reason: "provider_not_configured" } });
    const denied = await f.resolver({ env, config: { secrets: { providers: { "vault-env": { source: "env", allowlist: ["OTHER"] } } } } }).resolve().catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: "SECRET_REF_UNRESOLVED", details: { reason: "not_allowlisted" } });
    const allowed = await f.resolver({ env, config: { secrets: { providers: { "vault-env": { source: "env", allowlist: ["WORK_KEY"] } } } } }).resolve();
    expect(allowed.secret).toBe(ENV_KEY);
  });
});

describe("file references", () => {
  const fileStore = { version: 1, profiles: { "anthropic:file": { type: "api_key", provider: "anthropic", keyRef: { source: "file", provider: "filemain", id: "/providers/anthropic/apiKey" } } } };
  const config = (path: string, extra: Record<string, unknown> = {}) => ({ secrets: { providers: { filemain: { source: "file", path, ...extra } } } });

  it("reads a JSON pointer from a private secrets file, and a singleValue file", async () => {
    const path = await secretsFile(JSON.stringify({ providers: { anthropic: { apiKey: FILE_KEY } } }));
    await f.writeStore(fileStore);
    expect((await f.resolver({ config: config(path) }).resolve()).secret).toBe(FILE_KEY);

    await writeFile(path, `${FILE_KEY}\n`);
    await f.writeStore({ version: 1, profiles: { "anthropic:file": { type: "api_key", provider: "anthropic", keyRef: { source: "file", provider: "filemain", id: "value" } } } });
    expect((await f.resolver({ config: config(path, { mode: "singleValue" }) }).resolve()).secret).toBe(FILE_KEY);
  });

  it("refuses a secrets file other users can read, with the typed error naming the file, the JSON path and the fix", async () => {
    const path = await secretsFile(JSON.stringify({ providers: { anthropic: { apiKey: FILE_KEY } } }), 0o644);
    await f.writeStore(fileStore);
    const resolver = f.resolver({ config: config(path) });
    const error = await resolver.resolve().catch((e: unknown) => e);
    expect(isAuthProfilesError(error, "SECRET_REF_UNRESOLVED")).toBe(true);
    const e = error as { message: string; hint: string; details: Record<string, unknown> };
    expect(e.details).toMatchObject({ file: f.storePath(), jsonPath: 'profiles["anthropic:file"].keyRef', reason: "file_unsafe", secretFile: path });
    expect(e.message).toContain(path);
    expect(e.message).toContain("0644");
    expect(e.hint).toContain(`chmod 600 ${path}`);
    const status = await resolver.status();
    expect(formatAuthStatus(status)).toContain("0644");
    expectNoSecret(`${e.message} ${e.hint} ${JSON.stringify(error)} ${inspect(error)} ${JSON.stringify(status)} ${formatAuthStatus(status)}`);
  });

  it("refuses a symbolic link at the secrets file", async () => {
    const real = await secretsFile(JSON.stringify({ providers: { anthropic: { apiKey: FILE_KEY } } }));
    const link = join(f.home, "secrets", "link.json");
    await symlink(real, link);
    await f.writeStore(fileStore);
    const error = await f.resolver({ config: config(link) }).resolve().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SECRET_REF_UNRESOLVED", details: { reason: "file_unsafe", secretFile: link } });
    expect((error as Error).message).toContain("symbolic link");
  });

  it("names a missing pointer and an unconfigured provider without reading anything else", async () => {
    const path = await secretsFile(JSON.stringify({ providers: {} }));
    await f.writeStore(fileStore);
    expect(await f.resolver({ config: config(path) }).resolve().catch((e: unknown) => e)).toMatchObject({ details: { reason: "not_found" } });
    expect(await f.resolver().resolve().catch((e: unknown) => e)).toMatchObject({ details: { reason: "provider_not_configured" } });
  });
});

describe("exec references", () => {
  const execStore = { version: 1, profiles: { "anthropic:exec": { type: "token", provider: "anthropic", tokenRef: { source: "exec", provider: "vault", id: "anthropic/token" } } } };
  const config = (command: string) => ({ secrets: { providers: { vault: { source: "exec", command } } } });

  it("never runs the command without the caller's opt-in", async () => {
    const { command, runs } = await execCommand();
    await f.writeStore(execStore);
    const error = await f.resolver({ config: config(command) }).resolve().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SECRET_REF_UNRESOLVED", details: { reason: "exec_not_allowed" } });
    expect((error as { hint: string }).hint).toContain("allowExec");
    const listed = await f.resolver({ config: config(command), secretRefs: { allowExec: ["/usr/bin/other"] } }).resolve().catch((e: unknown) => e);
    expect(listed).toMatchObject({ details: { reason: "exec_not_allowed" } });
    expect(await runs()).toBe(0);
  });

  it("runs an allowed command once per store version, not on warm resolves or after its own writes", async () => {
    const { command, runs } = await execCommand();
    await f.writeStore(execStore);
    const resolver = f.resolver({ config: config(command), secretRefs: { allowExec: [command] } });
    const auth = await resolver.resolve();
    expect(auth).toMatchObject({ profileId: "anthropic:exec", mode: "token", secret: EXEC_TOKEN });
    for (let i = 0; i < 5; i += 1) await resolver.resolve();
    await resolver.reportSuccess("anthropic:exec");
    await resolver.reportFailure("anthropic:exec", { status: 500 });
    await resolver.flush();
    await resolver.clearCooldown("anthropic:exec");
    expect((await resolver.resolve()).secret).toBe(EXEC_TOKEN);
    expect(await runs()).toBe(1);
    const written = await readFile(f.storePath(), "utf8");
    expect(JSON.parse(written).profiles).toEqual(execStore.profiles);
    expectNoSecret(written);

    // Another process rewrites the store: the reference is read again.
    const other = JSON.parse(written) as Record<string, unknown>;
    await writeFile(f.storePath(), `${JSON.stringify({ ...other, lastGood: { anthropic: "anthropic:exec" } }, null, 2)}\n`);
    expect(await eventually(async () => (await resolver.resolve(), (await runs()) === 2), 50)).toBe(true);
  });

  it("refuses a command other users can change, and reports a command that fails without its output", async () => {
    const { command } = await execCommand();
    await f.writeStore(execStore);
    await chmod(command, 0o777);
    const open = await f.resolver({ config: config(command), secretRefs: { allowExec: true } }).resolve().catch((e: unknown) => e);
    expect(open).toMatchObject({ details: { reason: "command_unsafe" } });
    await chmod(command, 0o700);
    await writeFile(command, `#!${process.execPath}\nprocess.stdout.write(${JSON.stringify(EXEC_TOKEN)}); process.exit(3);\n`);
    const failed = await f.resolver({ config: config(command), secretRefs: { allowExec: true } }).resolve().catch((e: unknown) => e);
    expect(failed).toMatchObject({ details: { reason: "exec_failed" } });
    expect((failed as Error).message).toContain("exited with code 3");
    expectNoSecret(`${JSON.stringify(failed)} ${inspect(failed)}`);
  });
});

describe("exec limits", () => {
  const execStore = { version: 1, profiles: { "anthropic:exec": { type: "token", provider: "anthropic", tokenRef: { source: "exec", provider: "vault", id: "anthropic/token" } } } };

  async function command(body: string): Promise<string> {
    const dir = join(f.home, "bin");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, "limits.mjs");
    await writeFile(path, `#!${process.execPath}\n${body}\n`, { mode: 0o700 });
    return path;
  }

  it("kills a command that does not finish within the provider's timeoutMs", async () => {
    const path = await command("setInterval(() => undefined, 1000);");
    await f.writeStore(execStore);
    const config = { secrets: { providers: { vault: { source: "exec", command: path, timeoutMs: 300 } } } };
    const error = await f.resolver({ config, secretRefs: { allowExec: true } }).resolve().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SECRET_REF_UNRESOLVED", details: { reason: "exec_failed" } });
    expect((error as Error).message).toContain("did not finish within 300 ms");
  });

  it("stops reading a command whose output passes maxOutputBytes, and never shows the output", async () => {
    const path = await command(`process.stdout.write(${JSON.stringify(EXEC_TOKEN)}.repeat(100));`);
    await f.writeStore(execStore);
    const config = { secrets: { providers: { vault: { source: "exec", command: path, maxOutputBytes: 1024 } } } };
    const error = await f.resolver({ config, secretRefs: { allowExec: true } }).resolve().catch((e: unknown) => e);
    expect(error).toMatchObject({ details: { reason: "exec_failed" } });
    expect((error as Error).message).toContain("exceeded 1024 bytes");
    expectNoSecret(`${JSON.stringify(error)} ${inspect(error)}`);
  });

  it("takes plain stdout as the value only with jsonOnly: false", async () => {
    const path = await command(`process.stdin.resume(); process.stdin.on("end", () => process.stdout.write(${JSON.stringify(`${EXEC_TOKEN}
`)}));`);
    await f.writeStore(execStore);
    const provider = { source: "exec", command: path };
    const strict = await f.resolver({ config: { secrets: { providers: { vault: provider } } }, secretRefs: { allowExec: true } }).resolve().catch((e: unknown) => e);
    expect((strict as Error).message).toContain("did not print JSON");
    expectNoSecret(`${JSON.stringify(strict)} ${inspect(strict)}`);
    const plain = await f.resolver({ config: { secrets: { providers: { vault: { ...provider, jsonOnly: false } } } }, secretRefs: { allowExec: true } }).resolve();
    expect(plain.secret).toBe(EXEC_TOKEN);
  });
});

describe("resolved values stay in memory", () => {
  it("are masked wherever they come back, whatever their shape (a proxy key echoed by an upstream error)", async () => {
    const proxyKey = "corp-proxy-ENVREF-abcdefghijklmnopqrstuvwx";
    await f.writeStore({ version: 1, profiles: { "anthropic:proxy": { type: "api_key", provider: "anthropic", keyRef: envRef("PROXY_KEY") } } });
    const resolver = f.resolver({ env: { PROXY_KEY: proxyKey } });
    expect((await resolver.resolve()).secret).toBe(proxyKey);
    const echoed = new AuthProfilesError("STORE_IO", `upstream said: invalid key ${proxyKey}`, { details: { body: `key=${proxyKey}` } });
    for (const text of [echoed.message, JSON.stringify(echoed), inspect(echoed)]) expect(text).not.toContain(proxyKey);
  });

  it("never reach the store file, a writer's rewrite, status, errors, or JSON / inspect of the resolver and its results", async () => {
    const path = await secretsFile(JSON.stringify({ providers: { anthropic: { apiKey: FILE_KEY } } }));
    const { command } = await execCommand();
    const stored = {
      version: 1,
      order: { anthropic: ["anthropic:env", "anthropic:file", "anthropic:exec"] },
      profiles: {
        "anthropic:env": { type: "api_key", provider: "anthropic", keyRef: envRef("HUNT_KEY") },
        "anthropic:file": { type: "api_key", provider: "anthropic", keyRef: { source: "file", provider: "filemain", id: "/providers/anthropic/apiKey" } },
        "anthropic:exec": { type: "token", provider: "anthropic", tokenRef: { source: "exec", provider: "vault", id: "anthropic/token" } },
      },
    };
    await f.writeStore(stored);
    const config = { secrets: { providers: { filemain: { source: "file", path }, vault: { source: "exec", command } } } };
    const resolver = f.resolver({ env: { HUNT_KEY: ENV_KEY }, config, secretRefs: { allowExec: true }, halfOpen: false });
    const seen: unknown[] = [];
    for (const profileId of ["anthropic:env", "anthropic:file", "anthropic:exec"]) {
      const auth = await resolver.resolve({ profileId });
      seen.push(auth);
      expect(SECRETS).toContain(auth.secret);
      await resolver.reportFailure(profileId, { status: 429 });
    }
    await resolver.flush();
    const status = await resolver.status();
    const error = await resolver.resolve().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NO_AVAILABLE_PROFILE" });

    await saveApiKey({ key: PLAIN_KEY, profileId: "anthropic:plain", stateDir: f.stateDir, homeDir: f.home, env: {}, configPath: false });
    const file = await readFile(f.storePath(), "utf8");
    expect(JSON.parse(file).profiles).toEqual({ ...stored.profiles, "anthropic:plain": { type: "api_key", provider: "anthropic", key: PLAIN_KEY } });
    const rows = status.auth.providers.find((p) => p.provider === "anthropic")?.entries ?? [];
    expect(rows.map((r) => r.masked)).toEqual(expect.arrayContaining(["keyRef:env:default:HUNT_KEY", "tokenRef:exec:vault:anthropic/token"]));

    const outputs = [file, JSON.stringify(status), formatAuthStatus(status), JSON.stringify(error), inspect(error, { depth: 10 }), inspect(resolver, { depth: 10 }), JSON.stringify(resolver), ...seen.map((a) => `${JSON.stringify(a)} ${inspect(a, { depth: 10 })}`)];
    for (const text of outputs) expectNoSecret(text);
  });

  it("a view handed to a store update writes the reference, not the value", async () => {
    const stored = { version: 1, profiles: { "anthropic:env": { type: "api_key", provider: "anthropic", keyRef: envRef("HUNT_KEY") } } };
    await f.writeStore(stored);
    const store = createFileProfileStore({ path: f.storePath() });
    const refs = new SecretRefResolution({ storeFile: store.path });
    const view = await refs.apply(await store.read(), {}, { HUNT_KEY: ENV_KEY });
    expect((view.profiles["anthropic:env"] as { key?: string }).key).toBe(ENV_KEY);
    expectNoSecret(`${JSON.stringify(view)} ${inspect(view, { depth: 10 })} ${serializeStore(view)}`);
    expect(JSON.parse(serializeStore(view)).profiles).toEqual(stored.profiles);
    // A mutator that spreads the view (or returns it) still writes the stored form.
    await store.update(() => ({ data: { ...view, profiles: { ...view.profiles } }, result: undefined }));
    const file = await readFile(f.storePath(), "utf8");
    expect(JSON.parse(file).profiles).toEqual(stored.profiles);
    expectNoSecret(file);
    await store.close?.();
  });
});
