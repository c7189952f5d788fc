import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClaudeCliSource } from "../../src/credentials/claude-cli/login.js";
import { loadConfig } from "../../src/config/load.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { saveApiKey } from "../../src/writers/save.js";
import { createSecondUser, type SecondUser } from "../helpers/second-user.js";
import { makeTempDir, NOW, startChild, storePathIn, watchChild, writePrivate } from "./support.js";

const run = promisify(execFile);
/** A generous margin: the child needs about a second to load; a hang never ends. */
const CHILD_EXIT_MARGIN_MS = 60_000;
const DEEP = 100_000;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir("auth-profiles-badfiles-"));
});
afterEach(() => cleanup());

/** Runs open-bad-file.ts and returns its lines; fails (and kills it) if it has not exited in time. */
async function runBounded(args: readonly string[], options: { uid?: number; gid?: number } = {}): Promise<readonly string[]> {
  const child = options.uid === undefined ? startChild("open-bad-file.ts", args) : startChildAs(args, options.uid, options.gid ?? options.uid);
  const watched = watchChild(child);
  watched.child.stdin?.end();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), CHILD_EXIT_MARGIN_MS)));
  const ended = await Promise.race([watched.closed, hung]);
  clearTimeout(timer);
  if (ended === "hung") {
    watched.child.kill("SIGKILL");
    await watched.closed;
    throw new Error(`open-bad-file ${args.join(" ")} did not exit within ${CHILD_EXIT_MARGIN_MS} ms (it hung); printed: ${watched.lines.join(" | ")}`);
  }
  expect(watched.stderr()).toBe("");
  return watched.lines;
}

function startChildAs(args: readonly string[], uid: number, gid: number): ReturnType<typeof startChild> {
  return startChild("open-bad-file.ts", args, { ...process.env, HOME: dir }, { uid, gid });
}

function parsed(line: string | undefined): { op: string; code: string; details: Record<string, unknown> } {
  const [op = "", code = "", ...rest] = (line ?? "").split(" ");
  return { op, code, details: JSON.parse(rest.join(" ") || "null") as Record<string, unknown> };
}

async function storeDirWith(): Promise<{ stateDir: string; path: string }> {
  const stateDir = join(dir, "state");
  const path = storePathIn(stateDir);
  await mkdir(join(stateDir, "agents", "main", "agent"), { recursive: true, mode: 0o700 });
  return { stateDir, path };
}

describe("a FIFO or a device where a credential file should be", () => {
  it("fails resolve() and status() fast with STORE_IO when the store is a FIFO", { timeout: 120_000 }, async () => {
    const { stateDir, path } = await storeDirWith();
    await run("mkfifo", ["-m", "600", path]);
    const lines = await runBounded(["store", stateDir]);
    expect(lines.map(parsed)).toEqual([
      { op: "resolve", code: "STORE_IO", details: { file: path, reason: "not-regular", kind: "FIFO" } },
      { op: "status", code: "STORE_IO", details: { file: path, reason: "not-regular", kind: "FIFO" } },
    ]);
  });

  it("fails fast with CLAUDE_CLI_INVALID when Claude Code's credentials file is a FIFO", { timeout: 120_000 }, async () => {
    const file = join(dir, ".credentials.json");
    await run("mkfifo", ["-m", "600", file]);
    const [line] = await runBounded(["claude", file]);
    expect(parsed(line)).toMatchObject({ op: "read", code: "CLAUDE_CLI_INVALID", details: { file, reason: "refused", problem: "it is a FIFO, not a regular file" } });
  });

  it("fails fast when the store or Claude Code's file is a /dev/zero-like character device", { timeout: 120_000 }, async (context) => {
    const { stateDir, path } = await storeDirWith();
    const file = join(dir, ".credentials.json");
    try {
      // Major 1, minor 5: the same device as /dev/zero.
      await run("mknod", ["-m", "600", path, "c", "1", "5"]);
      await run("mknod", ["-m", "600", file, "c", "1", "5"]);
    } catch (error) {
      console.warn(`skipped: mknod is not permitted here (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`);
      return context.skip();
    }
    expect((await runBounded(["store", stateDir])).map(parsed)).toEqual([
      { op: "resolve", code: "STORE_IO", details: { file: path, reason: "not-regular", kind: "character device" } },
      { op: "status", code: "STORE_IO", details: { file: path, reason: "not-regular", kind: "character device" } },
    ]);
    expect(parsed((await runBounded(["claude", file]))[0])).toMatchObject({ code: "CLAUDE_CLI_INVALID", details: { problem: "it is a character device, not a regular file" } });
  });
});

