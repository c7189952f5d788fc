import { chmod, symlink, writeFile } from "node:fs/promises";
import fc from "fast-check";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClaudeCliSource } from "../../src/credentials/claude-cli/login.js";
import { AdvisoryRetry, ADVISORY_RETRY_MS, freshUntil, refreshWindow } from "../../src/credentials/token-freshness.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { claudeDocument, makeClaudeHome, type ClaudeHome } from "./oauth/claude-home.js";
import { rejectionOf } from "./oauth/no-secrets.js";

const NOW = 1_767_000_000_000;
const MARGIN_MS = 300_000;

describe(freshUntil.name, () => {
  it("is the end of exactly the times refreshWindow calls fresh", () => {
    const expires = fc.oneof(fc.constant(null), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: NOW - 10 * MARGIN_MS, max: NOW + 10 * MARGIN_MS }));
    fc.assert(
      fc.property(expires, fc.integer({ min: NOW - 10 * MARGIN_MS, max: NOW + 10 * MARGIN_MS }), fc.integer({ min: 0, max: 3 * MARGIN_MS }), fc.boolean(), (expiresAt, now, margin, forced) => {
        expect(now < freshUntil(expiresAt, margin, forced)).toBe(refreshWindow(expiresAt, now, margin, forced) === "fresh");
      }),
      { seed: 1616, numRuns: 2_000 },
    );
  });
});

describe(refreshWindow.name, () => {
  it("names the window of a token: fresh beyond the margin, advisory inside it, required once expired or forced", () => {
    expect(refreshWindow(NOW + MARGIN_MS + 1, NOW, MARGIN_MS, false)).toBe("fresh");
    expect(refreshWindow(NOW + MARGIN_MS, NOW, MARGIN_MS, false)).toBe("advisory");
    expect(refreshWindow(NOW + 1, NOW, MARGIN_MS, false)).toBe("advisory");
    expect(refreshWindow(NOW, NOW, MARGIN_MS, false)).toBe("required");
    expect(refreshWindow(NOW + 86_400_000, NOW, MARGIN_MS, true)).toBe("required");
    expect(refreshWindow(Number.NaN, NOW, MARGIN_MS, false)).toBe("required");
  });

  it("treats a token without expiry as fresh unless forced", () => {
    expect(refreshWindow(null, NOW, MARGIN_MS, false)).toBe("fresh");
    expect(refreshWindow(null, NOW, MARGIN_MS, true)).toBe("required");
  });
});

describe("AdvisoryRetry", () => {
  it("holds off an advisory refresh for ADVISORY_RETRY_MS after a failure, per key", () => {
    const retry = new AdvisoryRetry<string>();
    expect(retry.mayTry("a", NOW)).toBe(true);
    retry.failed("a", NOW);
    expect(retry.mayTry("a", NOW + ADVISORY_RETRY_MS - 1)).toBe(false);
    expect(retry.mayTry("b", NOW)).toBe(true);
    expect(retry.mayTry("a", NOW + ADVISORY_RETRY_MS)).toBe(true);
    retry.succeeded("a");
    expect(retry.mayTry("a", NOW + 1)).toBe(true);
  });
});

describe("Claude Code login: the one file-safety check", () => {
  let home: ClaudeHome;
  beforeEach(async () => {
    home = await makeClaudeHome();
  });
  afterEach(async () => {
    await home.cleanup();
  });

  const read = (credentialsPath?: string): Promise<unknown> => {
    const source = createClaudeCliSource({ env: home.env, platform: "linux", now: () => NOW, watch: false, ...(credentialsPath === undefined ? {} : { credentialsPath }) });
    return source.read().finally(() => source.close());
  };
  const document = JSON.stringify(claudeDocument({ expiresAt: NOW + 3_600_000 }));

  it("refuses a login in a directory every user can write to (FILE_UNSAFE naming the directory)", async () => {
    await writeFile(home.file, document, { mode: 0o600 });
    await chmod(home.configDir, 0o777);
    const error = await rejectionOf(() => read());
    expect(isAuthProfilesError(error) && { code: error.code, reason: error.details["reason"], directory: error.details["directory"] }).toEqual({
      code: "FILE_UNSAFE",
      reason: "directory",
      directory: home.configDir,
    });
    await chmod(home.configDir, 0o700);
  });

  it("follows a symbolic link to a private login, and refuses one to a file others can read", async () => {
    const real = join(home.root, "real-credentials.json");
    await writeFile(real, document, { mode: 0o600 });
    await symlink(real, home.file);
    await expect(read()).resolves.toMatchObject({ source: "claude-cli" });
    await chmod(real, 0o644);
    const error = await rejectionOf(() => read());
    expect(isAuthProfilesError(error) && error.code).toBe("FILE_UNSAFE");
    expect(isAuthProfilesError(error) && error.hint).toContain("signing in to Claude Code again");
  });
});
