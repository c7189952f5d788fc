import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthProfilesError, isAuthProfilesError } from "../src/model/errors.js";

const SECRET = "sk-ant-api03-AAAAbbbbCCCCddddEEEEffffGGGGhhhh1234";

describe(AuthProfilesError.name, () => {
  it("carries a stable code, hint, details and cause", () => {
    const cause = new Error("boom");
    const error = new AuthProfilesError("STORE_INVALID", "bad store", { hint: "fix it", cause, details: { file: "/x" } });
    expect(error.code).toBe("STORE_INVALID");
    expect(error.hint).toBe("fix it");
    expect(error.details).toEqual({ file: "/x" });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it("never shows a secret in message, toJSON or inspect", () => {
    const error = new AuthProfilesError("NO_CREDENTIALS", `key ${SECRET} rejected`, {
      hint: `Bearer ${SECRET}`,
      cause: new Error(`upstream said ${SECRET}`),
    });
    for (const text of [error.message, JSON.stringify(error), inspect(error), String(error.stack)]) {
      expect(text).not.toContain(SECRET.slice(13, 25));
    }
    expect(error.message).toContain("sk-ant-api03-…1234");
  });
});

describe(isAuthProfilesError.name, () => {
  it("recognises errors from another copy of the package by brand", () => {
    const foreign = Object.assign(new Error("x"), { code: "STORE_LOCKED" });
    Object.defineProperty(foreign, Symbol.for("auth-profiles.error"), { value: true });
    expect(isAuthProfilesError(foreign)).toBe(true);
    expect(isAuthProfilesError(new Error("x"))).toBe(false);
    expect(isAuthProfilesError({ code: "STORE_LOCKED" })).toBe(false);
    expect(isAuthProfilesError(new AuthProfilesError("STORE_LOCKED", "x"))).toBe(true);
  });
});

describe("isAuthProfilesError with a code", () => {
  it("is true only for that code, across package copies too", () => {
    const error = new AuthProfilesError("STORE_LOCKED", "busy", { details: { file: "/s" } });
    expect(isAuthProfilesError(error, "STORE_LOCKED")).toBe(true);
    expect(isAuthProfilesError(error, "STORE_IO")).toBe(false);
    const copy = Object.assign(Object.create(null) as object, { code: "STORE_LOCKED" });
    Object.defineProperty(copy, Symbol.for("auth-profiles.error"), { value: true });
    expect(isAuthProfilesError(copy, "STORE_LOCKED")).toBe(true);
    expect(isAuthProfilesError(copy, "FILE_UNSAFE")).toBe(false);
    expect(isAuthProfilesError(new Error("x"), "STORE_LOCKED")).toBe(false);
  });
});
