import type * as ChildProcess from "node:child_process";
import { lazyRequire } from "./lazy-require.js";
import { lstat, realpath } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from "node:path";
import { AuthProfilesError, isAuthProfilesError } from "../model/errors.js";
import { rememberSecrets } from "../model/redact.js";
import {
  DEFAULT_SECRET_PROVIDER,
  isValidExecRefId,
  readJsonPointer,
  secretRefLabel,
  type SecretProviderConfig,
  type SecretRef,
  type SecretsSettings,
} from "../model/secret-ref.js";
import { readCheckedFile, UnreadableFileError } from "./read-checked-file.js";

/** Loaded on the first `exec` secret reference (opt-in): not at import. */
const childProcess = lazyRequire<typeof ChildProcess>("node:child_process");

/**
 * The edge that reads OpenClaw secret references: `env` from the given env object, `file` through
 * the same checks as the store (owned by this user, no group or other access, no symbolic link, a
 * safe directory), `exec` only when the caller opted in (no shell, a timeout, an output cap).
 * Values are returned to the caller and remembered for masking; they are never logged, and no
 * error or message built here contains one.
 *
 * Facts: OpenClaw `src/secrets/resolve.ts` (defaults 5 s and 1 MiB for files and commands; exec
 * request `{protocolVersion: 1, provider, ids}` on stdin, reply `{protocolVersion: 1, values,
 * errors?}` on stdout; `jsonOnly: false` takes plain stdout as the value of a single id).
 */

/** Where a reference is written, for messages. @internal */
export interface SecretRefSite {
  /** The profile store. */
  readonly storeFile: string;
  /** The profile id. */
  readonly profileId: string;
  /** The JSON path of the reference, e.g. `profiles["anthropic:work"].keyRef`. */
  readonly jsonPath: string;
}

/** Who may run a secret provider's command: nobody, any configured command, or the listed paths. @internal */
export type ExecPermission = boolean | readonly string[];

/** What reading a reference needs. @internal */
export interface SecretSourceContext {
  /** The env (`env` refs, `passEnv`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The config's `secrets` block. */
  readonly settings: SecretsSettings;
  /** The home directory, for `~` in paths. */
  readonly homeDir?: string | undefined;
  /** The caller's opt-in to `exec` refs. */
  readonly allowExec: ExecPermission;
  /** Skip the ownership and permission checks (the resolver's `allowUnsafePermissions`). */
  readonly allowUnsafePermissions?: boolean | undefined;
}

const DEFAULT_FILE_MAX_BYTES = 1024 * 1024;
const DEFAULT_EXEC_TIMEOUT_MS = 5_000;
const DEFAULT_EXEC_MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Reads the value of one secret reference.
 *
 * @param site - where the reference is written
 * @param ref - the reference
 * @param context - env, providers, opt-ins
 * @returns the value (non-empty)
 * @throws AuthProfilesError `SECRET_REF_UNRESOLVED` naming the store, the JSON path, the ref and the fix
 * @internal
 */
export async function readSecretRef(site: SecretRefSite, ref: SecretRef, context: SecretSourceContext): Promise<string> {
  const fail = failure(site, ref);
  const provider = providerFor(ref, context, fail);
  let value: unknown;
  switch (provider.source) {
    case "env":
      value = readEnv(ref, provider, context, fail);
      break;
    case "file":
      value = await readFileRef(ref, provider, context, fail);
      break;
    case "exec":
      value = await runExecRef(ref, provider, context, fail);
      break;
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw fail("not_a_string", `it resolved to ${typeof value === "string" ? "an empty string" : `a ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}`}, not a secret`, "Point the reference at a non-empty string value.");
  }
  rememberSecrets(value);
  return value;
}

type Fail = (reason: string, problem: string, fix: string, extra?: { readonly secretFile?: string; readonly cause?: unknown }) => AuthProfilesError;

