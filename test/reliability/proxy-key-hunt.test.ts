import { format, inspect } from "node:util";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAnthropicClient } from "../../src/anthropic/client.js";
import { loadConfig } from "../../src/config/load.js";
import type { Logger } from "../../src/model/logger.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { runScript } from "../examples/run-script.js";
import { startScriptedServer, type ScriptedServer } from "./scripted-server.js";
import { viewsOf } from "./secrets.js";
import { makeTempDir, NOW, storePathIn, writeJsonPrivate } from "./support.js";

/** A proxy's key: nothing like `sk-ant-…`, so only knowing it as a secret can mask it. */
const PROXY = "proxy-key-1234567890abcdef";
/** Any 12 characters of it past `proxy-key-` would be a leak. */
const windows = Array.from({ length: PROXY.length - 12 + 1 }, (_, i) => PROXY.slice(i, i + 12)).filter((w) => !"proxy-key-".includes(w));
const leaks = (texts: readonly string[]): string[] => texts.flatMap((text, i) => windows.filter((w) => text.includes(w)).map((w) => `#${i}: …${w}… in ${text.slice(0, 120)}`));

describe("a proxy key, once read, is masked in every output", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: ScriptedServer;
  const lines: string[] = [];
  const logger: Logger = {
    debug: (...a: unknown[]) => void lines.push(format(...a)),
    info: (...a: unknown[]) => void lines.push(format(...a)),
    warn: (...a: unknown[]) => void lines.push(format(...a)),
    error: (...a: unknown[]) => void lines.push(format(...a)),
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    server = await startScriptedServer();
    // The key is the credential of one profile and, pasted by mistake, the id of another.
    await writeJsonPrivate(storePathIn(dir), {
      version: 1,
      profiles: {
        "anthropic:proxy": { type: "api_key", provider: "anthropic", key: PROXY },
        [PROXY]: { type: "api_key", provider: "anthropic", key: 42 },
      },
    });
  });
  afterEach(async () => {
    await server.close();
    await cleanup();
  });

  it("in resolved auth, API errors that echo it, failure reports, status, config errors and the CLI", async () => {
    const seen: string[] = [];
    const resolver = createAuthResolver({ stateDir: dir, configPath: false, env: {}, now: () => NOW, logger });
    try {
      const auth = await resolver.resolve({ profileId: "anthropic:proxy" });
      expect(auth.secret).toBe(PROXY);
      seen.push(...viewsOf(auth));

      // The API (or a proxy in front of it) echoes the key in its error body: a 401 goes through
      // the failover path, a 400 straight back to the SDK.
      const client = createAnthropicClient({ resolver, clientOptions: { baseURL: server.url, maxRetries: 0 }, logger });
      for (const status of [401, 400]) {
        server.answer(() => ({ status, body: JSON.stringify({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key: ${PROXY}` } }) }));
        const before = server.requests.length;
        const apiError = await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }, { headers: { "x-test": String(status) } }).catch((e: unknown) => e);
        expect(server.requests.length).toBeGreaterThan(before);
        expect((apiError as { status?: unknown }).status).toBe(status);
        seen.push(...viewsOf(apiError));
        await resolver.clearCooldown("anthropic:proxy");
      }

      const outcome = await resolver.reportFailure("anthropic:proxy", Object.assign(new Error(`401 ${PROXY} rejected`), { status: 401 }));
      seen.push(...viewsOf(outcome));
      const unavailable = await resolver.resolve().catch((e: unknown) => e);
      seen.push(...viewsOf(unavailable));

      const status = await resolver.status();
      seen.push(JSON.stringify(status), formatAuthStatus(status), inspect(status, { depth: 20 }));
    } finally {
      await resolver.close();
    }

    // A config keyed by the key, with a bad value under it: the error's path names the key.
    const configPath = join(dir, "openclaw.json");
    await writeJsonPrivate(configPath, { auth: { profiles: { [PROXY]: { provider: "anthropic", mode: "bogus" } } } });
    const configError = await loadConfig({ path: configPath, env: {} }).catch((e: unknown) => e);
    expect(viewsOf(configError).join("\n")).toContain("CONFIG_INVALID");
    seen.push(...viewsOf(configError));

    seen.push(...lines);
    expect(leaks(seen)).toEqual([]);
  });

  it("in the CLI's status report, text and JSON", async () => {
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir };
    for (const args of [["models", "status"], ["models", "status", "--json"], ["models", "status", "--check"]]) {
      const result = await runScript("examples/cli.ts", [...args, "--state-dir", dir], { env, killAfterMs: 60_000 });
      expect(result.stdout.length + result.stderr.length).toBeGreaterThan(0);
      expect(leaks([result.stdout, result.stderr])).toEqual([]);
    }
  }, 300_000);

  it("in the CLI's usage errors, when the key is pasted after the wrong flag or as an extra argument", async () => {
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir };
    const misuses = [
      ["models", "auth", "paste-token", "--provider", "anthropic", "--expires-in", PROXY],
      ["models", "auth", "clear-cooldown", "anthropic:a", PROXY],
      ["models", "status", PROXY],
    ];
    for (const args of misuses) {
      const result = await runScript("examples/cli.ts", [...args, "--state-dir", dir], { env, killAfterMs: 60_000 });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Error [USAGE]");
      expect(leaks([result.stdout, result.stderr])).toEqual([]);
    }
  }, 300_000);
});
