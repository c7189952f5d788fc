import { chmod, chown, lstat, mkdir, readFile, readdir, readlink, rename, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClaudeCliSource } from "../../src/credentials/claude-cli/login.js";
import { loadConfig } from "../../src/config/load.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { REFRESH_JOURNAL_SUFFIX } from "../../src/store/refresh-journal.js";
import { saveApiKey } from "../../src/writers/save.js";
import { fakeAccessToken, startFakeTokenServer, type FakeTokenServer } from "../helpers/fake-token-server.js";
import { createSecondUser, type SecondUser } from "../helpers/second-user.js";
import { makeTempDir, NOW, storePathIn, writeJsonPrivate } from "./support.js";

const KEY = `sk-ant-api03-${"HijackTestKey0".repeat(6)}AAkeya`;
const ROOT_KEY = `sk-ant-api03-${"RootsOwnKey000".repeat(6)}AArkey`;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir("auth-profiles-hijack-"));
});
afterEach(() => cleanup());

function apiKeyStore(key = KEY): Record<string, unknown> {
  return { version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key } } };
}

function resolverAt(stateDir: string, extra: Parameters<typeof createAuthResolver>[0] = {}): ReturnType<typeof createAuthResolver> {
  return createAuthResolver({ stateDir, configPath: false, env: {}, claudeCli: false, now: () => NOW, ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

/** Every file under `root` whose content contains `needle`. */
async function filesContaining(root: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path, "utf8")).includes(needle)) found.push(path);
  }
  return found;
}

describe("directories other users can write to", () => {
  it("refuses a store in a sticky world-writable (/tmp-like) directory with FILE_UNSAFE naming it and the fix", async () => {
    const shared = join(dir, "shared");
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const path = join(shared, "auth-profiles.json");
    await writeJsonPrivate(path, apiKeyStore());
    const error = await rejection(createFileProfileStore({ path }).read());
    expect(error).toMatchObject({ code: "FILE_UNSAFE", details: { file: path, directory: shared, mode: "01777", reason: "directory" } });
    expect(error["message"]).toContain(shared);
    expect(error["hint"]).toContain(`chmod 700 ${shared}`);
    await expect(createFileProfileStore({ path, allowUnsafePermissions: true }).read()).resolves.toMatchObject({ profiles: { "anthropic:a": { key: KEY } } });
  });

  it("refuses a group-writable agent directory for resolve() and for a writer, which writes nothing there", async () => {
    const stateDir = join(dir, "state");
    const agentDir = join(stateDir, "agents", "main", "agent");
    await mkdir(agentDir, { recursive: true, mode: 0o700 });
    await chmod(agentDir, 0o770);
    await expect(resolverAt(stateDir).resolve()).rejects.toMatchObject({ code: "FILE_UNSAFE", details: { directory: agentDir, reason: "directory" } });
    await expect(saveApiKey({ stateDir, configPath: false, env: {}, key: ROOT_KEY })).rejects.toMatchObject({ code: "FILE_UNSAFE" });
    expect(await filesContaining(dir, ROOT_KEY.slice(-20))).toEqual([]);
  });
});

describe("a symbolic link swapped in place of the store during a slow OAuth refresh", () => {
  let server: FakeTokenServer;
  beforeEach(async () => {
    server = await startFakeTokenServer();
  });
  afterEach(() => server.close());

  it("never writes the rotated tokens through the link: its target stays byte for byte", async () => {
    const stateDir = join(dir, "state");
    const path = storePathIn(stateDir);
    await mkdir(join(stateDir, "agents", "main", "agent"), { recursive: true, mode: 0o700 });
    const access = fakeAccessToken();
    await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access, refresh: server.issueRefreshToken(), expires: NOW - 1 } } });
    const bait = join(dir, "attacker-owned.json");
    await writeFile(bait, "{}\n");
    server.setDefault({ kind: "ok", delayMs: 1_500 });

    const resolver = resolverAt(stateDir, { oauth: { tokenUrl: server.url, timeoutMs: 20_000 }, fetch });
    const outcome = resolver.resolve().then(
      (auth) => ({ ok: true as const, secret: auth.secret }),
      (error: unknown) => ({ ok: false as const, code: (error as { code?: string }).code }),
    );
    // While the token request is in flight (under the store lock), the store becomes a link.
    while (server.count === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await symlink(bait, `${path}.swap`);
    await rename(`${path}.swap`, path);
    const result = await outcome;
    await resolver.close();

    expect(await readFile(bait, "utf8")).toBe("{}\n");
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect(await readlink(path)).toBe(bait);
    // The update re-read the store before committing and refused the link; the rotated pair is
    // served from memory (and kept in the refresh journal), never written through the link.
    expect(result).toMatchObject({ ok: true });
  });
});

