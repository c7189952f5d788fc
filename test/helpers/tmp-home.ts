import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Variables that would point the library at a real install; never passed to code under test. */
const LEAKY_VAR = /^(OPENCLAW_|CLAWDBOT_|MOLTBOT_|ANTHROPIC_|CLAUDE_CONFIG_DIR$)/;

/** A temporary directory standing in for the user's home. */
export interface TmpHome {
  /** The fake home dir (`~`). Exists, mode 0700. */
  readonly home: string;
  /** `<home>/.openclaw`: the default state dir for this home. Created only with `createStateDir`. */
  readonly stateDir: string;
  /**
   * An env for the library: `HOME`/`USERPROFILE` set to `home`, and none of the `OPENCLAW_*`,
   * `CLAWDBOT_*`, `ANTHROPIC_*` or `CLAUDE_CONFIG_DIR` variables.
   */
  readonly env: Record<string, string | undefined>;
  /** An env for child processes: `process.env` (for `PATH` etc.) minus the same variables, plus `HOME`. */
  readonly spawnEnv: Record<string, string | undefined>;
  /** Removes the whole temporary home. Safe to call twice. */
  cleanup(): Promise<void>;
}

/** Options of {@link makeTmpHome}. */
export interface MakeTmpHomeOptions {
  /** Create `<home>/.openclaw` (mode 0700) right away. Default `false`. */
  readonly createStateDir?: boolean;
}

/**
 * Creates a fresh temporary home dir under `os.tmpdir()`, so tests never touch the real one.
 *
 * @param options - whether to create the state dir
 * @returns paths, envs and a cleanup function
 *
 * @example
 * ```ts
 * let tmp: TmpHome;
 * beforeEach(async () => { tmp = await makeTmpHome(); });
 * afterEach(() => tmp.cleanup());
 * ```
 */
export async function makeTmpHome(options: MakeTmpHomeOptions = {}): Promise<TmpHome> {
  const home = await mkdtemp(join(tmpdir(), "auth-profiles-home-"));
  const stateDir = join(home, ".openclaw");
  if (options.createStateDir === true) await mkdir(stateDir, { mode: 0o700 });
  const env = { HOME: home, USERPROFILE: home };
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !LEAKY_VAR.test(key)));
  return {
    home,
    stateDir,
    env,
    spawnEnv: { ...inherited, ...env },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}
