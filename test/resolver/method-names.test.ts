import { describe, expect, it } from "vitest";
import * as root from "../../src/index.js";
import * as config from "../../src/config.js";
import * as credentials from "../../src/credentials.js";
import * as request from "../../src/request.js";
import * as selection from "../../src/selection.js";
import * as store from "../../src/store.js";

describe("package exports and resolver methods", () => {
  it("share no name, so a plain-JS caller cannot call a pure helper instead of the resolver method", async () => {
    const resolver = root.createAuthResolver({ configPath: false, env: {}, stateDir: "/nonexistent-auth-profiles", claudeCli: false });
    const methods = Object.keys(resolver);
    await resolver.close();
    expect(methods).toContain("clearCooldown");
    const exported = [root, config, credentials, request, selection, store].flatMap((entry) => Object.keys(entry));
    expect(exported.filter((name) => methods.includes(name))).toEqual([]);
  });
});
