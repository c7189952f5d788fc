import { CliUsageError } from "./errors.js";

/**
 * Checks `--provider`: this CLI (and the library's env and setup-token support) is for Anthropic.
 *
 * @param provider - the flag value
 * @returns `anthropic`
 * @throws CliUsageError for any other provider
 */
export function checkProvider(provider: string | undefined): "anthropic" {
  const value = (provider ?? "anthropic").trim().toLowerCase();
  if (value !== "anthropic") throw new CliUsageError(`Unsupported provider "${provider ?? ""}".`, "Use --provider anthropic.");
  return "anthropic";
}
