import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateApiKey } from "../../src/credentials/api-key.js";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { redactSecret } from "../../src/model/redact.js";
import { saveApiKey, saveToken } from "../../src/writers/save.js";
import { makeTmpHome, type TmpHome } from "../helpers/tmp-home.js";

const BODY = "Hyg1eneHyg1eneHyg1eneHyg1eneHyg1ene";
const KEY = `sk-ant-api03-${BODY}AAzz`;
const TOKEN = `sk-ant-oat01-${"H".repeat(90)}hhhh`;

function problemOf(value: string, options?: { allowNonStandardKey?: boolean }): { code: unknown; problem: unknown; text: string } {
  try {
    validateApiKey(value, options);
  } catch (error) {
    if (!isAuthProfilesError(error)) throw error;
    return { code: error.code, problem: error.details["problem"], text: JSON.stringify(error) + String(error.hint) + error.message };
  }
  throw new Error("expected a refusal");
}

describe(validateApiKey.name, () => {
  it("trims surrounding whitespace and a paste's trailing newline, and says so", () => {
    expect(validateApiKey(`  ${KEY}\r\n`)).toEqual({ key: KEY, trimmed: true });
    expect(validateApiKey(KEY)).toEqual({ key: KEY, trimmed: false });
  });

  it.each([
    ["inner whitespace", `sk-ant-api03-${BODY.slice(0, 10)} ${BODY.slice(10)}`, "inner_whitespace"],
    ["a line break inside", `sk-ant-api03-${BODY.slice(0, 10)}\n${BODY.slice(10)}`, "control_character"],
    ["NUL", `sk-ant-api03-${BODY}\u0000AA`, "control_character"],
    ["non-ASCII", `sk-ant-api03-${BODY}\u2026AA`, "non_ascii"],
    ["an Admin key", `sk-ant-admin01-${BODY}AA`, "admin_key"],
    ["a setup-token", TOKEN, "setup_token"],
    ["a code#state paste", "abcDEF123_-xyz#stateSTATE456", "code_state"],
    ["something that is not a key", "hello", "not_an_api_key"],
  ])("refuses %s with API_KEY_INVALID naming the problem, never the value", (_what, value, problem) => {
    const refused = problemOf(value);
    expect(refused).toMatchObject({ code: "API_KEY_INVALID", problem });
    expect(refused.text).not.toContain(BODY.slice(0, 12));
    expect(refused.text).not.toContain("HHHHHHHHHHHH");
  });

  it("tells an Admin key what it is and what to use instead", () => {
    expect(problemOf(`sk-ant-admin01-${BODY}AA`).text).toMatch(/Admin API key.*cannot send Messages API requests.*regular API key \(sk-ant-api03-/s);
  });

  it("accepts a proxy key only with allowNonStandardKey, and still refuses whitespace in it", () => {
    expect(validateApiKey("proxy-key-1234567890", { allowNonStandardKey: true }).key).toBe("proxy-key-1234567890");
    expect(problemOf("proxy key", { allowNonStandardKey: true }).problem).toBe("inner_whitespace");
  });
});

describe("redactSecret of unusual keys", () => {
  it.each(["hello", "proxy-key-abcdefghijklmnopqrstuvwxyz", `sk-ant-api03-${BODY}…yz`, "sk-ant-api03-short"])("shows one ellipsis for %s", (value) => {
    expect(redactSecret(value).split("…")).toHaveLength(2);
  });
});

describe("saveApiKey / saveToken results", () => {
  let tmp: TmpHome;
  beforeEach(async () => {
    tmp = await makeTmpHome();
  });
  afterEach(() => tmp.cleanup());
  const where = () => ({ stateDir: tmp.stateDir, homeDir: tmp.home, env: {} });

  it("report trimmed and replaced", async () => {
    expect(await saveApiKey({ ...where(), key: `${KEY}\n` })).toMatchObject({ trimmed: true, replaced: false });
    expect(await saveApiKey({ ...where(), key: KEY })).toMatchObject({ trimmed: false, replaced: true });
    expect(await saveToken({ ...where(), token: `${TOKEN}\n` })).toMatchObject({ trimmed: true, replaced: false });
    const store = JSON.parse(await readFile(join(tmp.stateDir, "agents", "main", "agent", "auth-profiles.json"), "utf8"));
    expect(store.profiles["anthropic:default"].key).toBe(KEY);
  });

  it("saves a proxy key with allowNonStandardKey and refuses it without", async () => {
    const refused = await saveApiKey({ ...where(), key: "proxy-key-1234567890" }).catch((e: unknown) => e);
    expect(isAuthProfilesError(refused) && refused.code).toBe("API_KEY_INVALID");
    expect((await saveApiKey({ ...where(), key: "proxy-key-1234567890", allowNonStandardKey: true })).profileId).toBe("anthropic:default");
  });
});
