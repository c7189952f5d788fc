import * as v from "valibot";
import { CLAUDE_CLI_PROFILE_ID } from "../../model/ids.js";
import { summarizeIssue } from "../../config/issue-path.js";
import { headerValueProblem } from "../../model/header-value.js";
import { attachRedactedView, redactSecret, rememberSecrets } from "../../model/redact.js";
import { lazySchema } from "../../model/lazy-schema.js";
import { loginInvalid, type LoginLocation } from "./errors.js";
import type { TokenRefreshResult } from "../oauth/token-endpoint.js";
import type { Credential } from "../../model/credential.js";

/**
 * Claude Code's credentials document (file or Keychain item); other top-level keys (`mcpOAuth`…)
 * are kept, and so are unknown fields of its `claudeAiOauth` record. Built on the first read.
 */
const ClaudeCredentialsSchema = lazySchema(() => {
  const claudeAiOauth = v.looseObject({
    accessToken: v.nullish(v.string()),
    refreshToken: v.nullish(v.string()),
    expiresAt: v.nullish(v.pipe(v.number(), v.finite())),
    scopes: v.nullish(v.array(v.string())),
    subscriptionType: v.nullish(v.string()),
  });
  return v.looseObject({ claudeAiOauth: v.nullish(claudeAiOauth) });
});

/** The part of Claude Code's login this library uses. Its JSON and inspect views are redacted. @internal */
export interface ClaudeCliLogin {
  /** The access token (`sk-ant-oat01-…`). */
  readonly accessToken: string;
  /** The refresh token, or `null` (a login without one is sent as a static `token`). Never leaves this module family. */
  readonly refreshToken: string | null;
  /** Epoch ms (Claude Code stores milliseconds), or `null` when absent. */
  readonly expiresAt: number | null;
  /** The subscription (`pro`, `max`…), when stored. */
  readonly subscriptionType: string | null;
}

/** A parsed credentials document. @internal */
export interface ClaudeCliDocument {
  /** The whole document as parsed, for write-back (unknown fields kept). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The exact text it was parsed from, for write-back formatting. */
  readonly text: string;
  /** The login, or `null` when signed out (no record, or empty token strings). */
  readonly login: ClaudeCliLogin | null;
}

/**
 * Parses Claude Code's credentials text.
 *
 * @param text - the file content or Keychain password
 * @param where - where it came from, for messages
 * @returns the document; `login` is `null` when signed out
 * @throws AuthProfilesError `CLAUDE_CLI_INVALID` naming the location and JSON path (never a value)
 * @internal
 */
export function parseClaudeCredentials(text: string, where: LoginLocation): ClaudeCliDocument {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // V8's message quotes the input, which holds tokens: report only that it is not JSON.
    throw loginInvalid(where, "(root)", body.trim() === "" ? "is empty" : "is not valid JSON");
  }
  const oauth = typeof json === "object" && json !== null ? (json as { claudeAiOauth?: unknown }).claudeAiOauth : undefined;
  if (typeof oauth === "object" && oauth !== null) rememberSecrets((oauth as Record<string, unknown>)["accessToken"], (oauth as Record<string, unknown>)["refreshToken"]);
  // valibot's object schemas accept arrays.
  if (Array.isArray(json)) throw loginInvalid(where, "(root)", "must be an object");
  const parsed = v.safeParse(ClaudeCredentialsSchema, json);
  if (!parsed.success) {
    const issue = summarizeIssue(parsed.issues[0]);
    throw loginInvalid(where, issue.path, issue.problem);
  }
  const record = parsed.output.claudeAiOauth;
  const raw = json as Record<string, unknown>;
  if (record === null || record === undefined || !record.accessToken) return { raw, text: body, login: null };
  const problem = headerValueProblem(record.accessToken);
  if (problem !== null) throw loginInvalid(where, "claudeAiOauth.accessToken", `cannot be sent in a header: it ${problem}`);
  const login: ClaudeCliLogin = {
    accessToken: record.accessToken,
    refreshToken: record.refreshToken ? record.refreshToken : null,
    expiresAt: record.expiresAt ?? null,
    subscriptionType: record.subscriptionType ?? null,
  };
  attachRedactedView(login, (l) => ({
    accessToken: redactSecret(l.accessToken),
    refreshToken: l.refreshToken === null ? null : redactSecret(l.refreshToken),
    expiresAt: l.expiresAt,
    subscriptionType: l.subscriptionType,
  }));
  return { raw, text: body, login };
}

/**
 * Maps a Claude Code login to the credential it sends. The refresh token never goes into it.
 *
 * @param login - the login
 * @returns mode `oauth` when the login has a refresh token, else `token`; source `claude-cli`
 * @internal
 */
export function credentialFromLogin(login: ClaudeCliLogin): Credential {
  const credential: Credential = {
    provider: "anthropic",
    profileId: CLAUDE_CLI_PROFILE_ID,
    mode: login.refreshToken === null ? "token" : "oauth",
    source: "claude-cli",
    secret: login.accessToken,
    expiresAt: login.expiresAt,
  };
  return attachRedactedView(credential, (c) => ({ ...c, secret: redactSecret(c.secret) }));
}

/**
 * Writes a refreshed pair into Claude Code's document, in Claude Code's own format: every other
 * field of the document and of `claudeAiOauth` kept in place, `expiresAt` in epoch ms, and the
 * original indentation (Claude Code writes compact JSON) and final newline kept.
 *
 * @param document - the document as read under the lock
 * @param fresh - the new pair
 * @returns the new file content
 * @internal
 */
export function serializeRefreshed(document: ClaudeCliDocument, fresh: TokenRefreshResult): string {
  const previous = document.raw["claudeAiOauth"];
  const record = typeof previous === "object" && previous !== null ? (previous as Record<string, unknown>) : {};
  const next = {
    ...document.raw,
    claudeAiOauth: { ...record, accessToken: fresh.access, refreshToken: fresh.refresh, expiresAt: fresh.expires },
  };
  const indent = /^\{\r?\n([ \t]+)"/.exec(document.text)?.[1];
  const newline = document.text.endsWith("\n") ? "\n" : "";
  return `${JSON.stringify(next, null, indent)}${newline}`;
}
