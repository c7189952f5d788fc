import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The README, the reference landing page and every TSDoc example name models a user can call today:
 * Sonnet 4.5 was retired on 2026-11-30 (requests 404) and Opus 4.5 retires on 2027-01-22.
 */
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RETIRED = /claude-(?:sonnet-4-5|opus-4-5|opus-4-1|opus-4-0|sonnet-4-0|3-[a-z0-9-]+)/g;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|md)$/.test(entry.name) ? [path] : [];
  });
}

describe("docs", () => {
  it("name no retired or retiring model id in README, reference landing, examples or TSDoc", () => {
    const checked = ["README.md", "docs/reference.md", ...files("src"), ...files("examples")];
    expect(checked.length).toBeGreaterThan(100);
    const found = checked.flatMap((file) => [...readFileSync(join(ROOT, file), "utf8").matchAll(RETIRED)].map((m) => `${file}: ${m[0]}`));
    expect(found).toEqual([]);
  });

  it("typedoc lists every entry point, root first, grouped by area", () => {
    const config = JSON.parse(readFileSync(join(ROOT, "typedoc.json"), "utf8")) as {
      entryPoints: string[];
      sortEntryPoints: boolean;
      categoryOrder: string[];
      readme: string;
      treatWarningsAsErrors: boolean;
    };
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { exports: Record<string, unknown> };
    const subpaths = Object.keys(pkg.exports).filter((key) => key !== "./package.json");
    expect(config.entryPoints[0]).toBe("src/index.ts");
    expect(config.entryPoints.map((path) => path.replace(/^src\/(.*)\.ts$/, "./$1").replace("./index", "."))).toEqual(subpaths);
    expect(config.sortEntryPoints).toBe(false);
    expect(config.treatWarningsAsErrors).toBe(true);
    expect(config.categoryOrder.slice(0, 3)).toEqual(["Resolving", "Writing credentials", "Status"]);
    // The landing page is not the README, whose "# auth-profiles" would repeat the project title.
    expect(readFileSync(join(ROOT, config.readme), "utf8")).not.toMatch(/^# /m);
  });

  it("names every entry module after its import path", () => {
    for (const entry of ["index", "config", "store", "selection", "credentials", "request", "anthropic", "redis"]) {
      const text = readFileSync(join(ROOT, "src", `${entry}.ts`), "utf8");
      expect(text).toContain(`@module auth-profiles${entry === "index" ? "" : `/${entry}`}\n`);
    }
  });

  it("tags every exported declaration of an entry with its area", () => {
    const untagged = files("src").flatMap((file) => {
      const text = readFileSync(join(ROOT, file), "utf8");
      return [...text.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/)\s*\nexport (?:async )?(?:function|class|interface|type|const) (\w+)/g)]
        .filter((m) => !/@internal|@category/.test(m[1] ?? ""))
        .map((m) => `${file}: ${m[2]}`);
    });
    expect(untagged).toEqual([]);
  });
});
