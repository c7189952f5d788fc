import { describe, expect, it } from "vitest";
import { AuthProfilesError } from "../../src/model/errors.js";
import { buildAuthStatus } from "../../src/status/build.js";
import { formatAuthStatus } from "../../src/status/format.js";
import { cliCredential, CONFIG_PATH, DAY, HOUR, leakedSlices, MINUTE, NOW, SECRETS, STORE_PATH, statusInput, storeData } from "./fixtures.js";

/** The line of a profile (or env variable) in the text. */
function lineOf(text: string, id: string): string {
  const found = text.split("\n").find((line) => line.trimStart().startsWith(`${id} `));
  if (found === undefined) throw new Error(`no line for ${id} in:\n${text}`);
  return found;
}

const everyState = () =>
  statusInput({
    config: {
      auth: {
        profiles: {
          "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" },
          "anthropic:default": { provider: "anthropic", mode: "api_key" },
          "anthropic:work": { provider: "anthropic", mode: "api_key" },
          "anthropic:billing": { provider: "anthropic", mode: "api_key" },
          "anthropic:manual": { provider: "anthropic", mode: "token" },
          "anthropic:old": { provider: "anthropic", mode: "token" },
          "anthropic:forever": { provider: "anthropic", mode: "token" },
          "anthropic:gone": { provider: "anthropic", mode: "token" },
        },
      },
      agents: {
        defaults: {
          model: { primary: "anthropic/claude-opus-4-5" },
          models: { "anthropic/claude-opus-4-5": { params: { cacheControlTtl: "1h" } }, "anthropic/claude-haiku-4-5": {} },
        },
      },
    },
    data: storeData(
      {
        "anthropic:default": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey },
        "anthropic:work": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey2 },
        "anthropic:billing": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey2 },
        "anthropic:manual": { type: "token", provider: "anthropic", token: SECRETS.token, expires: NOW + 5 * HOUR },
        "anthropic:old": { type: "token", provider: "anthropic", token: SECRETS.token2, expires: NOW - 2 * DAY },
        "anthropic:forever": { type: "token", provider: "anthropic", token: SECRETS.token2 },
        "anthropic:stray": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey },
      },
      {
        usageStats: {
          "anthropic:work": { cooldownUntil: NOW + 4 * MINUTE, cooldownReason: "rate_limit" },
          "anthropic:billing": { disabledUntil: NOW + 3 * HOUR, disabledReason: "billing" },
        },
      },
    ),
    env: { ANTHROPIC_API_KEY: SECRETS.envKey },
    claudeCli: { credential: null, error: new AuthProfilesError("CLAUDE_CLI_EXPIRED", "The Claude Code login expired.", { details: { expiresAt: NOW - HOUR } }) },
  });

