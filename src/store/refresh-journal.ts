import type * as Crypto from "node:crypto";
import { lazyRequire } from "../io/lazy-require.js";
import { open, rm } from "node:fs/promises";
import { constants } from "node:fs";
import { dirname } from "node:path";
import { ensurePrivateDir, PRIVATE_FILE_MODE, writeFileAtomically } from "../io/atomic-write.js";
import { attachRedactedView, redactSecret } from "../model/redact.js";
import { readCheckedFile, UnreadableFileError } from "../io/read-checked-file.js";
import { AuthProfilesError } from "../model/errors.js";
import type { TokenRotation } from "../model/store.js";


const crypto = lazyRequire<typeof Crypto>("node:crypto");
/** The journal file beside a file store: `auth-profiles.json.refresh-journal`. @internal */
export const REFRESH_JOURNAL_SUFFIX = ".refresh-journal";

/**
 * A small append-only file of rotated OAuth pairs, one JSON object per line, mode 0600.
 *
 * @remarks
 * It lives beside the store, not inside `<store>.lock` (OpenClaw removes that directory). Appending
 * one line and fsyncing it is the cheapest durable step after the token endpoint answered: a few
 * hundred bytes, no rename, no re-serialisation of the store. Entries hold live tokens, so the file
 * is private like the store and is trimmed as soon as the store holds the pair.
 *
 * @internal
 */
export interface RefreshJournal {
  /** The journal file. */
  readonly path: string;
  /** Appends one entry and fsyncs it (and the directory when the file is new). */
  append(rotation: TokenRotation): Promise<void>;
  /** Every well-formed entry, oldest first; a missing file reads as none, a torn last line is skipped. */
  entries(): Promise<readonly TokenRotation[]>;
  /** Replaces the whole journal (atomically) with `rotations`; removes the file when none is left. */
  rewrite(rotations: readonly TokenRotation[]): Promise<void>;
}

/** The largest journal read: a handful of pending logins take a few KiB. */
const JOURNAL_MAX_BYTES = 1024 * 1024;

/** `"a"` without following a link at the journal (O_NOFOLLOW is undefined on Windows). */
const APPEND_NO_FOLLOW = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/**
 * Opens the journal at `path` (the file is created on the first append).
 *
 * @param path - the journal file
 * @returns the journal
 * @internal
 */
export function createRefreshJournal(path: string): RefreshJournal {
  return {
    path,
    async append(rotation) {
      await ensurePrivateDir(dirname(path));
      // Never through a link planted in place of the journal: it would receive the rotated tokens.
      const handle = await open(path, APPEND_NO_FOLLOW, PRIVATE_FILE_MODE);
      let created = false;
      try {
        created = (await handle.stat()).size === 0;
        await handle.write(journalLine(rotation));
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (created) await syncDir(dirname(path));
    },
    async entries() {
      // Not through a link, a FIFO or a huge file: the store's own directory check covers the rest.
      let text: string;
      try {
        const file = await readCheckedFile(path, { maxBytes: JOURNAL_MAX_BYTES, allowUnsafePermissions: true });
        if (file === null) return [];
        text = file.text;
      } catch (error) {
        if (!(error instanceof UnreadableFileError)) throw error;
        throw new AuthProfilesError("STORE_IO", `Could not read the refresh journal ${path} (${error.reason}: ${error.fact}).`, {
          hint: `Move ${path} away if it is not a file this library wrote; it holds rotated OAuth logins otherwise.`,
          cause: error,
          details: { file: path, reason: error.reason },
        });
      }
      return text.split("\n").flatMap((line) => {
        const entry = parseEntry(line);
        return entry === null ? [] : [entry];
      });
    },
    async rewrite(rotations) {
      if (rotations.length === 0) {
        await rm(path, { force: true });
        return;
      }
      await writeFileAtomically(path, rotations.map(journalLine).join(""));
    },
  };
}

/**
 * The digest a {@link TokenRotation} names the spent refresh token by: it tells which stored entry
 * the pair replaces without keeping the token itself.
 *
 * @param refreshToken - a refresh token
 * @returns hex SHA-256, 32 characters
 * @internal
 */
export function refreshTokenDigest(refreshToken: string): string {
  return crypto().createHash("sha256").update(refreshToken, "utf8").digest("hex").slice(0, 32);
}

function parseEntry(line: string): TokenRotation | null {
  if (line.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const strings = [v.profileId, v.access, v.refresh, v.replaces].every((s) => typeof s === "string" && s !== "");
  if (!strings || typeof v.expires !== "number" || !Number.isFinite(v.expires) || typeof v.at !== "number") return null;
  return maskedRotation({ profileId: v.profileId as string, access: v.access as string, refresh: v.refresh as string, expires: v.expires, replaces: v.replaces as string, at: v.at });
}

/**
 * Gives a rotation masked `toJSON()` and `util.inspect` views, so a journal entry that reaches a log
 * line or an error shows `sk-ant-oat01-…wxyz` at most. The journal itself is written field by field.
 *
 * @param rotation - a rotation
 * @returns the same object
 * @internal
 */
export function maskedRotation(rotation: TokenRotation): TokenRotation {
  return attachRedactedView(rotation, (r) => ({ ...journalFields(r), access: redactSecret(r.access), refresh: redactSecret(r.refresh) }));
}

function journalFields(r: TokenRotation): Record<string, unknown> {
  return { profileId: r.profileId, access: r.access, refresh: r.refresh, expires: r.expires, replaces: r.replaces, at: r.at };
}

/** One journal line, built from the fields (never through the masked `toJSON`). */
function journalLine(rotation: TokenRotation): string {
  return `${JSON.stringify(journalFields(rotation))}\n`;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsync still happened.
  }
}
