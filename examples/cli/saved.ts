import { redactSecret } from "../../src/index.js";
import { agentFlag, type CliLocation } from "./context.js";
import { writeLine, type CliIo } from "./io.js";

/** What a writer returned, and what was saved (for the masked echo). */
export interface SavedProfile {
  /** The profile id written. */
  readonly profileId: string;
  /** The store file. */
  readonly storePath: string;
  /** The config file that records it, or `null`. */
  readonly configPath: string | null;
  /** `true` when an existing credential under this id was replaced. */
  readonly replaced?: boolean;
  /** `true` when surrounding whitespace was removed. */
  readonly trimmed?: boolean;
}

/**
 * Confirms a save without echoing the secret: the profile id and the masked value only.
 *
 * @param io - the CLI's streams
 * @param location - for the suggested next command
 * @param saved - the writer's result
 * @param what - e.g. `API key`, `setup-token`
 * @param secret - the saved secret, shown only through `redactSecret`; `null` when there is none
 */
export function printSaved(io: CliIo, location: CliLocation, saved: SavedProfile, what: string, secret: string | null): void {
  writeLine(io.stdout, `Saved ${what} as ${saved.profileId}${secret === null ? "" : ` (${redactSecret(secret)})`}.`);
  if (saved.trimmed === true) writeLine(io.stdout, "  Removed whitespace around the pasted value (a trailing newline, say).");
  if (saved.replaced === true) writeLine(io.stdout, `  Replaced the credential ${saved.profileId} held before.`);
  writeLine(io.stdout, `  store:  ${saved.storePath}`);
  writeLine(io.stdout, `  config: ${saved.configPath ?? "(none)"}`);
  writeLine(io.stdout, `Check it with: npm run cli -- models status${agentFlag(location)}`);
}
