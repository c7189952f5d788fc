/**
 * `npm run demo`: the main job end to end, offline, in a temp state dir, in a few seconds.
 *
 * 1. Onboards two API-key profiles through the example CLI's code path (`runCli`) and pins their order.
 * 2. Configures `cacheControlTtl: "1h"` for the model and sends a cached request through
 *    `createAnthropicClient` to a loopback fake Anthropic server: shows the TTL that went out and the
 *    usage cache fields (a write, then a read).
 * 3. Makes profile one answer 429 and shows the same call succeed on profile two.
 * 4. Prints the status report, then cleans up (resolver closed, server closed, temp dir removed).
 *
 * No network, no real key, nothing read from or written to your home dir.
 *
 * @module
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { createAnthropicClient } from "../src/anthropic.js";
import { formatAuthStatus, redactSecret } from "../src/index.js";
import { CLI_COMMANDS } from "./cli/commands.js";
import { runCli } from "./cli/run.js";
import { startFakeAnthropic, type RecordedRequest } from "./fake-anthropic.js";

const MODEL = "claude-sonnet-4-6";
/** Fake keys: the fake server accepts any credential; Anthropic would reject these. */
const KEY_ONE = `sk-ant-api03-${"demo0000".repeat(11)}One1`;
const KEY_TWO = `sk-ant-api03-${"demo9999".repeat(11)}Two2`;
const PROFILE_OF: Readonly<Record<string, string>> = { [KEY_ONE]: "anthropic:default", [KEY_TWO]: "anthropic:backup" };
const SYSTEM_PROMPT = "You are a concise assistant for the auth-profiles demo. ".repeat(40);

const root = await mkdtemp(join(tmpdir(), "auth-profiles-demo-"));
const stateDir = join(root, "state");
const env = { HOME: join(root, "home") };
/** Temp paths differ per run; the printed output uses `$DEMO` so that it reads the same every time. */
const say = (text = ""): void => void process.stdout.write(`${text.split(root).join("$DEMO")}\n`);

const server = await startFakeAnthropic({ reply: "Hello from the fake Anthropic server." });
let client: ReturnType<typeof createAnthropicClient> | null = null;
try {
  say("auth-profiles demo: offline, temp state dir $DEMO/state, fake Anthropic API on 127.0.0.1\n");
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const config = { agents: { defaults: { model: { primary: `anthropic/${MODEL}` }, models: { [`anthropic/${MODEL}`]: { params: { cacheControlTtl: "1h" } } } } } };
  await writeFile(join(stateDir, "openclaw.json"), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  say(`1. Config: agents.defaults.models["anthropic/${MODEL}"].params.cacheControlTtl = "1h"`);

  await cli(["onboard", "--non-interactive", "--anthropic-api-key", KEY_ONE]);
  await cli(["onboard", "--non-interactive", "--anthropic-api-key", KEY_TWO, "--profile-id", "anthropic:backup"]);
  await cli(["models", "auth", "order", "set", "--provider", "anthropic", "anthropic:default", "anthropic:backup"]);

  client = createAnthropicClient({ stateDir, env, homeDir: env.HOME, claudeCli: false, commands: CLI_COMMANDS, clientOptions: { baseURL: server.url, maxRetries: 0 } });
  const params = {
    model: MODEL,
    max_tokens: 64,
    system: [{ type: "text" as const, text: SYSTEM_PROMPT, cache_control: { type: "ephemeral" as const } }],
    messages: [{ role: "user" as const, content: "Say hello." }],
  };

  say("\n2. A cached request through createAnthropicClient");
  for (const attempt of ["first call ", "second call"]) {
    const message = await client.messages.create(params);
    const sent = lastRequest();
    say(`   ${attempt}: answered by ${who(sent)}: "${textOf(message.content)}"`);
    say(`     sent cache_control ttl: ${ttlSent(sent)}; anthropic-beta: ${sent.headers["anthropic-beta"] ?? "(none)"}`);
    say(`     usage: cache_creation_input_tokens=${message.usage.cache_creation_input_tokens ?? 0}, cache_read_input_tokens=${message.usage.cache_read_input_tokens ?? 0}, input_tokens=${message.usage.input_tokens}`);
  }

  say("\n3. Profile one answers 429: the same call fails over to profile two");
  server.setBehavior(KEY_ONE, { status: 429, retryAfterSec: 30 });
  const before = server.requests.length;
  const message = await client.messages.create(params);
  for (const sent of server.requests.slice(before)) say(`   → ${who(sent)}${sent.credential === KEY_ONE ? ": 429 rate_limit_error" : ": 200"}`);
  say(`   the call returned: "${textOf(message.content)}" (answered by ${who(lastRequest())})`);

  say("\n4. Status report (npm run cli -- models status)\n");
  say(formatAuthStatus(await client.authResolver.status()).trimEnd());
  say("\nDone: resolver closed, server closed, temp dir removed.");
} finally {
  await client?.authResolver.close();
  await server.close();
  await rm(root, { recursive: true, force: true });
}

/** Runs the example CLI in-process (the same code as `npm run cli`) and shows what it printed. */
async function cli(args: readonly string[]): Promise<void> {
  let output = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString("utf8");
      done();
    },
  });
  const shown = args.map((arg) => (arg.startsWith("sk-ant-") ? redactSecret(arg) : arg)).join(" ");
  const code = await runCli([...args, "--state-dir", stateDir], { stdin: Readable.from([]), stdout: sink, stderr: sink, env, isTTY: false });
  say(`   $ npm run cli -- ${shown}`);
  for (const line of output.trimEnd().split("\n")) say(`     ${line}`);
  if (code !== 0) throw new Error(`The CLI exited with code ${code}.`);
}

function lastRequest(): RecordedRequest {
  const sent = server.requests.at(-1);
  if (sent === undefined) throw new Error("The fake server recorded no request.");
  return sent;
}

function who(sent: RecordedRequest): string {
  const credential = sent.credential ?? "";
  return `${PROFILE_OF[credential] ?? "?"} (${redactSecret(credential)})`;
}

function ttlSent(sent: RecordedRequest): string {
  const system = (sent.body as { system?: readonly { cache_control?: { ttl?: string } }[] } | null)?.system;
  return system?.[0]?.cache_control?.ttl ?? "(none: the default 5m)";
}

function textOf(content: readonly { type: string; text?: string }[]): string {
  return content.map((block) => (block.type === "text" ? (block.text ?? "") : "")).join("");
}
