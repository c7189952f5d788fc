import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Runs as CommonJS through tsx's require hook, so that every loaded file shows in require.cache:
// requires the store entry, writes a store once, and prints the npm packages loaded before and after.
const CHILD = `
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const packages = () => [...new Set(Object.keys(require.cache).filter((k) => k.includes("node_modules/")).map((k) => k.split("node_modules/").pop().split("/")[0]))].sort();
const lib = require("./src/store.ts");
const afterImport = packages();
const path = join(mkdtempSync(join(tmpdir(), "lazy-load-")), "auth-profiles.json");
lib.createFileProfileStore({ path }).update((current) => ({ data: { ...current, touched: true }, result: undefined }))
  .then(() => process.stdout.write(JSON.stringify({ afterImport, afterWrite: packages() })));
`;

describe("lazy loading", () => {
  it("loads no writer package on import, and none on the first write (the atomic writer is the library's own)", () => {
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", CHILD], { cwd: ROOT, encoding: "utf8" });
    const { afterImport, afterWrite } = JSON.parse(out) as { afterImport: string[]; afterWrite: string[] };
    expect(afterImport).not.toContain("proper-lockfile");
    expect(afterImport).not.toContain("write-file-atomic");
    // JSON5 only for a config that is not plain JSON.
    expect(afterImport).not.toContain("json5");
    expect(afterWrite).not.toContain("write-file-atomic");
    expect(afterWrite).toContain("valibot");
  });
});
