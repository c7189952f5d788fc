import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { lazySchema, once } from "../../src/model/lazy-schema.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Runs as CommonJS through tsx's require hook, so that `v.looseObject(…)` in the sources reads the
// export at call time: every valibot function is wrapped with a counter before the package loads.
// Prints the calls made by the import, then by a first and a second config + store validation.
const CHILD = `
const v = require("valibot");
const calls = {};
for (const [name, fn] of Object.entries(v)) {
  // The schema factories only: parsing (safeParse, parse, is, assert…) is not building.
  if (typeof fn === "function" && !/parse|^is$|^assert$|^get|^config|^flatten|^summarize|^deleteGlobal|^setGlobal|^set|^delete/i.test(name)) v[name] = function (...args) { calls[name] = (calls[name] ?? 0) + 1; return fn.apply(this, args); };
}
const snapshot = () => ({ ...calls });
require("./src/index.ts");
const afterImport = snapshot();
const { parseConfig } = require("./src/config.ts");
const { validateStore } = require("./src/store/validate.ts");
const use = () => {
  parseConfig('{ auth: { profiles: { "anthropic:work": { provider: "anthropic", mode: "api_key" } } }, agents: { list: [{ id: "main" }] } }');
  validateStore({ version: 1, profiles: { "anthropic:work": { type: "api_key", provider: "anthropic", key: "sk-ant-api03-${"x".repeat(40)}" } }, usageStats: { "anthropic:work": { lastUsed: 1 } } }, "/tmp/auth-profiles.json");
};
use();
const afterFirstUse = snapshot();
use();
process.stdout.write(JSON.stringify({ afterImport, afterFirstUse, afterSecondUse: snapshot() }));
`;

type Calls = Readonly<Record<string, number>>;

/** Schema parts only the config, store, option and response schemas use (not the shared argument shapes). */
const SCHEMA_PARTS = ["union", "record", "objectWithRest", "exactOptional", "literal", "check", "nullish", "unknown", "object"] as const;

describe("lazy schemas", () => {
  it("importing the package builds no config or store schema; the first use builds them once", () => {
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", CHILD], { cwd: ROOT, encoding: "utf8" });
    const { afterImport, afterFirstUse, afterSecondUse } = JSON.parse(out) as { afterImport: Calls; afterFirstUse: Calls; afterSecondUse: Calls };
    for (const part of SCHEMA_PARTS) expect(afterImport[part] ?? 0, part).toBe(0);
    // The counter sees the schemas when they are built…
    for (const part of ["union", "record", "objectWithRest", "exactOptional", "literal", "check"]) expect(afterFirstUse[part] ?? 0, part).toBeGreaterThan(0);
    // … and they are built only once.
    expect(afterSecondUse).toEqual(afterFirstUse);
  });

  it("lazySchema builds on the first run, once, and reports exactly the built schema's issues", () => {
    let builds = 0;
    const build = () => {
      builds += 1;
      return v.looseObject({ a: v.string(), b: v.optional(v.union([v.number(), v.literal(false)])), c: v.array(v.pipe(v.string(), v.minLength(1, "must be a non-empty string"))) });
    };
    const schema = lazySchema(build);
    expect(builds).toBe(0);
    const inputs: unknown[] = [{ a: "x", c: [] }, { b: "no", c: ["", 1] }, [], null, { a: 1, b: true, c: "x", extra: 1 }];
    const built = build();
    for (const input of inputs) {
      expect(v.safeParse(schema, input, { abortEarly: false })).toEqual(v.safeParse(built, input, { abortEarly: false }));
      expect(v.safeParse(schema, input, { abortPipeEarly: true })).toEqual(v.safeParse(built, input, { abortPipeEarly: true }));
    }
    expect(builds).toBe(2);
  });

  it("once keeps what it built, undefined included", () => {
    let builds = 0;
    const value = once(() => {
      builds += 1;
      return undefined;
    });
    expect(value()).toBeUndefined();
    expect(value()).toBeUndefined();
    expect(builds).toBe(1);
  });
});
