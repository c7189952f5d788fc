/**
 * 100 resolvers (one per agent) in one process, idle: how many stat pollers run and how much CPU
 * they cost.
 *
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import { figuresOf, verdictOf, type SectionResult } from "../report.js";
import { apiKeyStore, makeWorkspace } from "../workspace.js";
import { join } from "node:path";
import { mkdir, writeFile } from "node:fs/promises";

const AGENTS = 100;
const IDLE_MS = 4_000;
const MAX_IDLE_PERCENT = 1;

/** CPU time of this process over {@link IDLE_MS} of doing nothing, in % of one core. */
async function idleCpuPercent(): Promise<number> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await sleep(IDLE_MS);
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) / 1000 / (performance.now() - t0)) * 100;
}

/** @returns the many-resolvers figures */
export async function benchManyResolvers(): Promise<SectionResult> {
  const ws = await makeWorkspace();
  try {
    const text = JSON.stringify(apiKeyStore(1), null, 2);
    for (let i = 0; i < AGENTS; i += 1) {
      const dir = join(ws.stateDir, "agents", `agent-${i}`, "agent");
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(join(dir, "auth-profiles.json"), text, { mode: 0o600 });
    }
    // The process's own idle cost first (timers, the runtime, the machine's noise), on its own.
    await sleep(500);
    const baseline = await idleCpuPercent();
    const resolvers = Array.from({ length: AGENTS }, (_, i) => ws.resolver({ agentId: `agent-${i}` }));
    for (const resolver of resolvers) await resolver.resolve();
    await sleep(500);
    const withResolvers = await idleCpuPercent();
    const idlePercent = Math.max(0, withResolvers - baseline);
    const fig = figuresOf("many resolvers");
    return {
      figures: [
        fig(`idle CPU of the bench process alone`, baseline, "% of a core", "-", "INFO"),
        fig(`idle CPU with ${AGENTS} resolvers`, withResolvers, "% of a core", "-", "INFO"),
        fig(`idle CPU of ${AGENTS} resolvers (with − alone)`, idlePercent, "% of a core", `≤ ${MAX_IDLE_PERCENT} %`, verdictOf(idlePercent <= MAX_IDLE_PERCENT)),
      ],
      notes: [`many resolvers: ${AGENTS} createAuthResolver (dist/) for ${AGENTS} agents of one state dir, no config file, each resolved once (which starts its watcher); Node shares one stat poller per watched path, so there is one per store file (an unref'd poller is not listed by process.getActiveResourcesInfo(), so it is not counted here); idle CPU = process.cpuUsage() over ${IDLE_MS / 1000} s of doing nothing ÷ wall time, measured before the resolvers exist and with them; the verdict is on the difference (the machine's own noise and the bench process's timers are in both). Each store file is watched with change notifications (inotify) and a 2 s safety-net poll; a missing auth-state.json is polled every 2 s.`],
    };
  } finally {
    await ws.cleanup();
  }
}
