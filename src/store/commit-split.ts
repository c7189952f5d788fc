import { lstat } from "node:fs/promises";
import { AuthProfilesError } from "../model/errors.js";
import { fileIdentity, type FileIdentity } from "../io/file-identity.js";
import type { HeldFileLock } from "../io/lock.js";
import type { StoreData } from "../model/store.js";
import { hasLegacyState, mergeAuthState, splitAuthState, type JsonObject } from "./auth-state.js";
import { commitStoreText, type CommitOutcome, type CommitResult } from "./commit.js";
import { materializeStore } from "./kept-entries.js";
import { stringifyDocument } from "./incremental-json.js";
import type { OwnWrites } from "./own-writes.js";
import type { StoreSnapshot } from "./read-store-file.js";
import { validateStore } from "./validate.js";

/**
 * What one update of a split store (OpenClaw ≥ 2026.4.7) writes: up to three renames, in this
 * order, each only when its text differs from what is on disk.
 * @internal
 */
export interface SplitWrite {
  /**
   * The state file holding the state as it was read (the merged view unchanged), written first
   * when the credentials file still carries state of its own that this update strips from it;
   * else `null`.
   */
  readonly migration: string | null;
  /** The new `auth-profiles.json`: `version`, `profiles` and every other field that is not state. */
  readonly credentials: string;
  /** The new `auth-state.json`: `version`, `order`, `lastGood`, `usageStats` and its own extra fields. */
  readonly state: string;
  /** The document whose JSON `credentials` is (what a reader of the file gets back). */
  readonly credentialsDocument: JsonObject;
  /** The document whose JSON `state` is. */
  readonly stateDocument: JsonObject;
}

/** How a split commit ended, and the identity of each file afterwards when it is provably known. @internal */
export interface SplitCommitResult {
  /** The outcome of the first step that did not commit, else `committed`. */
  readonly outcome: CommitOutcome;
  /** `auth-profiles.json` as it is now (renamed by this commit, or as the update found it), else `null`. */
  readonly credentials: FileIdentity | null;
  /** `auth-state.json` as it is now, else `null`. */
  readonly state: FileIdentity | null;
}

/**
 * Splits the document an update produced into the texts of the two files.
 *
 * @remarks
 * The two documents are merged again before anything is written: a split that would not read back
 * as `next` is a bug, reported as `STORE_INVALID` with nothing written. When the merge gives back
 * every section as the very same object, the texts (each exactly its document's JSON) read back as
 * `next`; otherwise the texts themselves are parsed, validated and compared.
 *
 * @param next - the validated document to write
 * @param current - the store as the update read it, with its state file
 * @param path - the store file, for messages
 * @returns the texts
 * @throws AuthProfilesError `STORE_INVALID` when the texts would not read back as `next`
 * @internal
 */
export function planSplitWrite(next: StoreData, current: StoreSnapshot, path: string): SplitWrite {
  const previousState = current.state?.raw ?? undefined;
  const plain = materializeStore(next);
  const { credentials, state } = splitAuthState(plain, previousState);
  const write: SplitWrite = {
    migration: migrationText(current, previousState),
    credentials: documentText(credentials),
    state: documentText(state),
    credentialsDocument: credentials,
    stateDocument: state,
  };
  // Each text is exactly its document's JSON (the incremental serializer is JSON.stringify's
  // output): when merging the two documents gives back every section of `plain` as the very same
  // object, the texts read back as `plain`. Otherwise they are parsed and read back to make sure.
  if (mergesBack(credentials, state, plain)) return write;
  const back = materializeStore(validateStore(mergeAuthState(JSON.parse(write.credentials) as JsonObject, JSON.parse(write.state) as JsonObject), path, "read"));
  if (canonical(back) !== canonical(plain)) {
    throw new AuthProfilesError("STORE_INVALID", `The update of profile store ${path} would not read back as written once split into ${current.state?.path ?? "auth-state.json"}; nothing was written.`, {
      hint: "A store update produced a document that cannot be split as OpenClaw splits it. This is a bug in the caller's mutator.",
      details: { file: path, jsonPath: "(root)", reason: "schema", issues: [] },
    });
  }
  return write;
}

