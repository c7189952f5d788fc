import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/parse-text.js";
import { validateConfigReport } from "../../src/config/validate.js";

// Every json5 config example in README.md parses with this library's parser, produces no warning,
// and carries a marker saying whether OpenClaw accepts it:
//   <!-- config-example: openclaw-accepts -->
//   <!-- config-example: openclaw-rejects <json path> -->
// The marker is checked against OpenClaw's strict-schema rules as the reference sheet lists them
// (openclaw-generations.md "Other facts": unknown keys rejected, agents.list[].models rejected,
// auth.profiles[id] = { provider, mode, email?, displayName? }, auth.cooldowns positive numbers,
// params a free record). This is a model of those rules, not OpenClaw's zod schema itself.

const README = new URL("../../README.md", import.meta.url);

interface Example {
  readonly line: number;
  readonly text: string;
  readonly marker: string | null;
}

function examples(markdown: string): Example[] {
  const lines = markdown.split("\n");
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== "```json5") continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === "```");
    const above = lines.slice(Math.max(0, i - 2), i).map((line) => /<!-- config-example: (.+?) -->/.exec(line)?.[1] ?? null);
    out.push({ line: i + 1, text: lines.slice(i + 1, end).join("\n"), marker: above.find((m) => m !== null) ?? null });
    i = end;
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The JSON paths OpenClaw's strict schema would refuse, per the reference sheet's rules. */
function openclawRejections(config: unknown): string[] {
  const found: string[] = [];
  if (!isRecord(config)) return ["(root)"];
  const auth = config["auth"];
  if (isRecord(auth)) {
    for (const [id, meta] of Object.entries(isRecord(auth["profiles"]) ? auth["profiles"] : {})) {
      if (!isRecord(meta)) found.push(`auth.profiles["${id}"]`);
      else {
        for (const key of Object.keys(meta)) if (!["provider", "mode", "email", "displayName"].includes(key)) found.push(`auth.profiles["${id}"].${key}`);
        if (!["api_key", "token", "oauth"].includes(String(meta["mode"]))) found.push(`auth.profiles["${id}"].mode`);
      }
    }
    for (const [key, value] of Object.entries(isRecord(auth["cooldowns"]) ? auth["cooldowns"] : {})) {
      if (typeof value === "number" && !(value > 0)) found.push(`auth.cooldowns.${key}`);
    }
  }
  const agents = config["agents"];
  const list = isRecord(agents) && Array.isArray(agents["list"]) ? agents["list"] : [];
  if (list.some((entry) => isRecord(entry) && Object.hasOwn(entry, "models"))) found.push("agents.list[].models");
  return found;
}

describe("README config examples", () => {
  const found = examples(readFileSync(README, "utf8"));

  it("exist, each with an OpenClaw marker", () => {
    expect(found.length).toBeGreaterThan(0);
    for (const example of found) expect({ line: example.line, marker: example.marker }).toEqual({ line: example.line, marker: expect.stringMatching(/^openclaw-(accepts|rejects .+)$/) });
  });

  it("parse with this library's parser, with no warning", () => {
    for (const example of found) {
      const raw = parseConfigText(example.text, `README.md:${example.line}`);
      const { warnings } = validateConfigReport(raw, `README.md:${example.line}`);
      expect({ line: example.line, warnings }).toEqual({ line: example.line, warnings: [] });
    }
  });

  it("say truthfully whether OpenClaw's strict schema accepts them", () => {
    for (const example of found) {
      const rejected = openclawRejections(parseConfigText(example.text, "README.md"));
      const expected = example.marker === "openclaw-accepts" ? [] : [(example.marker ?? "").replace(/^openclaw-rejects /, "")];
      expect({ line: example.line, rejected }).toEqual({ line: example.line, rejected: expected });
    }
  });

  it("the rules catch what OpenClaw is known to reject", () => {
    expect(openclawRejections({ agents: { list: [{ id: "w", models: {} }] } })).toEqual(["agents.list[].models"]);
    expect(openclawRejections({ auth: { profiles: { "anthropic:x": { provider: "anthropic", mode: "bearer" } } } })).toEqual(['auth.profiles["anthropic:x"].mode']);
    expect(openclawRejections({ agents: { defaults: { models: { "anthropic/x": { params: { cacheControlTtl: "30m" } } } } } })).toEqual([]);
  });
});
