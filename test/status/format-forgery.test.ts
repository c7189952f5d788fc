import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { printable } from "../../src/model/printable.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { KEY_A, KEY_B, makeResolverFixture, type ResolverFixture } from "../resolver/support.js";

/** Any character that a terminal acts on instead of showing: none may reach the text report. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const ESC_ID = "anthropic:\u001b[2J\u001b[1;1Hclean";
const BIDI_ID = "anthropic:\u202egnp.exe";
const FORGED_LINE = "\r\n  anthropic:forged   sk-ant-api03-…zzzz  api_key  ok";

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(() => fx.cleanup());

describe("the text status report cannot be forged by stored data", () => {
  it("escapes ESC sequences, CR/LF and bidi overrides in ids, emails and reasons", async () => {
    await fx.writeStore({
      version: 1,
      profiles: {
        [ESC_ID]: { type: "api_key", provider: "anthropic", key: KEY_A, email: `me@example.com${FORGED_LINE}` },
        [BIDI_ID]: { type: "api_key", provider: "anthropic", key: KEY_B },
      },
      usageStats: { [ESC_ID]: { errorCount: 1, cooldownUntil: fx.clock.now + 60_000, lastFailureAt: fx.clock.now - 1_000, failureCounts: { rate_limit: 1 } } },
    });
    const text = formatAuthStatus(await fx.resolver().status());

    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain("\\x1b[2J");
    expect(text).toContain("\\u202egnp.exe");
    // Two stored profiles give two rows: no forged third row.
    expect(text.split("\n").filter((line) => line.startsWith("  anthropic:"))).toHaveLength(2);
    expect(text.split("\n").some((line) => line.trimStart().startsWith("anthropic:forged"))).toBe(false);
  });

  it("escapes a line break in the state directory's path", async () => {
    const stateDir = join(fx.home, "state\nAgent: forged");
    const storeDir = join(stateDir, "agents", "main", "agent");
    await mkdir(storeDir, { recursive: true, mode: 0o700 });
    await writeFile(join(storeDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles: { "anthropic:a": { type: "api_key", provider: "anthropic", key: KEY_A } } }), { mode: 0o600 });
    const resolver = createAuthResolver({ stateDir, homeDir: fx.home, env: {}, configPath: false, claudeCli: false, now: () => fx.clock.now });
    try {
      const text = formatAuthStatus(await resolver.status());
      expect(text).not.toMatch(RAW_CONTROL);
      expect(text.split("\n").filter((line) => line.startsWith("Agent:"))).toEqual(["Agent: main"]);
      expect(text).toContain("state\\nAgent: forged");
    } finally {
      await resolver.close();
    }
  });
});

describe(printable.name, () => {
  it("leaves plain text (unicode included) as it is", () => {
    expect(printable("anthropic:работа — café ✓")).toBe("anthropic:работа — café ✓");
  });

  it("escapes every C0/C1 control, DEL, separators and bidi controls visibly", () => {
    expect(printable("a\nb\rc\td\u0000e\u001bf\u007fg\u009bh\u2028i\u202ej\u2066k")).toBe(
      "a\\nb\\rc\\td\\x00e\\x1bf\\x7fg\\x9bh\\u2028i\\u202ej\\u2066k",
    );
  });

  it("never lets a raw control through, whatever the input (all code points below U+2070)", () => {
    const all = Array.from({ length: 0x2070 }, (_, i) => String.fromCharCode(i)).join("");
    expect(printable(all)).not.toMatch(RAW_CONTROL);
    expect(printable(all)).not.toContain("\n");
  });
});
