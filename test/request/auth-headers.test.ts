import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { applyHeaderDecoration, credentialHeaders, toRequestHeaders } from "../../src/request/auth-headers.js";

const API_KEY = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN = "sk-ant-oat01-abcdefghijklmnopqrstuvwxyz0123456789";

describe(credentialHeaders.name, () => {
  it("sends an API key as x-api-key and suppresses authorization", () => {
    const result = credentialHeaders({ mode: "api_key", secret: API_KEY });
    expect({ ...result.headers }).toEqual({ "x-api-key": API_KEY });
    expect(result.removeHeaders).toEqual(["authorization"]);
    expect(result.betas).toEqual([]);
  });

  it.each(["token", "oauth"] as const)("sends a %s as a bearer token with the oauth beta and suppresses x-api-key", (mode) => {
    const result = credentialHeaders({ mode, secret: TOKEN });
    expect({ ...result.headers }).toEqual({ authorization: `Bearer ${TOKEN}` });
    expect(result.removeHeaders).toEqual(["x-api-key"]);
    expect(result.betas).toEqual(["oauth-2025-04-20"]);
  });

  it("rejects a secret that would corrupt a header, without echoing it", () => {
    for (const secret of ["", " sk-ant-api03-x", "sk-ant-api03-abc\r\nx-evil: 1"]) {
      let caught: unknown;
      try {
        credentialHeaders({ mode: "api_key", secret });
      } catch (error) {
        caught = error;
      }
      expect(isAuthProfilesError(caught) && caught.code).toBe("INVALID_ARGUMENT");
      expect(String(caught)).not.toContain("x-evil");
    }
  });

  it("rejects an unknown mode", () => {
    expect(() => credentialHeaders({ mode: "cookie" as never, secret: API_KEY })).toThrow(/Unknown credential mode/);
  });

  it("never shows the credential in JSON or inspect output", () => {
    const { headers } = credentialHeaders({ mode: "oauth", secret: TOKEN });
    expect(JSON.stringify(headers)).not.toContain("abcdefghij");
    expect(JSON.stringify(headers)).toContain("Bearer sk-ant-oat01-…6789");
    expect(inspect(headers)).not.toContain("abcdefghij");
    expect(new Headers(headers).get("authorization")).toBe(`Bearer ${TOKEN}`);
  });
});

describe(applyHeaderDecoration.name, () => {
  it("removes the other scheme and sets ours on a copy", () => {
    const original = new Headers({ authorization: "Bearer sdk-default", "content-type": "application/json" });
    const out = applyHeaderDecoration(original, credentialHeaders({ mode: "api_key", secret: API_KEY }));
    expect(out.get("authorization")).toBeNull();
    expect(out.get("x-api-key")).toBe(API_KEY);
    expect(out.get("content-type")).toBe("application/json");
    expect(original.get("authorization")).toBe("Bearer sdk-default");
  });
});

describe(toRequestHeaders.name, () => {
  it("maps removals to the SDK's null and hides the credential", () => {
    const headers = toRequestHeaders(credentialHeaders({ mode: "api_key", secret: API_KEY }));
    expect({ ...headers }).toEqual({ authorization: null, "x-api-key": API_KEY });
    expect(JSON.stringify(headers)).toBe('{"authorization":null,"x-api-key":"sk-ant-api03-…6789"}');
  });
});
