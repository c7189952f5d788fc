import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isAuthProfilesError, type AuthProfilesError } from "../../src/model/errors.js";
import { emptyStore, parseStore, serializeStore } from "../../src/store/format.js";
import { keptEntriesOf } from "../../src/store/kept-entries.js";

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

  it("keeps a failure reason it does not know as written", () => {
    const text = '{"version":1,"profiles":{},"usageStats":{"a":{"disabledReason":"auth_permanent","cooldownReason":"model_not_found"}}}';
    const data = parseStore(text, FILE);
    expect(data.usageStats?.["a"]).toEqual({ disabledReason: "auth_permanent", cooldownReason: "model_not_found" });
    expect(JSON.parse(serializeStore(data))).toEqual(JSON.parse(text));
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

  it("sets aside an entry of the wrong type with its JSON path, never its value", async () => {
    const data = parseStore(await fixture("wrong-types.json"), FILE);
    expect(data.profiles).toEqual({});
    expect(keptEntriesOf(data)).toEqual([
      expect.objectContaining({ section: "profiles", key: "anthropic:work", problem: 'profiles["anthropic:work"].key must be a string (found number)' }),
    ]);
    expect(keptEntriesOf(data)[0]?.problem).not.toContain("12345");
  });

  it("never shows a secret that sits where a number belongs", () => {
    const secret = "sk-ant-oat01-SECRETsecretSECRETsecretSECRET";
    const text = JSON.stringify({
      version: 1,
      profiles: { "anthropic:me": { type: "oauth", provider: "anthropic", access: "a", refresh: "r", expires: secret } },
    });
    const [kept] = keptEntriesOf(parseStore(text, FILE));
    expect(kept?.problem).toBe('profiles["anthropic:me"].expires must be a number (found string)');
    expect(kept?.problem).not.toContain("SECRETsecret");
  });

  it("sets aside each odd entry on its own and keeps the rest usable", () => {
    const text = JSON.stringify({
      version: 1,
      profiles: { x: { type: "token", provider: "anthropic" }, y: { type: "api_key", provider: "anthropic", key: "k" } },
      order: { anthropic: ["x", 3], openai: ["y"] },
      lastGood: { anthropic: 7 },
      usageStats: { x: { errorCount: "two" }, y: { lastUsed: 5 } },
    });
    const data = parseStore(text, FILE);
    expect(keptEntriesOf(data).map((entry) => entry.problem)).toEqual([
      "profiles.x.token is required",
      "order.anthropic[1] must be a string (found number)",
      "lastGood.anthropic must be a string (found number)",
      "usageStats.x.errorCount must be a number (found string)",
    ]);
    expect(data.profiles).toEqual({ y: { type: "api_key", provider: "anthropic", key: "k" } });
    expect(data.order).toEqual({ openai: ["y"] });
    expect(data.usageStats).toEqual({ y: { lastUsed: 5 } });
    expect(serializeStore(data)).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  });

  it("sets aside a known type with a bad shape and keeps an unknown type usable as unknown", () => {
    const data = parseStore('{"version":1,"profiles":{"a":{"type":"oauth","provider":"anthropic","access":"x"}}}', FILE);
    expect(keptEntriesOf(data)[0]?.problem).toBe("profiles.a.refresh is required");
    expect(parseStore('{"version":1,"profiles":{"a":{"type":"magic"}}}', FILE).profiles["a"]).toEqual({ type: "magic" });
  });

  it("sets aside a section that is not an object and writes it back", () => {
    const text = '{"version":1,"profiles":[1,2],"order":"none"}';
    const data = parseStore(text, FILE);
    expect(data.profiles).toEqual({});
    expect(data.order).toBeUndefined();
    expect(JSON.parse(serializeStore(data))).toEqual(JSON.parse(text));
  });

  it.each([
    ["a usage time", '{"version":1,"profiles":{},"usageStats":{"a":{"lastUsed":1e309}}}', "usageStats.a.lastUsed"],
    ["an unknown field", '{"version":1,"profiles":{"a":{"type":"x","deep":[0,-1e999]}}}', "profiles.a.deep[1]"],
    ["a top-level field", '{"version":1,"profiles":{},"n":1e400}', "n"],
  ])("rejects a number JSON cannot hold in %s, naming its JSON path", (_label, text, jsonPath) => {
    const error = parseError(text);
    expect(error.code).toBe("STORE_INVALID");
    expect(error.details).toMatchObject({ reason: "non_finite", jsonPath });
    expect(error.message).toContain(`${jsonPath} is a number outside what JSON can hold`);
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