function failure(site: SecretRefSite, ref: SecretRef): Fail {
  const label = secretRefLabel(ref);
  return (reason, problem, fix, extra = {}) =>
    new AuthProfilesError("SECRET_REF_UNRESOLVED", `${site.jsonPath} of ${site.storeFile} (${label}) cannot be resolved: ${problem}.`, {
      hint: `${fix} Until then the profile "${site.profileId}" is skipped; the store keeps the reference unchanged.`,
      ...(extra.cause === undefined ? {} : { cause: extra.cause }),
      details: {
        file: site.storeFile,
        jsonPath: site.jsonPath,
        profileId: site.profileId,
        ref: label,
        reason,
        ...(extra.secretFile === undefined ? {} : { secretFile: extra.secretFile }),
      },
    });
}

function providerFor(ref: SecretRef, context: SecretSourceContext, fail: Fail): SecretProviderConfig {
  const { providers, defaults } = context.settings;
  const reading = providers.get(ref.provider);
  if (reading === undefined) {
    // OpenClaw: an env ref naming the default env alias needs no configured provider.
    if (ref.source === "env" && ref.provider === (defaults.env ?? DEFAULT_SECRET_PROVIDER)) return { source: "env" };
    throw fail(
      "provider_not_configured",
      `no secret provider "${ref.provider}" is configured`,
      `Add secrets.providers.${ref.provider} (source "${ref.source}") to the bot's config (openclaw.json), as OpenClaw reads it.`,
    );
  }
  if (!reading.ok) throw fail("provider_invalid", reading.problem, `Fix secrets.providers.${ref.provider} in the bot's config.`);
  if (reading.config.source !== ref.source) {
    throw fail(
      "provider_mismatch",
      `secret provider "${ref.provider}" has source "${reading.config.source}", not "${ref.source}"`,
      `Point the reference at a provider of source "${ref.source}", or fix secrets.providers.${ref.provider}.`,
    );
  }
  return reading.config;
}

function readEnv(ref: SecretRef, provider: Extract<SecretProviderConfig, { source: "env" }>, context: SecretSourceContext, fail: Fail): unknown {
  if (provider.allowlist !== undefined && !provider.allowlist.includes(ref.id)) {
    throw fail("not_allowlisted", `${ref.id} is not in secrets.providers.${ref.provider}.allowlist`, `Add ${ref.id} to that allowlist, or reference an allowed variable.`);
  }
  const value = Object.hasOwn(context.env, ref.id) ? context.env[ref.id] : undefined;
  if (typeof value !== "string" || value === "") {
    throw fail("env_missing", `the environment variable ${ref.id} is missing or empty`, `Set ${ref.id} in the bot's environment (or the config's env block).`);
  }
  return value;
}

function expandHome(path: string, homeDir: string | undefined): string {
  if (path === "~") return homeDir ?? homedir();
  if (path.startsWith("~/")) return join(homeDir ?? homedir(), path.slice(2));
  return path;
}

async function readFileRef(ref: SecretRef, provider: Extract<SecretProviderConfig, { source: "file" }>, context: SecretSourceContext, fail: Fail): Promise<unknown> {
  const mode = provider.mode ?? "json";
  if (mode === "singleValue" ? ref.id !== "value" : !ref.id.startsWith("/")) {
    throw fail(
      "invalid_id",
      mode === "singleValue" ? `provider "${ref.provider}" holds a single value, so the id must be "value"` : `the id must be an absolute JSON pointer (like "/providers/anthropic/apiKey")`,
      "Fix the reference's id.",
    );
  }
  const path = expandHome(provider.path, context.homeDir);
  if (!isAbsolute(path)) throw fail("provider_invalid", `secrets.providers.${ref.provider}.path must be an absolute path`, `Fix secrets.providers.${ref.provider}.path.`);
  let text: string;
  try {
    const file = await readCheckedFile(path, {
      maxBytes: provider.maxBytes ?? DEFAULT_FILE_MAX_BYTES,
      allowUnsafePermissions: provider.allowInsecurePath === true || context.allowUnsafePermissions === true,
    });
    if (file === null) throw fail("file_missing", `the secrets file ${path} does not exist`, `Create ${path} (mode 600), or fix secrets.providers.${ref.provider}.path.`, { secretFile: path });
    text = file.text.replace(/^\uFEFF/, "");
  } catch (error) {
    if (isAuthProfilesError(error, "SECRET_REF_UNRESOLVED")) throw error;
    if (isAuthProfilesError(error)) {
      // FILE_UNSAFE (owner, mode, symlink, directory) or STORE_IO: its message names the file, its hint the fix.
      throw fail(error.code === "FILE_UNSAFE" ? "file_unsafe" : "file_unreadable", error.message.replace(/\.$/, ""), error.hint ?? `Check ${path}.`, { secretFile: path, cause: error });
    }
    const what = error instanceof UnreadableFileError ? `${error.reason} (${error.fact})` : "I/O error";
    throw fail("file_unreadable", `the secrets file ${path} cannot be read: ${what}`, `Check ${path}.`, { secretFile: path, cause: error });
  }
  if (mode === "singleValue") return text.replace(/\r?\n$/, "");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw fail("file_unreadable", `the secrets file ${path} is not JSON`, `Fix ${path}, or set secrets.providers.${ref.provider}.mode to "singleValue" for a file that holds only the secret.`, { secretFile: path });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw fail("file_unreadable", `the secrets file ${path} is not a JSON object`, `Fix ${path}.`, { secretFile: path });
  }
  const value = readJsonPointer(parsed, ref.id);
  if (value === undefined) throw fail("not_found", `the secrets file ${path} has nothing at ${ref.id}`, `Add the value at ${ref.id} in ${path}, or fix the reference's id.`, { secretFile: path });
  return value;
}

