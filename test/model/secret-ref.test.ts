import { describe, expect, it } from "vitest";
import { isValidExecRefId, parseSecretRef, profileSecretRef, readJsonPointer, readSecretsSettings } from "../../src/model/secret-ref.js";

describe("parseSecretRef (OpenClaw's SecretRef shapes)", () => {
  it("reads exactly {source, provider, id}, trimming the id", () => {
    expect(parseSecretRef({ source: "env", provider: "default", id: " KEY " })).toEqual({ source: "env", provider: "default", id: "KEY" });
  });

  it("gives a ref without provider the configured default alias, else `default`", () => {
    expect(parseSecretRef({ source: "file", id: "/a" })).toEqual({ source: "file", provider: "default", id: "/a" });
    expect(parseSecretRef({ source: "file", id: "/a" }, { file: "filemain" })).toEqual({ source: "file", provider: "filemain", id: "/a" });
  });

  it("is not a ref with another key, an empty field, or a non-object", () => {
    expect(parseSecretRef({ source: "env", provider: "default", id: "K", extra: 1 })).toBeNull();
    expect(parseSecretRef({ source: "env", provider: "", id: "K" })).toBeNull();
    expect(parseSecretRef({ source: "env", provider: "default", id: " " })).toBeNull();
    expect(parseSecretRef("sk-ant-api03-plain")).toBeNull();
    expect(parseSecretRef([{ source: "env", id: "K" }])).toBeNull();
  });

  it("marks a plugin-owned source as unsupported", () => {
    expect(parseSecretRef({ source: "keyring", provider: "mac", id: "k" })).toEqual({ unsupported: "keyring" });
  });
});

describe("profileSecretRef (precedence)", () => {
  const ref = { source: "env", provider: "default", id: "K" };
  it("keyRef over key, a ref object in key, tokenRef over token; never on OAuth", () => {
    expect(profileSecretRef({ type: "api_key", key: "sk-plain", keyRef: ref })).toMatchObject({ field: "keyRef", secretField: "key" });
    expect(profileSecretRef({ type: "api_key", key: ref })).toMatchObject({ field: "key", secretField: "key" });
    expect(profileSecretRef({ type: "token", tokenRef: ref })).toMatchObject({ field: "tokenRef", secretField: "token" });
    expect(profileSecretRef({ type: "api_key", key: "sk-plain", keyRef: { nonsense: true } })).toBeNull();
    expect(profileSecretRef({ type: "oauth", access: ref })).toBeNull();
  });
});

describe("readJsonPointer (RFC 6901, own keys only)", () => {
  const doc = { providers: { "a/b": { "~x": "v1" } }, list: ["zero", "one"] };
  it("decodes ~1 and ~0, reads array indexes, refuses inherited keys", () => {
    expect(readJsonPointer(doc, "/providers/a~1b/~0x")).toBe("v1");
    expect(readJsonPointer(doc, "/list/1")).toBe("one");
    expect(readJsonPointer(doc, "/list/2")).toBeUndefined();
    expect(readJsonPointer(doc, "/providers/constructor")).toBeUndefined();
    expect(readJsonPointer(doc, "providers")).toBeUndefined();
  });
});

describe("exec ids and provider settings", () => {
  it("accepts OpenClaw's exec id pattern without . or .. segments", () => {
    expect(isValidExecRefId("vault/openai/api-key#value")).toBe(true);
    expect(isValidExecRefId("a/../b")).toBe(false);
    expect(isValidExecRefId("-leading")).toBe(false);
  });

  it("reads providers one at a time: a bad one does not hide the others", () => {
    const settings = readSecretsSettings({
      providers: { good: { source: "file", path: "/x" }, bad: { source: "exec" }, odd: { source: "keyring" } },
      defaults: { env: " envmain " },
    });
    expect(settings.providers.get("good")).toMatchObject({ ok: true });
    expect(settings.providers.get("bad")).toMatchObject({ ok: false, problem: "secrets.providers.bad.command is invalid" });
    expect(settings.providers.get("odd")).toMatchObject({ ok: false });
    expect(settings.defaults.env).toBe("envmain");
    expect(readSecretsSettings(undefined).providers.size).toBe(0);
  });
});
