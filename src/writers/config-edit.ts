import * as v from "valibot";
import { withFileLock } from "../io/lock.js";
import { configInvalidError } from "../config/config-errors.js";
import { readConfigFile, writeConfigFile } from "../config/config-file.js";
import { summarizeIssue } from "../config/issue-path.js";
import { parseConfigText } from "../config/parse-text.js";
import { plainObject } from "../config/schema.js";
import { lazySchema } from "../model/lazy-schema.js";

/** Just the shape an `auth` edit needs; the rest of the file is kept as written. */
const EditableConfigSchema = lazySchema(() =>
  v.looseObject({
    auth: v.optional(
      plainObject(
        v.looseObject({
          profiles: v.optional(plainObject(v.record(v.string(), plainObject(v.looseObject({}))))),
          order: v.optional(plainObject(v.record(v.string(), v.array(v.string())))),
        }),
      ),
    ),
  }),
);

/**
 * Edits the bot config under its lock: re-reads it, checks the `auth` block can be edited safely,
 * applies `edit`, and writes atomically only when something changed (a missing file is created
 * only when `edit` adds something).
 *
 * @param configPath - the config file
 * @param edit - returns the new raw document; must not mutate its input
 * @returns whether the file changed
 * @throws AuthProfilesError `CONFIG_PARSE` / `CONFIG_INVALID` (the file is not touched),
 *   `STORE_LOCKED`, `STORE_IO`
 * @internal
 */
export async function editConfig(configPath: string, edit: (raw: Record<string, unknown>) => Record<string, unknown>): Promise<boolean> {
  return withFileLock(configPath, async (lockLost) => {
    const text = await readConfigFile(configPath);
    const raw = text === undefined ? {} : parseConfigText(text, configPath);
    const parsed = v.safeParse(EditableConfigSchema, raw, { abortEarly: false });
    if (!parsed.success) throw configInvalidError(configPath, parsed.issues.map((issue) => summarizeIssue(issue)));
    const next = edit(raw);
    if (JSON.stringify(next) === JSON.stringify(raw)) return false;
    lockLost.throwIfAborted();
    await writeConfigFile(configPath, next, text);
    return true;
  });
}

/**
 * A plain-object view of a value (`{}` for anything else).
 *
 * @param value - anything
 * @returns the object, or `{}`
 * @internal
 */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