async function runExecRef(ref: SecretRef, provider: Extract<SecretProviderConfig, { source: "exec" }>, context: SecretSourceContext, fail: Fail): Promise<unknown> {
  const configured = expandHome(provider.command, context.homeDir);
  if (context.allowExec === false) {
    throw fail(
      "exec_not_allowed",
      `it runs the command of secret provider "${ref.provider}", and running commands is off`,
      `Pass secretRefs: { allowExec: true } (or a list of allowed command paths) to createAuthResolver to let it run ${configured}.`,
    );
  }
  if (!isValidExecRefId(ref.id)) throw fail("invalid_id", `the id is not one OpenClaw sends to a command (letters, digits, ._:/#-, no "." or ".." segment)`, "Fix the reference's id.");
  if (!isAbsolute(configured)) throw fail("provider_invalid", `secrets.providers.${ref.provider}.command must be an absolute path`, `Fix secrets.providers.${ref.provider}.command.`);
  const command = await checkedCommand(configured, ref, provider, context, fail);
  const timeoutMs = provider.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const maxOutputBytes = provider.maxOutputBytes ?? DEFAULT_EXEC_MAX_OUTPUT_BYTES;
  const childEnv: Record<string, string> = {};
  for (const name of provider.passEnv ?? []) {
    const value = Object.hasOwn(context.env, name) ? context.env[name] : undefined;
    if (value !== undefined) childEnv[name] = value;
  }
  Object.assign(childEnv, provider.env ?? {});
  const request = JSON.stringify({ protocolVersion: 1, provider: ref.provider, ids: [ref.id] });
  const stdout = await new Promise<string>((done, reject) => {
    const child = childProcess().execFile(
      command,
      provider.args ?? [],
      { cwd: dirname(command), env: childEnv, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: maxOutputBytes, windowsHide: true, encoding: "utf8", shell: false },
      (error, out) => {
        if (error === null) return done(out);
        // Never the output: it may hold the secret. Only what happened.
        const code = (error as { code?: unknown }).code;
        const killed = (error as { killed?: boolean }).killed === true;
        const what =
          code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER"
            ? `its output exceeded ${maxOutputBytes} bytes`
            : killed
              ? `it did not finish within ${timeoutMs} ms`
              : typeof code === "number"
                ? `it exited with code ${code}`
                : typeof code === "string"
                  ? `it could not be started (${code})`
                  : "it failed";
        reject(fail("exec_failed", `the command ${command} of secret provider "${ref.provider}" failed: ${what}`, `Check that ${command} answers OpenClaw's exec protocol (protocolVersion 1) within secrets.providers.${ref.provider}.timeoutMs.`, { secretFile: command }));
      },
    );
    child.stdin?.on("error", () => undefined); // a command that does not read its input is fine
    child.stdin?.end(request);
  });
  return execValue(stdout, ref, provider.jsonOnly ?? true, fail, command);
}

