import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Where bundled child scripts go: inside the repository's `node_modules`, so the bare imports they
 * keep (`proper-lockfile`, `ioredis`, `commander`…) resolve from the repository's packages.
 */
const CACHE_DIR = join(REPO_ROOT, "node_modules", ".cache", "auth-profiles-test");

/** Bundles already made by this process, by absolute script path. */
const bundled = new Map<string, string>();

/** How to start a child process: `spawn(command, args, …)`. */
export interface NodeCommand {
  /** The Node binary running the tests. */
  readonly command: string;
  /** `--enable-source-maps` (stack traces name the TypeScript sources), the bundle, then the script's own arguments. */
  readonly args: string[];
}

/**
 * The command that runs a TypeScript child script with a plain `node`, without a TypeScript loader.
 *
 * @remarks
 * Loading `tsx` took most of a child's start-up (about 1 s on a busy machine), which tied the
 * suites that start hundreds of children to the machine's speed. The script is bundled into plain
 * JavaScript once per test process instead (esbuild, about 0.1 s) and every child runs the bundle
 * (about 0.1 s to start on an idle machine, against 0.5 s with `tsx`).
 *
 * The bundle holds the script and everything it imports from the repository (`src/`, test
 * helpers); packages stay imports. Its file name carries a hash of the script's path and of the
 * whole output, whose inline source map holds the content of every input file, so a changed input
 * gives a new file and a stale bundle is never run. Several test processes may bundle one script at
 * once: each writes a temp file and renames it into place, and they write the same bytes.
 *
 * A bundled script must not use `import.meta.url` (it would name the bundle in
 * `node_modules/.cache`, not the source file): pass paths as arguments. Bundling fails if it does.
 *
 * @param script - the script, absolute or relative to the repository root (e.g. `examples/cli.ts`)
 * @param args - its arguments
 * @returns the command and arguments for `spawn`
 */
export function nodeChild(script: string, args: readonly string[] = []): NodeCommand {
  return { command: process.execPath, args: ["--enable-source-maps", bundledScript(script), ...args] };
}

/**
 * Bundles `script` (see {@link nodeChild}) unless this process already did, and returns the path
 * of the bundle.
 *
 * @param script - the script, absolute or relative to the repository root
 * @returns the absolute path of the `.mjs` bundle
 */
export function bundledScript(script: string): string {
  const entry = resolve(REPO_ROOT, script);
  const known = bundled.get(entry);
  if (known !== undefined) return known;
  const name = basename(entry, extname(entry));
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: REPO_ROOT,
    outfile: join(CACHE_DIR, `${name}.mjs`),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    write: false,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
  const code = output.text;
  const body = code.slice(0, code.lastIndexOf("//# sourceMappingURL="));
  // createRequire(import.meta.url) only resolves package names (src/io/lazy-require.ts): from the
  // bundle's place inside the repository's node_modules they resolve to the same packages.
  if (body.replaceAll("createRequire(import.meta.url)", "").includes("import.meta.url")) {
    throw new Error(`${entry} (or a file it imports) uses import.meta.url, which would name its bundle in ${CACHE_DIR}: pass the path as an argument`);
  }
  const hash = createHash("sha256").update(entry).update("\0").update(code).digest("hex").slice(0, 16);
  const target = join(CACHE_DIR, `${name}-${hash}.mjs`);
  if (!existsSync(target)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(temp, code);
      renameSync(temp, target);
    } finally {
      rmSync(temp, { force: true });
    }
  }
  bundled.set(entry, target);
  return target;
}
