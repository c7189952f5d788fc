import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isAuthProfilesError, type AuthProfilesError } from "../../src/model/errors.js";
import { emptyStore, parseStore, serializeStore } from "../../src/store/format.js";

const FILE = "/state/agents/main/agent/auth-profiles.json";
const fixture = (name: string): Promise<string> =>
  readFile(fileURLToPath(new URL(`../fixtures/store/${name}`, import.meta.url)), "utf8");

function parseError(text: string): AuthProfilesError {
  try {
    parseStore(text, FILE);
  } catch (error) {
    if (isAuthProfilesError(error)) return error;
    throw error;
  }
  throw new Error("expected parseStore to throw");
}

describe(parseStore.name, () => {
  it("reads OpenClaw's store with unknown fields and unknown profile types intact", async () => {
    const text = await fixture("openclaw-extended.json");
    const data = parseStore(text, FILE);
    expect(data.profiles["anthropic:default"]).toMatchObject({ type: "api_key", label: "onboarding key" });
    expect(data.profiles["openai:future"]).toEqual({
      type: "aws_sigv4",
      provider: "bedrock",
      region: "us-east-1",
      nested: { roleArn: "arn:aws:iam::123456789012:role/x" },
    });
    expect(data["gatewayNote"]).toBe("written by a newer OpenClaw");
    expect(data.usageStats?.["anthropic:manual"]?.failureCounts).toEqual({ rate_limit: 1, billing: 1, model_not_found: 3 });
  });

  it("round-trips OpenClaw's file byte for byte", async () => {
    const text = await fixture("openclaw-extended.json");
    expect(serializeStore(parseStore(text, FILE))).toBe(text);
  });

  it("keeps the file's key order even where it differs from the schema's", () => {
    const text = '{"profiles":{"a":{"key":"k","extra":1,"provider":"p","type":"api_key"}},"z":true,"version":1}';
    expect(JSON.stringify(parseStore(text, FILE))).toBe(text);
  });

  it("reads a missing profiles field as no profiles", () => {
    expect(parseStore('{"version": 1}', FILE).profiles).toEqual({});
  });

  it("reads a failure reason it does not know as unknown", () => {
    const data = parseStore('{"version":1,"profiles":{},"usageStats":{"a":{"disabledReason":"quota_exhausted"}}}', FILE);
    expect(data.usageStats?.["a"]?.disabledReason).toBe("unknown");
  });

  it("strips a byte order mark", () => {
    expect(parseStore('\uFEFF{"version":1,"profiles":{}}', FILE)).toEqual(emptyStore());
  });

  it.each([
    ["an empty file", "", "empty"],
    ["a whitespace-only file", " \n\t", "empty"],
  ])("rejects %s", (_label, text, reason) => {
    const error = parseError(text);
    expect(error.code).toBe("STORE_INVALID");
    expect(error.message).toContain(FILE);
    expect(error.details).toMatchObject({ file: FILE, reason });
  });

  it("names the file and the position of a JSON syntax error without quoting the file", async () => {
    const error = parseError(await fixture("truncated.json"));
    expect(error.code).toBe("STORE_INVALID");
    expect(error.message).toContain(`Profile store ${FILE} is not valid JSON`);
    expect(error.details).toMatchObject({ file: FILE, reason: "syntax" });
    const broken = '{"version":1,"profiles":{"a":{"key":"sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUV"},,}}';
    const positioned = parseError(broken);
    expect(positioned.message).toMatch(/line 1, column \d+/);
    for (const text of [positioned.message, JSON.stringify(positioned), String(positioned.hint)]) {
      expect(text).not.toContain("ABCDEFGH");
      expect(text).not.toContain("sk-ant-api03-");
    }
  });

  it("names the JSON path of a wrong type and never the value", async () => {
    const error = parseError(await fixture("wrong-types.json"));
    expect(error.code).toBe("STORE_INVALID");
    expect(error.message).toBe(
      `Profile store ${FILE} is invalid: profiles["anthropic:work"].key must be a string (found number).`,
    );
    expect(error.details).toMatchObject({ file: FILE, jsonPath: 'profiles["anthropic:work"].key' });
    expect(JSON.stringify(error)).not.toContain("12345");
  });

  it("never shows a secret that sits where a number belongs", () => {
    const secret = "sk-ant-oat01-SECRETsecretSECRETsecretSECRET";
    const text = JSON.stringify({
      version: 1,
      profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access: "a", refresh: "r", expires: secret } },
    });
    const error = parseError(text);
    expect(error.details["jsonPath"]).toBe('profiles["anthropic:me"].expires');
    expect(JSON.stringify(error)).not.toContain("SECRETsecret");
    expect(error.message).not.toContain("SECRETsecret");
  });

  it("lists every problem in details", () => {
    const text = JSON.stringify({
      version: 1,
      profiles: { x: { type: "token", provider: "anthropic" } },
      order: { anthropic: ["x", 3] },
      usageStats: { x: { errorCount: "two" } },
    });
    const error = parseError(text);
    const paths = (error.details["issues"] as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(["profiles.x.token", "order.anthropic[1]", "usageStats.x.errorCount"]);
    expect(error.message).toContain("(2 more problems)");
  });

  it("rejects a known type with a bad shape but keeps an unknown type", () => {
    expect(parseError('{"version":1,"profiles":{"a":{"type":"oauth","provider":"anthropic","access":"x"}}}').details["jsonPath"]).toBe(
      "profiles.a.refresh",
    );
    expect(parseStore('{"version":1,"profiles":{"a":{"type":"magic"}}}', FILE).profiles["a"]).toEqual({ type: "magic" });
  });

  it.each([
    ["version 2", '{"version":2,"profiles":{}}', "has version 2", /newer program/],
    ["a missing version", '{"profiles":{}}', 'has no "version" field', /"version": 1/],
    ["a string version", '{"version":"1","profiles":{}}', "has version a string", /"version": 1/],
  ])("rejects %s with a hint", (_label, text, message, hint) => {
    const error = parseError(text);
    expect(error.code).toBe("STORE_INVALID");
    expect(error.message).toContain(message);
    expect(error.hint).toMatch(hint);
    expect(error.details).toMatchObject({ file: FILE, jsonPath: "version" });
  });

  it.each([["[]"], ["null"], ['"text"']])("rejects a document that is not an object: %s", (text) => {
    expect(parseError(text).message).toContain("is not a JSON object");
  });
});

describe(serializeStore.name, () => {
  it("writes 2-space JSON with a final newline", () => {
    expect(serializeStore({ version: 1, profiles: {} })).toBe('{\n  "version": 1,\n  "profiles": {}\n}\n');
  });
});

describe(emptyStore.name, () => {
  it("returns a fresh version 1 document each time", () => {
    const first = emptyStore();
    expect(first).toEqual({ version: 1, profiles: {} });
    expect(emptyStore()).not.toBe(first);
    expect(emptyStore().profiles).not.toBe(first.profiles);
  });
});
