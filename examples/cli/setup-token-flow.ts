import { saveToken, validateSetupToken } from "../../src/index.js";
import { nowOf, type CliLocation } from "./context.js";
import { parseDurationMs } from "./duration.js";
import type { CliIo } from "./io.js";
import { printSaved } from "./saved.js";
import { readSecret } from "./secret-input.js";

/** Options of {@link pasteSetupToken}. */
export interface PasteSetupTokenOptions {
  /** A token given as a flag (`onboard --token`); else prompt or stdin. */
  readonly token?: string | undefined;
  /** The profile id. Default `anthropic:manual`. */
  readonly profileId?: string | undefined;
  /** `--expires-in` text, e.g. `365d`. */
  readonly expiresIn?: string | undefined;
  /** The flag name of `expiresIn`, for errors. */
  readonly expiresInFlag: string;
  /** `false` with `--non-interactive`. */
  readonly interactive: boolean;
}

const PASTE_HINT =
  "Pipe the token in: `claude setup-token` prints it; then `npm run cli -- models auth paste-token --provider anthropic < token.txt` (or paste it on a terminal).";

/**
 * Reads a setup-token (flag, hidden prompt or stdin), validates it and saves it as a `token` profile.
 *
 * @param io - the CLI's streams
 * @param location - agent and state dir
 * @param options - token source, profile id, expiry
 * @throws AuthProfilesError `TOKEN_INVALID` for a bad paste; CliUsageError for a bad `--expires-in`
 */
export async function pasteSetupToken(io: CliIo, location: CliLocation, options: PasteSetupTokenOptions): Promise<void> {
  const expiresInMs = options.expiresIn === undefined ? undefined : parseDurationMs(options.expiresIn, options.expiresInFlag);
  const pasted = await readSecret(io, {
    message: "Paste Anthropic setup-token",
    given: options.token,
    interactive: options.interactive,
    hint: PASTE_HINT,
    validate: (value) => {
      try {
        validateSetupToken(value);
        return true;
      } catch (error) {
        return error instanceof Error ? error.message : "Invalid setup-token.";
      }
    },
  });
  // saveToken validates (its TOKEN_INVALID hint names this CLI's commands); the mask needs the cleaned token.
  const saved = await saveToken({
    ...location,
    token: pasted,
    ...(options.profileId === undefined ? {} : { profileId: options.profileId }),
    ...(expiresInMs === undefined ? {} : { expiresAt: nowOf(io) + expiresInMs }),
  });
  const token = validateSetupToken(pasted);
  printSaved(io, location, saved, "setup-token", token);
}