describe("a symbolic link planted at the refresh journal", () => {
  let server: FakeTokenServer;
  beforeEach(async () => {
    server = await startFakeTokenServer();
  });
  afterEach(() => server.close());

  it("never receives the rotated tokens: the append refuses the link", async () => {
    const stateDir = join(dir, "state");
    const path = storePathIn(stateDir);
    await mkdir(join(stateDir, "agents", "main", "agent"), { recursive: true, mode: 0o700 });
    await writeJsonPrivate(path, { version: 1, profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh: server.issueRefreshToken(), expires: NOW - 1 } } });
    const bait = join(dir, "attacker-owned.log");
    await writeFile(bait, "");
    await symlink(bait, `${path}${REFRESH_JOURNAL_SUFFIX}`);
    const resolver = resolverAt(stateDir, { oauth: { tokenUrl: server.url, timeoutMs: 20_000 }, fetch });
    await resolver.resolve().catch(() => undefined);
    await resolver.close();
    expect(server.count).toBe(1);
    expect(await readFile(bait, "utf8")).toBe("");
  });
});

describe("a symlinked agent directory", () => {
  it("is used when the link and its target are private, and the store lands in the target", async () => {
    const stateDir = join(dir, "state");
    const real = join(dir, "real-agent");
    await mkdir(real, { mode: 0o700 });
    await mkdir(join(stateDir, "agents", "main"), { recursive: true, mode: 0o700 });
    await symlink(real, join(stateDir, "agents", "main", "agent"));
    await saveApiKey({ stateDir, configPath: false, env: {}, key: ROOT_KEY });
    expect((await stat(join(real, "auth-profiles.json"))).mode & 0o777).toBe(0o600);
    expect((await resolverAt(stateDir).resolve()).secret).toBe(ROOT_KEY);
  });

  it("is refused with a message naming the link and its target when the target is writable by others", async () => {
    const stateDir = join(dir, "state");
    const real = join(dir, "real-agent");
    await mkdir(real);
    await chmod(real, 0o777);
    const link = join(stateDir, "agents", "main", "agent");
    await mkdir(join(stateDir, "agents", "main"), { recursive: true, mode: 0o700 });
    await symlink(real, link);
    const error = await rejection(resolverAt(stateDir).resolve());
    expect(error).toMatchObject({ code: "FILE_UNSAFE", details: { directory: real, link, reason: "directory" } });
    expect(error["message"]).toBe(`The directory ${link} of ${join(link, "auth-profiles.json")} is a symbolic link to ${real}, which is writable by every user (mode 0777), so another user could replace the file.`);
  });
});