describe("size, nesting and encoding limits", () => {
  it("refuses a store over 32 MiB, a config over 4 MiB and a Claude Code file over 1 MiB with typed errors", async () => {
    const { path } = await storeDirWith();
    await writePrivate(path, "{}");
    await truncate(path, 32 * 1024 * 1024 + 1); // sparse: nothing is written, the size is what counts
    await expect(createFileProfileStore({ path }).read()).rejects.toMatchObject({ code: "STORE_INVALID", details: { file: path, reason: "too-large" } });

    const config = join(dir, "openclaw.json");
    await writePrivate(config, "{}");
    await truncate(config, 4 * 1024 * 1024 + 1);
    await expect(loadConfig({ path: config })).rejects.toMatchObject({ code: "CONFIG_PARSE", details: { file: config, reason: "too-large" } });

    const claude = join(dir, ".credentials.json");
    await writePrivate(claude, "{}");
    await truncate(claude, 1024 * 1024 + 1);
    await expect(createClaudeCliSource({ credentialsPath: claude, keychain: false, now: () => NOW, watch: false }).read()).rejects.toMatchObject({
      code: "CLAUDE_CLI_INVALID",
      details: { file: claude, reason: "refused" },
    });
  });

  it(`refuses nesting ${DEEP} levels deep with a typed error (never a RangeError), and leaves the file as it is`, async () => {
    const deep = `${"[".repeat(DEEP)}${"]".repeat(DEEP)}`;
    const { path } = await storeDirWith();
    const storeText = `{"version":1,"profiles":{},"deep":${deep}}`;
    await writePrivate(path, storeText);
    const store = createFileProfileStore({ path });
    await expect(store.read()).rejects.toMatchObject({ code: "STORE_INVALID", details: { reason: "depth", maxDepth: 64 } });
    await expect(store.update((current) => ({ data: current, result: undefined }))).rejects.toMatchObject({ code: "STORE_INVALID" });
    expect(await readFile(path, "utf8")).toBe(storeText);

    const config = join(dir, "openclaw.json");
    await writePrivate(config, `{ agents: { deep: ${deep} } }`);
    await expect(loadConfig({ path: config })).rejects.toMatchObject({ code: "CONFIG_INVALID" });

    const claude = join(dir, ".credentials.json");
    await writePrivate(claude, `{"claudeAiOauth":{"accessToken":"x"},"deep":${deep}}`);
    await expect(createClaudeCliSource({ credentialsPath: claude, keychain: false, now: () => NOW, watch: false }).read()).rejects.toMatchObject({
      code: "CLAUDE_CLI_INVALID",
      details: { reason: "refused", problem: "it nests deeper than 64 levels" },
    });
  });

  it("refuses a store that is not valid UTF-8 with STORE_INVALID and never rewrites its bytes", async () => {
    const { path } = await storeDirWith();
    const bytes = Buffer.concat([Buffer.from('{"version":1,"profiles":{},"note":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    await writePrivate(path, bytes as unknown as string);
    const store = createFileProfileStore({ path });
    await expect(store.read()).rejects.toMatchObject({ code: "STORE_INVALID", details: { file: path, reason: "encoding" } });
    await expect(store.update((current) => ({ data: { ...current, touched: true }, result: undefined }))).rejects.toMatchObject({ code: "STORE_INVALID" });
    expect(await readFile(path)).toEqual(bytes);
  });
});

describe("directories that cannot be created", () => {
  it("maps ENOTDIR to STORE_IO naming the file in the way", async () => {
    const stateDir = join(dir, "state");
    await writeFile(stateDir, "not a directory");
    const error = await saveApiKey({ stateDir, configPath: false, env: {}, key: `sk-ant-api03-${"MkdirTestKey00".repeat(6)}AAkeyc` }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "STORE_IO", details: { blocker: stateDir, errno: "ENOTDIR" } });
    expect((error as Error).message).toContain(`${stateDir} is not a directory`);
  });

  it("maps EEXIST (a file where the agent directory should be) to STORE_IO naming it", async () => {
    const stateDir = join(dir, "state");
    const agentDir = join(stateDir, "agents", "main", "agent");
    await mkdir(join(stateDir, "agents", "main"), { recursive: true, mode: 0o700 });
    await writeFile(agentDir, "not a directory");
    await expect(saveApiKey({ stateDir, configPath: false, env: {}, key: `sk-ant-api03-${"MkdirTestKey00".repeat(6)}AAkeyc` })).rejects.toMatchObject({
      code: "STORE_IO",
      details: { blocker: agentDir },
    });
  });

  describe("as another user", () => {
    let other: SecondUser | string = "not created";
    beforeAll(async () => {
      other = await createSecondUser();
      if (typeof other === "string") console.warn(`bad-files: EACCES test skipped: ${other}`);
    });
    afterAll(() => (typeof other === "string" ? undefined : other.remove()));

    it("maps EACCES to STORE_IO with the directory", { timeout: 120_000 }, async (context) => {
      if (typeof other === "string") return context.skip();
      // The other user may traverse the temp dir but not write to `locked`.
      await chmod(dir, 0o711);
      const locked = join(dir, "locked");
      await mkdir(locked, { mode: 0o755 });
      const stateDir = join(locked, "state");
      const [line] = await runBounded(["save", stateDir], { uid: other.uid, gid: other.gid });
      const agentRoot = join(stateDir, "agents", "main", "agent");
      expect(parsed(line)).toMatchObject({ op: "save", code: "STORE_IO", details: { directory: agentRoot, errno: "EACCES" } });
    });
  });
});
