/**
 * A bot that embeds auth-profiles: the dozen lines to copy. In your project, import from
 * `auth-profiles/anthropic` instead of `../src/anthropic.js`.
 *
 * Run it after onboarding (`npm run cli -- onboard --anthropic-api-key …`):
 * `npx tsx examples/embed-bot.ts "Say hello"` (agent from `AGENT_ID`, default `main`).
 *
 * @module
 */
import { createAnthropicClient } from "../src/anthropic.js";
import { isAuthProfilesError } from "../src/index.js";

// Picks the agent's profile per call (order, round-robin, cooldowns), refreshes OAuth, applies the
// configured cache TTL, and fails over to the next profile on 401/402/403/429/529.
const client = createAnthropicClient({ agentId: process.env["AGENT_ID"] ?? "main" });
try {
  const message = await client.messages.create({
    model: "claude-sonnet-4-6",
    max_tokens: 256,
    messages: [{ role: "user", content: process.argv[2] ?? "Say hello in one sentence." }],
  });
  for (const block of message.content) if (block.type === "text") process.stdout.write(`${block.text}\n`);
} catch (error) {
  // Library errors carry a stable code and the fix to try; never a secret.
  process.stderr.write(isAuthProfilesError(error) ? `Error [${error.code}]: ${error.message}\nHint: ${error.hint ?? "-"}\n` : `${String(error)}\n`);
  process.exitCode = 1;
} finally {
  await client.authResolver.close(); // waits for pending usage writes, stops file watchers
}
