/**
 * The machine the figures come from.
 *
 * @module
 */
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

/** Node version, CPU model, cores, platform and memory. */
export interface MachineInfo {
  /** `process.version` without the `v`. */
  readonly node: string;
  /** The first CPU's model string. */
  readonly cpuModel: string;
  /** Logical cores available to this process. */
  readonly cores: number;
  /** `platform-arch`. */
  readonly platform: string;
  /** Total memory, GiB. */
  readonly memoryGiB: number;
  /** 1-minute load average when the run started: other work on the machine skews the figures. */
  readonly loadAverage1m: number;
}

/** @returns facts about this machine */
export function machineInfo(): MachineInfo {
  return {
    node: process.version.replace(/^v/, ""),
    cpuModel: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: availableParallelism(),
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}
