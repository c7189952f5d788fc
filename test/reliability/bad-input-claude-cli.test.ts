import { readFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClaudeCliSource } from "../../src/credentials/claude-cli/login.js";
import { FC_SEED, fileBytes, nastyJson } from "./arbitraries.js";
import { expectTypedError, SECRETS } from "./secrets.js";
import { makeTempDir, NOW, writePrivate } from "./support.js";

let dir: string;
let file: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  file = join(dir, "claude", ".credentials.json");
});
afterAll(() => cleanup());

/** A field of Claude Code's login: usually right, sometimes any JSON value. */
function field<T>(...right: T[]): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...right) }, { weight: 1, arbitrary: nastyJson });
}

/** Claude Code's credentials document, with any part replaced by junk. */
const claudeDocument: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        claudeAiOauth: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.record(
              {
                accessToken: field(SECRETS.cliAccess, ""),
                refreshToken: field(SECRETS.cliRefresh, "", null),
                expiresAt: field(NOW + 3_600_000, NOW - 1, NOW + 60_000, 0, null),
                scopes: field(["user:inference"], []),
                subscriptionType: field("max", "pro", null),
              },
              { requiredKeys: [] },
            ),
          },
          { weight: 1, arbitrary: nastyJson },
        ),
        mcpOAuth: nastyJson,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: nastyJson },
);

/** Torn or non-JSON files are re-read twice (~100 ms); raw bytes are therefore fewer runs. */
const content = fc.oneof({ weight: 1, arbitrary: fileBytes(claudeDocument) }, { weight: 4, arbitrary: claudeDocument.map((value) => Buffer.from(JSON.stringify(value) ?? "null")) });

describe(`${createClaudeCliSource.name} over arbitrary file content`, () => {
  // Regression: an `expiresAt` outside the Date range once escaped as a RangeError from a message.
  it("gives a typed error for an expiresAt outside the Date range", async () => {
    await writePrivate(file, JSON.stringify({ claudeAiOauth: { accessToken: SECRETS.cliAccess, refreshToken: SECRETS.cliRefresh, expiresAt: -1e300 } }));
    const source = createClaudeCliSource({ credentialsPath: file, platform: "linux", now: () => NOW, watch: false });
    try {
      await source.read();
      expect.unreachable("an expired login must not be returned");
    } catch (error) {
      expectTypedError(error, ["CLAUDE_CLI_EXPIRED", "CLAUDE_CLI_INVALID"]);
    } finally {
      source.close();
    }
  });

  it("gives a credential or CLAUDE_CLI_EXPIRED / CLAUDE_CLI_INVALID, never a refresh token", async () => {
    await fc.assert(
      fc.asyncProperty(content, async (bytes) => {
        await writePrivate(file, bytes);
        const source = createClaudeCliSource({ credentialsPath: file, platform: "linux", now: () => NOW, watch: false });
        try {
          const credential = await source.read();
          expect(typeof credential.secret).toBe("string");
          expect(credential.secret).not.toBe("");
          expect(Object.values(credential)).not.toContain(SECRETS.cliRefresh);
          expect(JSON.stringify(credential)).not.toContain(SECRETS.cliAccess);
        } catch (error) {
          expectTypedError(error, ["CLAUDE_CLI_EXPIRED", "CLAUDE_CLI_INVALID"]);
        } finally {
          source.close();
        }
      }),
      { numRuns: 120, seed: FC_SEED },
    );
  });

  it('with refresh "write-back" and a failing endpoint, leaves the file byte for byte', async () => {
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(content, fc.boolean(), async (bytes, force) => {
        await writePrivate(file, bytes);
        const before = await readFile(file);
        const source = createClaudeCliSource({
          credentialsPath: file,
          platform: "linux",
          refresh: "write-back",
          now: () => NOW,
          watch: false,
          endpoint: () => {
            calls += 1;
            return Promise.reject(new Error(`endpoint down (${SECRETS.cliRefresh})`));
          },
        });
        try {
          await source.read({ forceRefresh: force });
        } catch (error) {
          expectTypedError(error, ["CLAUDE_CLI_EXPIRED", "CLAUDE_CLI_INVALID", "OAUTH_REFRESH_FAILED"]);
        } finally {
          source.close();
        }
        expect(await readFile(file)).toEqual(before);
      }),
      { numRuns: 120, seed: FC_SEED },
    );
    // The property reached the refresh path, not only the parser.
    expect(calls).toBeGreaterThan(0);
  });
});
