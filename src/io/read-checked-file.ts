import type { BigIntStats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { isAuthProfilesError } from "../model/errors.js";
import { assertSafeDirectory, assertSafeOpenedFile, safeReadFlags, symlinkError, type FileSafetyOptions } from "./file-safety.js";
import { fileIdentity, type FileIdentity } from "./file-identity.js";

/** Options of {@link readCheckedFile}. @internal */
export interface ReadCheckedFileOptions extends FileSafetyOptions {
  /** A larger file is refused without being read to the end. */
  readonly maxBytes: number;
  /**
   * The caller has just checked the directory (`assertSafeDirectory`) for a file beside this one,
   * so the check is not repeated: an error about the directory then names the caller's file.
   */
  readonly directoryChecked?: boolean;
}

/** A credential file as read. @internal */
export interface CheckedFile {
  /** The content, decoded as strict UTF-8 (a byte order mark is kept). */
  readonly text: string;
  /** Its identity when it was opened, to tell later whether it was replaced. */
  readonly identity: FileIdentity;
  /** Its `fstat` when it was opened (for checks a caller makes after reading). */
  readonly stats: BigIntStats;
}

/** Why a file could not be read: each caller turns it into its own error code. @internal */
export type UnreadableReason = "not-regular" | "too-large" | "not-utf8" | "io";

/** A file that exists but cannot be used, for a reason other than safety. @internal */
export class UnreadableFileError extends Error {
  /** What is wrong. */
  readonly reason: UnreadableReason;
  /** The errno code (`io`), the kind of file (`not-regular`), or the size limit (`too-large`). */
  readonly fact: string;

  /**
   * @param path - the file
   * @param reason - what is wrong
   * @param fact - errno code, file kind or limit
   * @param cause - the underlying error
   */
  constructor(path: string, reason: UnreadableReason, fact: string, cause?: unknown) {
    super(`${path}: ${reason} (${fact})`, cause === undefined ? undefined : { cause });
    this.name = "UnreadableFileError";
    this.reason = reason;
    this.fact = fact;
  }
}

const READ_CHUNK_BYTES = 64 * 1024;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads a file that holds credentials, checking it on the opened handle: the directory is checked
 * first (see `assertSafeDirectory`), then the file is opened without following a link and without
 * blocking (a FIFO opens at once), and its `fstat` decides: anything but a regular file is refused
 * before a byte is read (a FIFO would hang the reader, `/dev/zero` never ends), then ownership and
 * mode (see `assertSafeOpenedFile`), then the size. The bytes must be valid UTF-8: a silent U+FFFD
 * replacement would be written back as different bytes.
 *
 * @param path - the file
 * @param options - the size limit and the permission opt-out
 * @returns the text and identity, or `null` when the file does not exist
 * @throws AuthProfilesError `FILE_UNSAFE`; {@link UnreadableFileError} for everything else
 * @internal
 */
export async function readCheckedFile(path: string, options: ReadCheckedFileOptions): Promise<CheckedFile | null> {
  if (options.directoryChecked !== true) await assertSafeDirectory(path, options);
  let handle: FileHandle;
  try {
    handle = await open(path, safeReadFlags(options));
  } catch (error) {
    const code = errnoOf(error);
    if (code === "ENOENT") return null;
    if (code === "ELOOP") throw symlinkError(path);
    // A UNIX socket cannot be opened at all.
    if (code === "ENXIO") throw new UnreadableFileError(path, "not-regular", "socket", error);
    throw new UnreadableFileError(path, "io", code, error);
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new UnreadableFileError(path, "not-regular", kindOf(stats));
    assertSafeOpenedFile(path, stats, options);
    if (stats.size > BigInt(options.maxBytes)) throw new UnreadableFileError(path, "too-large", String(options.maxBytes));
    const bytes = await readAtMost(handle, path, options.maxBytes, Number(stats.size));
    let text: string;
    try {
      text = STRICT_UTF8.decode(bytes);
    } catch (error) {
      throw new UnreadableFileError(path, "not-utf8", "invalid byte sequence", error);
    }
    return { text, identity: fileIdentity(stats), stats };
  } catch (error) {
    if (error instanceof UnreadableFileError || isAuthProfilesError(error)) throw error;
    throw new UnreadableFileError(path, "io", errnoOf(error), error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Reads to the end, but never more than `maxBytes` (the file may grow after its fstat). The first
 * read asks for one byte more than the size `fstat` gave: a regular file that did not change is
 * read whole by one call, and the short read shows its end.
 */
async function readAtMost(handle: FileHandle, path: string, maxBytes: number, sizeHint: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let buffer = Buffer.allocUnsafe(Math.min(sizeHint, maxBytes) + 1);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    total += bytesRead;
    if (total > maxBytes) throw new UnreadableFileError(path, "too-large", String(maxBytes));
    if (bytesRead > 0) chunks.push(buffer.subarray(0, bytesRead));
    if (bytesRead < buffer.length) return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
    buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  }
}

function kindOf(stats: BigIntStats): string {
  if (stats.isFIFO()) return "FIFO";
  if (stats.isCharacterDevice()) return "character device";
  if (stats.isBlockDevice()) return "block device";
  if (stats.isDirectory()) return "directory";
  if (stats.isSocket()) return "socket";
  return "not a regular file";
}

function errnoOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "I/O error";
}
