import { describe, expect, it } from "vitest";
import { AuthProfilesError } from "../../src/model/errors.js";
import { buildAuthStatus } from "../../src/status/build.js";
import type { AuthStatus, ProfileStatus } from "../../src/status/types.js";
import { cliCredential, DAY, HOUR, NOW, statusInput } from "./fixtures.js";

function anthropic(status: AuthStatus) {
  const provider = status.auth.providers.find((p) => p.provider === "anthropic");
  if (provider === undefined) throw new Error("no anthropic block");
  return provider;
}

function row(status: AuthStatus, profileId: string): ProfileStatus {
  const found = anthropic(status).entries.find((entry) => entry.profileId === profileId);
  if (found === undefined) throw new Error(`no row ${profileId}`);
  return found;
}

function oauthStatus(status: AuthStatus, profileId: string): string | undefined {
  return status.auth.oauth.profiles.find((p) => p.profileId === profileId)?.status;
}

describe(buildAuthStatus.name, () => {
  describe("Claude Code login", () => {
    const config = { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" as const } } } };

    it("shows the live login with source claude-cli and its expiry", () => {
      const status = buildAuthStatus(statusInput({ config, claudeCli: { credential: cliCredential(NOW + 2 * DAY, "me@x"), error: null } }));
      expect(row(status, "anthropic:claude-cli")).toMatchObject({ state: "ok", type: "oauth", source: "claude-cli", masked: "Claude Code login (me@x)" });
      expect(status.auth.oauth.profiles).toEqual([
        {
          profileId: "anthropic:claude-cli",
          provider: "anthropic",
          type: "oauth",
          status: "ok",
          expiresAt: NOW + 2 * DAY,
          remainingMs: 2 * DAY,
          source: "claude-cli",
          label: "anthropic:claude-cli=Claude Code login (me@x)",
          refreshable: false,
        },
      ]);
      expect(anthropic(status).effective.kind).toBe("profiles");
    });

    it("reads a login expiring within 24 h as expiring (Claude Code is never refreshed by us)", () => {
      const status = buildAuthStatus(statusInput({ config, claudeCli: { credential: cliCredential(NOW + 6 * HOUR), error: null } }));
      expect(oauthStatus(status, "anthropic:claude-cli")).toBe("expiring");
    });

    it("reports an expired login from a CLAUDE_CLI_EXPIRED error that carries expiresAt", () => {
      const error = new AuthProfilesError("CLAUDE_CLI_EXPIRED", "The Claude Code login expired.", { details: { expiresAt: NOW - HOUR } });
      const status = buildAuthStatus(statusInput({ config, claudeCli: { credential: null, error } }));
      expect(row(status, "anthropic:claude-cli")).toMatchObject({ state: "expired", source: "claude-cli", expiresAt: NOW - HOUR, detail: "The Claude Code login expired." });
      expect(oauthStatus(status, "anthropic:claude-cli")).toBe("expired");
    });

    it("reports an absent login as missing", () => {
      const error = new AuthProfilesError("CLAUDE_CLI_EXPIRED", "No Claude Code login found.");
      const status = buildAuthStatus(statusInput({ config, claudeCli: { credential: null, error } }));
      expect(oauthStatus(status, "anthropic:claude-cli")).toBe("missing");
      expect(anthropic(status).profiles.count).toBe(0);
    });
  });

});
