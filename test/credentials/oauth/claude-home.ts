import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fakeAccessToken, fakeRefreshToken } from "../../helpers/fake-token-server.js";
import { makeTempDir } from "./support.js";

/** A temp `CLAUDE_CONFIG_DIR` with helpers to write Claude Code's credentials file. */
export interface ClaudeHome {
  /** The config dir (stands in for `~/.claude`). */
  readonly configDir: string;
  /** `<configDir>/.credentials.json`. */
  readonly file: string;
  /** The env to hand to the library. */
  readonly env: Record<string, string>;
  /** The temp root (config dir and anything else a test needs). */
  readonly root: string;
  /** Removes everything. */
  cleanup(): Promise<void>;
}

/** Creates a temp Claude Code config dir. */
export async function makeClaudeHome(): Promise<ClaudeHome> {
  const { dir, cleanup } = await makeTempDir("auth-profiles-claude-");
  const configDir = join(dir, "claude-config");
  await mkdir(configDir, { mode: 0o700 });
  return { configDir, file: join(configDir, ".credentials.json"), env: { CLAUDE_CONFIG_DIR: configDir }, root: dir, cleanup };
}

/** A login in Claude Code's format, with fields this library does not know. */
export function claudeDocument(login: { accessToken?: string; refreshToken?: string | undefined; expiresAt?: number }): Record<string, unknown> {
  const claudeAiOauth: Record<string, unknown> = {
    accessToken: login.accessToken ?? fakeAccessToken(),
    expiresAt: login.expiresAt ?? 0,
    scopes: ["user:inference", "user:profile", "user:sessions:claude_code"],
    subscriptionType: "max",
    rateLimitTier: "default_claude_max_20x",
  };
  if (!("refreshToken" in login)) claudeAiOauth["refreshToken"] = fakeRefreshToken();
  else if (login.refreshToken !== undefined) claudeAiOauth["refreshToken"] = login.refreshToken;
  return { claudeAiOauth, mcpOAuth: { "github|abc123": { serverName: "github", accessToken: "mcp-token" } } };
}

/** Writes Claude Code's file compactly (as Claude Code does) and returns the exact text. */
export async function writeClaudeFile(file: string, document: unknown, mode = 0o600): Promise<string> {
  const text = JSON.stringify(document);
  await writeFile(file, text);
  await chmod(file, mode);
  return text;
}

/**
 * Writes a stand-in for macOS `security`: it logs its arguments and prints
 * `<dir>/items/<service>` (exit 44 when absent, exit 51 when `<dir>/fail` exists).
 */
export async function writeFakeSecurity(dir: string): Promise<{ command: string; log: string; itemPath: (service: string) => string; failMarker: string }> {
  const items = join(dir, "items");
  await mkdir(items, { recursive: true });
  const log = join(dir, "security.log");
  const failMarker = join(dir, "fail");
  const command = join(dir, "security");
  await writeFile(
    command,
    [
      "#!/bin/sh",
      `printf '%s|' "$@" >> '${log}'`,
      `printf '\\n' >> '${log}'`,
      `if [ -f '${failMarker}' ]; then echo 'security: interaction not allowed' >&2; exit 51; fi`,
      `f='${items}/'"$3"`,
      'if [ -f "$f" ]; then cat "$f"; echo; exit 0; fi',
      "echo 'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.' >&2",
      "exit 44",
      "",
    ].join("\n"),
  );
  await chmod(command, 0o755);
  return { command, log, itemPath: (service) => join(items, service), failMarker };
}
