import { pause, seededRandom, startChild, watchChild, type WatchedChild } from "./support.js";

/** Shortest and longest wait between a child's "started" and its SIGKILL. */
const MIN_WAIT_MS = 5;
const MAX_WAIT_MS = 60;

/**
 * Spawns fixture children one after another and kills each with SIGKILL a random 5–60 ms after it
 * printed "started".
 *
 * @remarks
 * The fixture runs bundled, with a plain `node` (see `nodeChild` in test/helpers/node-child.ts):
 * the first child started bundles it, once, and every later one reuses the bundle. Starting Node
 * and loading the bundle still takes longer than a child lives, so the next child is started while
 * the current one runs and waits for "go" on its stdin: the kill loop then runs at the speed of the
 * kills, and every child still begins its work only on "go".
 */
export class KillLoop {
  readonly #script: string;
  readonly #args: (round: number) => readonly string[];
  readonly #env: NodeJS.ProcessEnv | undefined;
  readonly #random = seededRandom(20_261_125);
  readonly #ahead: number;
  readonly #ready: WatchedChild[] = [];
  #started = 0;
  #killed = 0;

  /**
   * @param script - the fixture under `test/reliability/fixtures/`
   * @param args - its arguments for one round
   * @param options - its environment (default `process.env`), and how many children to start
   *   ahead (default 2: on two cores, two children load while one is killed)
   */
  constructor(script: string, args: (round: number) => readonly string[], options: { env?: NodeJS.ProcessEnv; ahead?: number } = {}) {
    this.#script = script;
    this.#args = args;
    this.#env = options.env;
    this.#ahead = options.ahead ?? 2;
  }

  /**
   * Runs one round: starts the child (or takes the one started ahead), waits for "started", waits a
   * random 5–60 ms, kills it with SIGKILL and waits until it is gone.
   *
   * @param rounds - how many rounds there are in all (no child is started ahead past the last)
   * @returns the stdout lines the child printed after "started"
   */
  async killOne(rounds: number): Promise<string[]> {
    while (this.#started < rounds && this.#ready.length <= this.#ahead) this.#ready.push(this.#start());
    const current = this.#ready.shift();
    if (current === undefined) throw new Error("no rounds left");
    const round = this.#killed;
    this.#killed += 1;
    current.child.stdin?.write("go\n");
    await current.waitForLine("started");
    await pause(MIN_WAIT_MS + Math.round(this.#random() * (MAX_WAIT_MS - MIN_WAIT_MS)));
    current.child.kill("SIGKILL");
    const { code, signal } = await current.closed;
    if (signal !== "SIGKILL") throw new Error(`round ${round}: the child ended by itself (code ${code}): ${current.stderr()}`);
    const lines = [...current.lines];
    return lines.slice(lines.indexOf("started") + 1);
  }

  /** Kills the children started ahead, if any. */
  async close(): Promise<void> {
    const left = this.#ready.splice(0);
    for (const watched of left) watched.child.kill("SIGKILL");
    await Promise.all(left.map((watched) => watched.closed));
  }

  #start(): WatchedChild {
    const round = this.#started;
    this.#started += 1;
    return watchChild(startChild(this.#script, this.#args(round), this.#env));
  }
}
