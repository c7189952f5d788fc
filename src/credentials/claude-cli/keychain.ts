import type * as ChildProcess from "node:child_process";
import { lazyRequire } from "../../io/lazy-require.js";

/** Loaded on the first Keychain read (macOS only): not at import. */
const childProcess = lazyRequire<typeof ChildProcess>("node:child_process");

/** `security` exits with this status when the item does not exist. */
const ITEM_NOT_FOUND_EXIT_CODE = 44;
/** Default time allowed for one `security` call. @internal */
export const KEYCHAIN_TIMEOUT_MS = 10_000;
/** Largest password read; Claude Code's login is about 1 KiB. */
const MAX_PASSWORD_BYTES = 1024 * 1024;

/** Options of {@link readKeychainPassword}. @internal */
export interface KeychainReadOptions {
  /** The generic-password service, e.g. `Claude Code-credentials`. */
  readonly service: string;
  /** The `security` executable. Default `security` (from `PATH`); tests pass a stand-in. */
  readonly command?: string | undefined;
  /** Kill `security` after this long. Default {@link KEYCHAIN_TIMEOUT_MS}. */
  readonly timeoutMs?: number | undefined;
}

/** Why the Keychain could not be read; carries no output of `security`. @internal */
export class KeychainReadError extends Error {
  /** A short reason: an exit status or a signal. */
  readonly reason: string;

  /**
   * @param reason - a short reason: an exit status or a signal
   * @param cause - a secret-free error describing it
   */
  constructor(reason: string, cause: unknown) {
    super(`security find-generic-password failed (${reason})`, { cause });
    this.name = "KeychainReadError";
    this.reason = reason;
  }
}

/**
 * Reads a generic password from the macOS login Keychain with
 * `security find-generic-password -s <service> -w` (no shell; the service is one argument).
 *
 * @param options - service, command and timeout
 * @returns the password (trailing newline removed), or `null` when the item does not exist or
 *   `security` is not installed
 * @throws KeychainReadError when `security` fails otherwise (locked Keychain, access denied, timeout)
 * @internal
 */
export function readKeychainPassword(options: KeychainReadOptions): Promise<string | null> {
  const command = options.command ?? "security";
  return new Promise((resolve, reject) => {
    childProcess().execFile(
      command,
      ["find-generic-password", "-s", options.service, "-w"],
      { encoding: "utf8", timeout: options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS, maxBuffer: MAX_PASSWORD_BYTES, windowsHide: true },
      (error, stdout) => {
        if (error === null) return resolve(stdout.replace(/\r?\n$/, ""));
        const code: unknown = (error as { code?: unknown }).code;
        if (code === ITEM_NOT_FOUND_EXIT_CODE || code === "ENOENT") return resolve(null);
        const signal: unknown = (error as { signal?: unknown }).signal;
        const reason = typeof signal === "string" && signal !== "" ? `killed by ${signal}` : `exit ${String(code)}`;
        // stderr may echo part of the item; it is deliberately dropped.
        reject(new KeychainReadError(reason, new Error(reason)));
      },
    );
  });
}