async function checkedCommand(configured: string, ref: SecretRef, provider: Extract<SecretProviderConfig, { source: "exec" }>, context: SecretSourceContext, fail: Fail): Promise<string> {
  const unsafe = (problem: string, fix: string): AuthProfilesError => fail("command_unsafe", `the command ${configured} ${problem}`, fix, { secretFile: configured });
  let path = configured;
  let stats;
  try {
    stats = await lstat(path);
    if (stats.isSymbolicLink()) {
      if (provider.allowSymlinkCommand !== true) throw unsafe("is a symbolic link", `Point secrets.providers.${ref.provider}.command at the real file, or set allowSymlinkCommand: true with trustedDirs.`);
      path = await realpath(path);
      stats = await lstat(path);
    }
  } catch (error) {
    if (isAuthProfilesError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    throw unsafe(`cannot be inspected${typeof code === "string" ? ` (${code})` : ""}`, `Check secrets.providers.${ref.provider}.command.`);
  }
  if (!stats.isFile()) throw unsafe("is not a regular file", `Fix secrets.providers.${ref.provider}.command.`);
  const trusted = (provider.trustedDirs ?? []).map((dir) => resolvePath(expandHome(dir, context.homeDir)));
  if (trusted.length > 0 && !trusted.some((dir) => isInside(dir, path))) {
    throw unsafe(`resolves to ${path}, outside secrets.providers.${ref.provider}.trustedDirs`, "Add its directory to trustedDirs, or point the command elsewhere.");
  }
  if (Array.isArray(context.allowExec) && !context.allowExec.includes(configured) && !context.allowExec.includes(path)) {
    throw fail("exec_not_allowed", `the command ${configured} is not in the allowed commands`, `Add ${configured} to secretRefs.allowExec, or pass allowExec: true.`, { secretFile: configured });
  }
  const uid = typeof process.geteuid === "function" ? process.geteuid() : null;
  if (uid !== null && provider.allowInsecurePath !== true && context.allowUnsafePermissions !== true) {
    if (stats.uid !== uid) throw unsafe(`is owned by another user (uid ${stats.uid})`, `Run: chown $(id -un) ${path} (or set allowInsecurePath: true on secrets.providers.${ref.provider} if it is trusted).`);
    if ((stats.mode & 0o022) !== 0) throw unsafe(`can be changed by other users (mode 0${(stats.mode & 0o7777).toString(8)})`, `Run: chmod go-w ${path}.`);
  }
  return path;
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

function execValue(stdout: string, ref: SecretRef, jsonOnly: boolean, fail: Fail, command: string): unknown {
  const bad = (problem: string): AuthProfilesError =>
    fail("exec_failed", `the command ${command} of secret provider "${ref.provider}" ${problem}`, "Make the command print OpenClaw's exec reply: {\"protocolVersion\": 1, \"values\": {\"<id>\": \"<secret>\"}}.", { secretFile: command });
  const trimmed = stdout.trim();
  if (trimmed === "") throw bad("printed nothing");
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed) as unknown;
  } catch {
    if (!jsonOnly) return trimmed;
    throw bad("did not print JSON (set jsonOnly: false on the provider for a command that prints only the secret)");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    if (!jsonOnly && typeof parsed === "string") return parsed;
    throw bad("printed JSON that is not an object");
  }
  const reply = parsed as Record<string, unknown>;
  if (reply["protocolVersion"] !== 1) throw bad("replied without protocolVersion 1");
  const errors = reply["errors"];
  if (typeof errors === "object" && errors !== null && Object.hasOwn(errors, ref.id)) throw bad(`reported an error for id "${ref.id}"`);
  const values = reply["values"];
  if (typeof values !== "object" || values === null || Array.isArray(values)) throw bad('replied without "values"');
  if (!Object.hasOwn(values, ref.id)) throw bad(`replied without id "${ref.id}"`);
  return (values as Record<string, unknown>)[ref.id];
}
