import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../examples/cli/run.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";
import { leakedSlices, SECRETS } from "../status/fixtures.js";

/** A fake terminal: keystrokes go in through `type`, everything the CLI draws is kept in `screen`. */
class FakeTerminal {
  readonly input = new PassThrough();
  screen = "";
  readonly #waiters: { readonly text: string; readonly resolve: () => void }[] = [];
  readonly output = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      this.screen += chunk.toString("utf8");
      for (const waiter of this.#waiters.filter((w) => this.screen.includes(w.text))) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      done();
    },
  });

  /**
   * Resolves once the screen shows `text`, then one macrotask later, so the prompt that drew it has
   * also attached its key handlers (no sleeps: keystrokes go out after the prompt is ready).
   */
  async shows(text: string): Promise<void> {
    if (!this.screen.includes(text)) await new Promise<void>((resolve) => this.#waiters.push({ text, resolve }));
    await new Promise((resolve) => setImmediate(resolve));
  }

  type(keys: string): void {
    this.input.write(keys);
  }
}

let tmp: TmpHome;
let terminal: FakeTerminal;

function run(args: readonly string[]): Promise<number> {
  return runCli([...args, "--state-dir", tmp.stateDir], { stdin: terminal.input, stdout: terminal.output, stderr: terminal.output, env: tmp.env, isTTY: true });
}

beforeEach(async () => {
  tmp = await makeTmpHome();
  terminal = new FakeTerminal();
});

afterEach(async () => {
  expect(leakedSlices(terminal.screen)).toEqual([]);
  await tmp.cleanup();
});

describe("examples/cli on a terminal", () => {
  it("asks for the setup-token hidden and saves it", async () => {
    const done = run(["models", "auth", "paste-token", "--provider", "anthropic"]);
    await terminal.shows("Paste Anthropic setup-token");
    terminal.type(`${SECRETS.token}\r`);
    expect(await done).toBe(0);
    expect(terminal.screen).toContain("*".repeat(40));
    expect(terminal.screen).toContain("Saved setup-token as anthropic:manual (sk-ant-oat01-…tttt).");
    const store = JSON.parse(await readFile(join(tmp.stateDir, "agents", "main", "agent", "auth-profiles.json"), "utf8")) as { profiles: Record<string, { token: string }> };
    expect(store.profiles["anthropic:manual"]?.token).toBe(SECRETS.token);
  });

  it("rejects a bad paste inline and stops cleanly on Ctrl-C", async () => {
    const done = run(["models", "auth", "paste-token"]);
    await terminal.shows("Paste Anthropic setup-token");
    terminal.type(`${SECRETS.apiKey}\r`);
    await terminal.shows("Expected token starting with sk-ant-oat01-");
    terminal.type("\u0003");
    expect(await done).toBe(130);
    expect(terminal.screen).toContain("Error [CANCELLED]: Cancelled.");
  });

  it("asks for the API key hidden during onboarding", async () => {
    const done = run(["onboard", "--auth-choice", "apiKey"]);
    await terminal.shows("Paste your Anthropic API key");
    terminal.type(`${SECRETS.apiKey}\r`);
    expect(await done).toBe(0);
    expect(terminal.screen).toContain("Saved API key as anthropic:default (sk-ant-api03-…wxyz).");
  });

  it("lets a person choose the sign-in method when onboarding without flags", async () => {
    const done = run(["onboard"]);
    await terminal.shows("How should this agent sign in to Anthropic?");
    terminal.type("\r");
    await terminal.shows("Paste your Anthropic API key");
    terminal.type(`${SECRETS.apiKey}\r`);
    expect(await done).toBe(0);
    expect(terminal.screen).toContain("Saved API key as anthropic:default");
  });

  it("setup-token says where to run `claude setup-token` when Claude Code is not installed, then takes the token", async () => {
    const done = run(["models", "auth", "setup-token", "--provider", "anthropic"]);
    await terminal.shows("Paste Anthropic setup-token");
    expect(terminal.screen).toContain("Claude Code (`claude`) is not on PATH here");
    expect(terminal.screen).toContain("claude setup-token");
    terminal.type(`${SECRETS.token}\r`);
    expect(await done).toBe(0);
    expect(terminal.screen).toContain("Saved setup-token as anthropic:manual (sk-ant-oat01-…tttt).");
  });

  it("asks again after a bad API-key paste, saying what is wrong, then saves the good one", async () => {
    const done = run(["onboard", "--auth-choice", "apiKey"]);
    await terminal.shows("Paste your Anthropic API key");
    terminal.type("hello\r");
    await terminal.shows("not shaped like an Anthropic API key");
    terminal.type(`${"\u007f".repeat(5)}${SECRETS.apiKey}\r`);
    expect(await done).toBe(0);
    expect(terminal.screen).toContain("Saved API key as anthropic:default (sk-ant-api03-…wxyz).");
  });

  it("says what to run instead when a code#state string is pasted as an API key", async () => {
    const done = run(["onboard", "--auth-choice", "apiKey"]);
    await terminal.shows("Paste your Anthropic API key");
    terminal.type("abcDEF123xyz#stateSTATE456\r");
    await terminal.shows("claude setup-token");
    expect(terminal.screen).toContain("code#state");
    terminal.type("\u0003");
    expect(await done).toBe(130);
  });
});
