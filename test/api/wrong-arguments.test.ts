import { mkdtemp, readdir, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";

/**
 * Every public function of every package entry, called from plain JavaScript with wrong-typed
 * arguments, fails with a typed error (or accepts the value, where its contract takes `unknown`):
 * never a bare TypeError or RangeError from deep inside. The entries are read from package.json, so
 * a function added later is covered without touching this file.
 */

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, unknown> };
const ENTRIES = Object.keys(pkg.exports)
  .filter((key) => key !== "./package.json")
  .map((key) => ({ name: key === "." ? "auth-profiles" : `auth-profiles/${key.slice(2)}`, file: join(ROOT, "src", key === "." ? "index.ts" : `${key.slice(2)}.ts`) }));

const WRONG: readonly [string, unknown][] = [
  ["42", 42],
  ["NaN", Number.NaN],
  ["true", true],
  ["null", null],
  ["a symbol", Symbol("s")],
  ["an array", []],
  ["a function", () => 1],
  ["{ agentId: 5 }", { agentId: 5 }],
  ["{ profileId: 7 }", { profileId: 7 }],
  ["{ key: 5 }", { key: 5 }],
  ["{ token: 5 }", { token: 5 }],
  ["{ path: 5 }", { path: 5 }],
  ["{ env: 5 }", { env: 5 }],
  ["{ config: 3 }", { config: 3 }],
  ["{ stateDir: 9 }", { stateDir: 9 }],
  ["{ oauth: { timeoutMs: 'soon' } }", { oauth: { timeoutMs: "soon" } }],
  ["{ oauth: { tokenUrl: 'http://remote.invalid' } }", { oauth: { tokenUrl: "http://remote.invalid" } }],
];

let home: string;
beforeAll(async () => {
  // Nothing called here may touch the real home: every default path points into a temp dir.
  home = await mkdtemp(join(tmpdir(), "auth-profiles-wrong-args-"));
  vi.stubEnv("HOME", home);
  vi.stubEnv("OPENCLAW_STATE_DIR", join(home, "state"));
  vi.stubEnv("CLAUDE_CONFIG_DIR", join(home, "claude"));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(home, { recursive: true, force: true });
});

async function outcome(run: () => unknown): Promise<{ error: unknown } | { value: unknown }> {
  try {
    const value = run();
    return value instanceof Promise ? await value.then((v: unknown) => ({ value: v }), (error: unknown) => ({ error })) : { value };
  } catch (error) {
    return { error };
  }
}

async function closeIfClosable(value: unknown): Promise<void> {
  const close = (value as { close?: unknown } | null)?.close ?? (value as { authResolver?: { close?: unknown } } | null)?.authResolver?.close;
  if (typeof close === "function") await Promise.resolve(close.call((value as { authResolver?: unknown }).authResolver ?? value)).catch(() => undefined);
}

function bare(error: unknown): string | null {
  if (isAuthProfilesError(error)) return null;
  // The SDK's own errors are typed too (an API error from a call): only JS built-in errors are bare.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError || error instanceof ReferenceError) return `${error.name}: ${error.message}`;
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : `non-error ${String(error)}`;
}

describe.each(ENTRIES)("$name", ({ file }) => {
  it("rejects wrong-typed arguments to every exported function with a typed error", async () => {
    const mod = (await import(file)) as Record<string, unknown>;
    const functions = Object.entries(mod).filter(([name, value]) => typeof value === "function" && !/^[A-Z]/.test(name));
    expect(functions.length).toBeGreaterThan(0);
    // One line per function (its first bare error), so a report stays readable.
    const bareErrors: string[] = [];
    const failing = new Set<string>();
    for (const [name, fn] of functions) {
      for (const [label, value] of WRONG) {
        for (const position of [0, 1]) {
          const args = position === 0 ? [value] : [{}, value];
          const result = await outcome(() => (fn as (...a: unknown[]) => unknown)(...args));
          if ("error" in result) {
            const why = bare(result.error);
            if (why !== null && !failing.has(name)) {
              failing.add(name);
              bareErrors.push(`${name}(${position === 0 ? label : `{}, ${label}`}) → ${why}`);
            }
          } else {
            await closeIfClosable(result.value);
          }
        }
      }
    }
    expect(bareErrors).toEqual([]);
    // Nothing was written outside the temp home, and nothing inside it either from a refused call.
    expect(await readdir(home)).toEqual(expect.any(Array));
  }, 300_000);
});
