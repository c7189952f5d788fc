import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const SDK_IMPORT = /(from\s+|import\s*\(\s*|require\s*\(\s*)["'](@anthropic-ai\/sdk|ioredis)/;
const rootEntry = resolve(here, "../../src/index.ts");

/** Follows relative imports from a file and returns every file reached. */
async function importGraph(entry: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() ?? "";
    if (seen.has(file)) continue;
    const text = await readFile(file, "utf8");
    seen.set(file, text);
    for (const match of text.matchAll(/from\s+"(\.[^"]+)\.js"/g)) queue.push(resolve(dirname(file), `${match[1] ?? ""}.ts`));
  }
  return seen;
}

describe("root entry", () => {
  it("never reaches @anthropic-ai/sdk or ioredis, not even for types", async () => {
    const graph = await importGraph(rootEntry);
    expect(graph.size).toBeGreaterThan(5);
    for (const [file, text] of graph) expect({ file, sdk: SDK_IMPORT.test(text) }).toEqual({ file, sdk: false });
  });
});
