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
    for (const entry of ["index", "config", "store", "selection", "credentials", "request", "anthropic", "redis", "sqlite"]) {
      const text = readFileSync(join(ROOT, "src", `${entry}.ts`), "utf8");
      expect(text).toContain(`@module auth-profiles${entry === "index" ? "" : `/${entry}`}\n`);
    }
  });

  it("tags every declaration an entry exports with its area", () => {
    const declarationComment = (file: string, name: string, hops = 0): string | null => {
      const text = readFileSync(join(ROOT, file), "utf8");
      const own = new RegExp(`(/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/)\\s*\\nexport (?:async )?(?:function|class|interface|type|const) ${name}\\b`).exec(text);
      if (own !== null) return own[1] ?? "";
      const onward = new RegExp(`export (?:type )?\\{[^}]*\\b${name}\\b[^}]*\\} from "(\\.[^"]+)\\.js"`).exec(text);
      return onward === null || hops > 2 ? null : declarationComment(join(file, "..", `${onward[1] ?? ""}.ts`), name, hops + 1);
    };
    const untagged: string[] = [];
    let checked = 0;
    for (const entry of ["index", "config", "store", "selection", "credentials", "request", "anthropic", "redis", "sqlite"]) {
      const text = readFileSync(join(ROOT, "src", `${entry}.ts`), "utf8");
      for (const statement of text.matchAll(/^export (?:type )?\{([^}]*)\} from "\.\/([^"]+)\.js";/gm)) {
        for (const raw of (statement[1] ?? "").split(",")) {
          const name = raw.replace(/^\s*type\s+/, "").trim();
          if (name === "") continue;
          checked += 1;
          const comment = declarationComment(join("src", `${statement[2] ?? ""}.ts`), name);
          if (comment === null || !comment.includes("@category")) untagged.push(`${entry}: ${name}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(untagged).toEqual([]);
  });
});
