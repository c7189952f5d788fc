import { describe, expectTypeOf, it } from "vitest";
import { AuthProfilesError, isAuthProfilesError, type ErrorCode, type ErrorDetailsMap } from "../src/index.js";

describe("typed error details", () => {
  it("isAuthProfilesError(e, code) narrows details to that code's type", () => {
    const e: unknown = new AuthProfilesError("FILE_UNSAFE", "x", { details: { file: "/f", reason: "symlink" } });
    if (isAuthProfilesError(e, "FILE_UNSAFE")) {
      expectTypeOf(e.code).toEqualTypeOf<"FILE_UNSAFE">();
      expectTypeOf(e.details.file).toEqualTypeOf<string>();
      expectTypeOf(e.details.reason).toEqualTypeOf<string>();
    }
    if (isAuthProfilesError(e, "NO_AVAILABLE_PROFILE")) {
      expectTypeOf(e.details.retryAt).toEqualTypeOf<number | null>();
      expectTypeOf(e.details).toEqualTypeOf<ErrorDetailsMap["NO_AVAILABLE_PROFILE"]>();
    }
  });

  it("checking code on the guard's union narrows details too", () => {
    const e: unknown = null;
    if (isAuthProfilesError(e) && e.code === "CLAUDE_CLI_EXPIRED") {
      expectTypeOf(e.details.expiresAt).toEqualTypeOf<number | undefined>();
    }
  });

  it("refuses details of another code at construction", () => {
    // @ts-expect-error FILE_UNSAFE needs file and reason
    new AuthProfilesError("FILE_UNSAFE", "x", { details: { profileId: "a" } });
    // @ts-expect-error a wrong-typed known fact
    new AuthProfilesError("CLAUDE_CLI_EXPIRED", "x", { details: { expiresAt: "soon" } });
  });
});

describe("ErrorDetailsMap", () => {
  it("has an entry for every error code", () => {
    expectTypeOf<Exclude<ErrorCode, keyof ErrorDetailsMap>>().toEqualTypeOf<never>();
  });
});