/**
 * Commits a {@link SplitWrite} under the store lock: the migration (if any), then the credentials,
 * then the state, each with the checks of {@link commitStoreText} (lock still held, file still the
 * one read) right before its rename.
 *
 * @remarks
 * Why credentials first: a refreshed OAuth login (whose old refresh token is spent) reaches disk
 * before anything else, and a reader that reads the state file first (as `readStoreFiles` does)
 * never sees the new state with the old credentials. A crash between the renames leaves the new
 * credentials with the old state: per profile, the old state, the new state, or the new credential
 * with its old usage entry — never an old credential with new state, never a lost credential. The
 * migration step only copies state that the credentials write is about to strip into the state
 * file first, so a crash after it changes nothing that a reader sees.
 *
 * When a check fails after an earlier rename of the same update, the outcome says so (`changed`,
 * `lock-lost`) and the caller re-reads and re-applies its mutator on top of what was committed.
 *
 * @param write - the texts
 * @param current - the store as the update read it, with its state file
 * @param path - the store file
 * @param lock - the lock the update holds
 * @param own - the own-write trackers of the two files
 * @returns the outcome of the first step that did not commit, else `committed`, with the files' identities
 * @throws AuthProfilesError `STORE_IO` when a file cannot be written
 * @internal
 */
export async function commitSplitWrite(
  write: SplitWrite,
  current: StoreSnapshot,
  path: string,
  lock: HeldFileLock,
  own: { readonly credentials: OwnWrites; readonly state: OwnWrites },
): Promise<SplitCommitResult> {
  const statePath = current.state?.path;
  if (statePath === undefined) throw new Error("commitSplitWrite needs a snapshot with its state file");
  let stateText = current.state?.text ?? null;
  let stateIdentity = current.state?.identity ?? null;
  let credentialsIdentity = current.identity;
  const stopped = (outcome: CommitOutcome): SplitCommitResult => ({ outcome, credentials: null, state: null });
  if (write.migration !== null && write.migration !== stateText) {
    const step = await commitTracked(statePath, write.migration, stateIdentity, lock, own.state);
    if (step.outcome !== "committed") return stopped(step.outcome);
    stateText = write.migration;
    stateIdentity = await identityNow(statePath);
  }
  if (write.credentials !== current.text) {
    const step = await commitTracked(path, write.credentials, current.identity, lock, own.credentials);
    if (step.outcome !== "committed") return stopped(step.outcome);
    credentialsIdentity = step.identity;
  }
  if (write.state !== stateText) {
    const step = await commitTracked(statePath, write.state, stateIdentity, lock, own.state);
    if (step.outcome !== "committed") return stopped(step.outcome);
    stateIdentity = step.identity;
  }
  return { outcome: "committed", credentials: credentialsIdentity, state: stateIdentity };
}

async function commitTracked(path: string, text: string, expected: FileIdentity | null, lock: HeldFileLock, own: OwnWrites): Promise<{ readonly outcome: CommitOutcome; readonly identity: FileIdentity | null }> {
  own.begin();
  let result: CommitResult;
  try {
    result = await commitStoreText(path, text, expected, lock);
  } catch (error) {
    own.failed();
    throw error;
  }
  if (result.outcome !== "committed") {
    own.failed();
    return { outcome: result.outcome, identity: null };
  }
  return { outcome: "committed", identity: await own.written(result.written) };
}

/** Whether merging the split documents gives back exactly the sections of `plain` (the same objects, the same keys). */
function mergesBack(credentials: JsonObject, state: JsonObject, plain: JsonObject): boolean {
  const merged = mergeAuthState(credentials, state);
  const keys = Object.keys(plain);
  if (Object.keys(merged).length !== keys.length) return false;
  return keys.every((key) => Object.hasOwn(merged, key) && merged[key] === plain[key]);
}

/** The state the credentials file still carries is copied into the state file before it is stripped. */
function migrationText(current: StoreSnapshot, previousState: JsonObject | undefined): string | null {
  if (current.raw === null || !hasLegacyState(current.raw)) return null;
  return documentText(splitAuthState(materializeStore(current.data), previousState).state);
}

async function identityNow(path: string): Promise<FileIdentity | null> {
  try {
    return fileIdentity(await lstat(path, { bigint: true }));
  } catch {
    return null;
  }
}

/** 2-space JSON with a final newline, as OpenClaw writes both files. */
function documentText(document: JsonObject): string {
  return `${stringifyDocument(document)}\n`;
}

/** JSON with object keys sorted, so two documents that differ only in key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, each: unknown) => {
    if (typeof each !== "object" || each === null || Array.isArray(each)) return each;
    const sorted: JsonObject = {};
    for (const key of Object.keys(each).sort()) Object.defineProperty(sorted, key, { value: (each as JsonObject)[key], enumerable: true, writable: true, configurable: true });
    return sorted;
  });
}
