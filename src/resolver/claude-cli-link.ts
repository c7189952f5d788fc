import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import { tokenExpiryState } from "../model/token-expiry.js";
import { credentialFromStored } from "../credentials/stored.js";
import type { Credential } from "../model/credential.js";
import { AuthProfilesError, isAuthProfilesError } from "../model/errors.js";
import { isKnownCredential } from "../credentials/stored.js";
import type { StoredCredential, UnknownProfile } from "../model/store.js";

/** The Claude Code login as the status report sees it. @internal */
export interface ClaudeCliProbe {
  /** The credential that would be sent, or `null`. */
  readonly credential: Credential | null;
  /** Why there is none, or `null`. */
  readonly error: AuthProfilesError | null;
}


/** A live reader of Claude Code's login (cached, watched). @internal */
export interface ClaudeCliReader {
  /** The current login; throws `CLAUDE_CLI_EXPIRED` / `CLAUDE_CLI_INVALID`. */
  read(): Promise<Credential>;
  /** Stops watching. */
  close(): void;
}

/**
 * Joins the live Claude Code login with an `anthropic:claude-cli` entry that OpenClaw's older sync
 * may have written into the store: the store entry is used only while it is unexpired and fresher
 * than the live login, and is never refreshed (that would log Claude Code out).
 *
 * @internal
 */
export class ClaudeCliLink {
  readonly #reader: ClaudeCliReader;
  readonly #now: () => number;

  /**
   * @param reader - the live reader
   * @param now - clock
   */
  constructor(reader: ClaudeCliReader, now: () => number) {
    this.#reader = reader;
    this.#now = now;
  }

  /**
   * @param storeEntry - the store's `anthropic:claude-cli` entry, if any
   * @returns the credential to send
   * @throws AuthProfilesError `CLAUDE_CLI_EXPIRED` / `CLAUDE_CLI_INVALID` when neither source has a usable token
   */
  async credential(storeEntry: StoredCredential | undefined): Promise<Credential> {
    const unusableExpiry = storeEntry?.type === "token" && tokenExpiryState(storeEntry.expires, this.#now()) === "invalid";
    const synced = storeEntry === undefined || storeEntry.type === "api_key" || unusableExpiry ? null : credentialFromStored(CLAUDE_CLI_PROFILE_ID, storeEntry);
    const syncedUsable = synced !== null && (synced.expiresAt === null || synced.expiresAt > this.#now());
    let live: Credential;
    try {
      live = await this.#reader.read();
    } catch (error) {
      if (syncedUsable) return synced;
      throw error;
    }
    if (syncedUsable && (synced.expiresAt ?? Number.POSITIVE_INFINITY) > (live.expiresAt ?? Number.POSITIVE_INFINITY)) return synced;
    return live;
  }

  /**
   * Reads the login for the status report, without throwing.
   *
   * @param storeEntry - the store's `anthropic:claude-cli` entry, if any
   * @returns the credential, or the error that reading it raised
   */
  async probe(storeEntry: StoredCredential | UnknownProfile | undefined): Promise<ClaudeCliProbe> {
    try {
      const known = storeEntry !== undefined && isKnownCredential(storeEntry) ? storeEntry : undefined;
      return { credential: await this.credential(known), error: null };
    } catch (error) {
      return { credential: null, error: isAuthProfilesError(error) ? error : new AuthProfilesError("CLAUDE_CLI_INVALID", "Could not read the Claude Code login.", { cause: error }) };
    }
  }

  /** Stops the reader. */
  close(): void {
    this.#reader.close();
  }
}