describe("files and directories owned by another OS user", () => {
  let other: SecondUser | undefined;
  let skipReason = "";
  beforeAll(async () => {
    const created = await createSecondUser();
    if (typeof created === "string") {
      skipReason = created;
      console.warn(`file-hijack: second-user tests skipped: ${created}`);
    } else {
      other = created;
    }
  });
  afterAll(() => other?.remove());

  function user(): SecondUser | null {
    if (other === undefined) console.warn(`skipped: ${skipReason}`);
    return other ?? null;
  }

  it("refuses a store file owned by another user, names the owner and the chown, and never rewrites it", async (context) => {
    const u = user();
    if (u === null) return context.skip();
    const stateDir = join(dir, "state");
    const path = storePathIn(stateDir);
    await mkdir(join(stateDir, "agents", "main", "agent"), { recursive: true, mode: 0o700 });
    await writeJsonPrivate(path, apiKeyStore());
    await chown(path, u.uid, u.gid);
    const before = await readFile(path, "utf8");
    const resolver = resolverAt(stateDir);
    const error = await rejection(resolver.resolve());
    expect(error).toMatchObject({ code: "FILE_UNSAFE", details: { file: path, owner: u.uid, uid: 0, reason: "owner" } });
    expect(error["hint"]).toContain(`chown root ${path}`);
    await expect(resolver.reportFailure("anthropic:a", { status: 429 })).rejects.toMatchObject({ code: "FILE_UNSAFE" });
    expect(await readFile(path, "utf8")).toBe(before);
    expect((await stat(path)).uid).toBe(u.uid);
  });

  it("never hands root's keys to a user who pre-created the agent directory", async (context) => {
    const u = user();
    if (u === null) return context.skip();
    const stateDir = join(dir, "state");
    const agentDir = join(stateDir, "agents", "main", "agent");
    await mkdir(agentDir, { recursive: true, mode: 0o700 });
    await chown(agentDir, u.uid, u.gid);
    const error = await rejection(saveApiKey({ stateDir, configPath: false, env: {}, key: ROOT_KEY }));
    expect(error).toMatchObject({ code: "FILE_UNSAFE", details: { directory: agentDir, owner: u.uid, reason: "directory-owner" } });
    expect(await readdir(agentDir)).toEqual([]);
    expect(await filesContaining(dir, ROOT_KEY.slice(-20))).toEqual([]);
  });

  it("writes a file owned by the writing user (never the old file's owner) when unsafe permissions are allowed", async (context) => {
    const u = user();
    if (u === null) return context.skip();
    const path = join(dir, "auth-profiles.json");
    await writeJsonPrivate(path, apiKeyStore());
    await chown(path, u.uid, u.gid);
    const store = createFileProfileStore({ path, allowUnsafePermissions: true });
    await store.update((current) => ({ data: { ...current, touched: true }, result: undefined }));
    const after = await stat(path);
    expect([after.uid, after.mode & 0o777]).toEqual([0, 0o600]);
  });

  it("refuses Claude Code's credentials file owned by another user", async (context) => {
    const u = user();
    if (u === null) return context.skip();
    const configDir = join(dir, "claude");
    await mkdir(configDir, { mode: 0o700 });
    const file = join(configDir, ".credentials.json");
    await writeJsonPrivate(file, { claudeAiOauth: { accessToken: fakeAccessToken(), refreshToken: null, expiresAt: NOW + 3_600_000 } });
    await chown(file, u.uid, u.gid);
    const source = createClaudeCliSource({ credentialsPath: file, keychain: false, now: () => NOW, watch: false });
    await expect(source.read()).rejects.toMatchObject({ code: "FILE_UNSAFE", details: { file, owner: u.uid, reason: "owner" } });
    const allowed = createClaudeCliSource({ credentialsPath: file, keychain: false, now: () => NOW, watch: false, allowUnsafePermissions: true });
    await expect(allowed.read()).resolves.toMatchObject({ mode: "token" });
  });

  it("refuses a config that holds a secret when another user owns it, and reads one without secrets", async (context) => {
    const u = user();
    if (u === null) return context.skip();
    const path = join(dir, "openclaw.json");
    await writeFile(path, JSON.stringify({ env: { ANTHROPIC_API_KEY: KEY } }), { mode: 0o600 });
    await chown(path, u.uid, u.gid);
    await expect(loadConfig({ path })).rejects.toMatchObject({ code: "FILE_UNSAFE", details: { file: path, reason: "owner" } });
    await expect(loadConfig({ path, allowUnsafePermissions: true })).resolves.toMatchObject({ env: { ANTHROPIC_API_KEY: KEY } });
    await writeFile(path, JSON.stringify({ env: { ANTHROPIC_API_KEY: "${MY_KEY}" } }));
    await expect(loadConfig({ path, env: { MY_KEY: KEY } })).resolves.toMatchObject({ env: { ANTHROPIC_API_KEY: KEY } });
  });
});