describe(formatAuthStatus.name, () => {
  it("starts with the agent, store path, config path and model", () => {
    const text = formatAuthStatus(buildAuthStatus(everyState()));
    expect(text.split("\n").slice(0, 4)).toEqual([
      "Agent: main",
      `  store:  ${STORE_PATH}`,
      `  config: ${CONFIG_PATH}`,
      "  model:  anthropic/claude-opus-4-5",
    ]);
  });

  it("shows the effective source and counts per provider", () => {
    const text = formatAuthStatus(buildAuthStatus(everyState()));
    expect(text).toContain(`anthropic: profiles:${STORE_PATH} (9 profiles, 5 usable: 2 tokens, 3 API keys)`);
  });

  it("shows one line per profile with masked secret, kind, state and what to do", () => {
    const text = formatAuthStatus(buildAuthStatus(everyState()));
    expect(lineOf(text, "anthropic:default")).toMatch(/^ {2}anthropic:default +sk-ant-api03-…wxyz +api_key +ok$/);
    expect(lineOf(text, "anthropic:forever")).toMatch(/token:sk-ant-oat01-…oooo +token +ok \(no expiry\)$/);
    expect(lineOf(text, "anthropic:work")).toMatch(/api_key +cooldown 4m \(rate_limit\) +→ clear early: `npm run cli -- models auth clear-cooldown anthropic:work`$/);
    expect(lineOf(text, "anthropic:billing")).toMatch(/disabled:billing 3h +→ top up credits, then clear early: `npm run cli -- models auth clear-cooldown anthropic:billing`$/);
    expect(lineOf(text, "anthropic:manual")).toMatch(
      /token:sk-ant-oat01-…tttt +token +expiring in 5h +→ paste a new setup-token: `npm run cli -- models auth paste-token --provider anthropic`$/,
    );
    expect(lineOf(text, "anthropic:old")).toMatch(/expired \(2d ago\) +→ paste a new setup-token: .* --profile-id anthropic:old`$/);
    expect(lineOf(text, "anthropic:gone")).toMatch(/missing +token +missing +→ run `claude setup-token`, then: .*paste-token --provider anthropic --profile-id anthropic:gone`$/);
    expect(lineOf(text, "anthropic:claude-cli")).toMatch(/Claude Code login \(unavailable\) +oauth +expired \(1h ago\) +→ The Claude Code login expired\. Run `claude` on this host to sign in again, or use a setup-token: /);
    expect(lineOf(text, "anthropic:stray")).toMatch(/ignored +→ "anthropic:stray" is not declared in the config's auth.profiles/);
    expect(lineOf(text, "env:ANTHROPIC_API_KEY")).toMatch(/sk-ant-api03-…envk +api_key +not used +→ profiles come first$/);
  });

  it("aligns the columns of a provider's table", () => {
    const text = formatAuthStatus(buildAuthStatus(everyState()));
    const positions = ["anthropic:default", "anthropic:work", "env:ANTHROPIC_API_KEY"].map((id) => lineOf(text, id).indexOf("sk-ant-api03-"));
    expect(new Set(positions).size).toBe(1);
  });

  it("adds --agent to the commands it suggests for another agent", () => {
    const input = everyState();
    const text = formatAuthStatus(buildAuthStatus({ ...input, agentId: "work" }));
    expect(lineOf(text, "anthropic:work")).toContain("models auth clear-cooldown anthropic:work --agent work");
  });

  it("says whether each model's cache TTL applies and why", () => {
    const input = everyState();
    const text = formatAuthStatus(buildAuthStatus({ ...input, config: { ...input.config, auth: {} }, data: storeData({ "anthropic:default": { type: "api_key", provider: "anthropic", key: SECRETS.apiKey } }), claudeCli: null }));
    expect(text).toContain("Prompt cache (cacheControlTtl):");
    expect(text).toMatch(/ {2}anthropic\/claude-opus-4-5 +1h +applied: applied to cache_control breakpoints \(api_key\)/);
    expect(text).toMatch(/ {2}anthropic\/claude-haiku-4-5 +- +not applied: no TTL configured/);
  });

  it("says that subscription auth ignores the TTL", () => {
    const input = statusInput({
      config: { agents: { defaults: { model: "anthropic/claude-opus-4-5", models: { "anthropic/claude-opus-4-5": { params: { cacheControlTtl: "1h" } } } } } },
      data: storeData({ "anthropic:manual": { type: "token", provider: "anthropic", token: SECRETS.token } }),
    });
    expect(formatAuthStatus(buildAuthStatus(input))).toContain("not applied: subscription auth (token/oauth) ignores cacheControlTtl");
  });

  it("tells a person with no credential what to run", () => {
    const text = formatAuthStatus(buildAuthStatus(statusInput({ configPath: null })));
    expect(text).toContain("  config: (none)");
    expect(text).toContain("anthropic: missing: run `claude setup-token`");
    expect(text).toContain("  (no profiles)");
    expect(text).toContain("Prompt cache: no Anthropic model configured for this agent.");
  });

  it("shows an env credential in use", () => {
    const text = formatAuthStatus(buildAuthStatus(statusInput({ env: { ANTHROPIC_API_KEY: SECRETS.envKey } })));
    expect(text).toContain("anthropic: env: ANTHROPIC_API_KEY");
    expect(lineOf(text, "env:ANTHROPIC_API_KEY")).toMatch(/sk-ant-api03-…envk +api_key +used$/);
  });

  it("shows the live Claude Code login and when to renew it", () => {
    const input = statusInput({
      config: { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } },
      claudeCli: { credential: cliCredential(NOW + 5 * HOUR, "me@x"), error: null },
    });
    const text = formatAuthStatus(buildAuthStatus(input));
    expect(lineOf(text, "anthropic:claude-cli")).toMatch(/Claude Code login \(me@x\) +oauth +expiring in 5h +→ run `claude` on this host to renew the login$/);
  });

  it("says so when the only profile cannot be used", () => {
    const input = statusInput({
      config: { auth: { profiles: { "anthropic:claude-cli": { provider: "anthropic", mode: "oauth" } } } },
      claudeCli: { credential: null, error: new AuthProfilesError("CLAUDE_CLI_EXPIRED", "Claude Code login not found at /home/me/.claude/.credentials.json.") },
    });
    const text = formatAuthStatus(buildAuthStatus(input));
    expect(text).toContain(`anthropic: profiles:${STORE_PATH} (1 profile, none usable)`);
    expect(lineOf(text, "anthropic:claude-cli")).toMatch(/Claude Code login \(unavailable\) +oauth +missing +→ Claude Code login not found at \/home\/me\/\.claude\/\.credentials\.json\. Run `claude` on this host/);
  });

  it("renders a refreshable OAuth login as renewing automatically", () => {
    const input = statusInput({
      data: storeData({ "anthropic:me@x": { type: "oauth", provider: "anthropic", access: SECRETS.access, refresh: SECRETS.refresh, expires: NOW - HOUR, email: "me@x" } }),
    });
    expect(lineOf(formatAuthStatus(buildAuthStatus(input)), "anthropic:me@x")).toMatch(/OAuth \(me@x\) +oauth +ok \(renews automatically\)$/);
  });

  it("is deterministic and ends with a newline", () => {
    const status = buildAuthStatus(everyState());
    const text = formatAuthStatus(status);
    expect(formatAuthStatus(JSON.parse(JSON.stringify(status)))).toBe(text);
    expect(text.endsWith("\n")).toBe(true);
    expect(text).not.toMatch(/\u001b\[/);
    expect(text.split("\n").every((line) => line === line.trimEnd())).toBe(true);
  });

  it("never prints a secret or a 12-character slice of one", () => {
    const text = formatAuthStatus(buildAuthStatus(everyState()));
    expect(leakedSlices(text)).toEqual([]);
  });
});
