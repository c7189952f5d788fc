/**
 * Figures, the printed table and `bench/results.json`.
 *
 * @module
 */
import { readFile, writeFile } from "node:fs/promises";
import type { MachineInfo } from "./machine.js";

/** How a figure compares with its goal. `INFO` has no goal; `SKIP` was not measured. */
export type Verdict = "PASS" | "FAIL" | "INFO" | "SKIP";

/** One measured figure, as printed and as written to `results.json`. */
export interface Figure {
  /** The section it belongs to, e.g. `warm resolve`. */
  readonly section: string;
  /** What was measured. */
  readonly name: string;
  /** The figure, or `null` when skipped. */
  readonly value: number | null;
  /** Its unit, e.g. `ops/s`, `ms`, `×`. */
  readonly unit: string;
  /** The goal beside it, e.g. `≥ 20×`, or `-` for information only. */
  readonly goal: string;
  /** PASS / FAIL against the goal, INFO without one, SKIP when not measured. */
  readonly verdict: Verdict;
}

/** What one bench section produced. */
export interface SectionResult {
  /** Its figures, in print order. */
  readonly figures: readonly Figure[];
  /** Sentences printed under the table: how things were measured, what they mean. */
  readonly notes: readonly string[];
}

/**
 * Builds figures of one section.
 *
 * @param section - the section name
 * @returns a function making one figure
 */
export function figuresOf(section: string): (name: string, value: number | null, unit: string, goal: string, verdict: Verdict) => Figure {
  return (name, value, unit, goal, verdict) => ({ section, name, value, unit, goal, verdict });
}

/**
 * @param ok - whether the goal was met
 * @returns `PASS` or `FAIL`
 */
export function verdictOf(ok: boolean): Verdict {
  return ok ? "PASS" : "FAIL";
}

/**
 * Formats a number for the table: 3 significant digits, thousands separated.
 *
 * @param value - the number, or `null`
 * @returns the text
 */
export function formatValue(value: number | null): string {
  if (value === null) return "-";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1 || abs === 0) return value.toFixed(2);
  return value.toPrecision(3);
}

/**
 * Renders the table of every figure, grouped by section, then the notes.
 *
 * @param machine - the machine line
 * @param sections - the section results, in order
 * @returns the text to print
 */
export function renderTable(machine: MachineInfo, sections: readonly SectionResult[]): string {
  const figures = sections.flatMap((s) => s.figures);
  const rows = figures.map((f) => [f.section, f.name, formatValue(f.value), f.unit, f.goal, f.verdict]);
  const header = ["section", "figure", "value", "unit", "goal", "verdict"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const counts = countVerdicts(figures);
  const notes = sections.flatMap((s) => s.notes);
  return [
    `machine: node ${machine.node}, ${machine.cpuModel}, ${machine.cores} cores, ${machine.platform}, ${machine.memoryGiB} GiB, load average ${machine.loadAverage1m} at start`,
    "",
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `PASS ${counts.PASS}, FAIL ${counts.FAIL}, INFO ${counts.INFO}, SKIP ${counts.SKIP}`,
    "",
    "notes:",
    ...notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
}

/**
 * Writes `results.json`: machine, every figure (name, value, unit, goal, verdict) and the notes.
 *
 * @param path - the file
 * @param machine - the machine
 * @param sections - the section results
 * @param extra - run facts (how allocations were measured, total time)
 */
export async function writeResults(path: string, machine: MachineInfo, sections: readonly SectionResult[], extra: Readonly<Record<string, unknown>>): Promise<void> {
  const figures = sections.flatMap((s) => s.figures);
  const document = {
    machine,
    ...extra,
    summary: countVerdicts(figures),
    figures: figures.map((f) => ({ section: f.section, name: f.name, value: f.value === null ? null : round(f.value), unit: f.unit, goal: f.goal, verdict: f.verdict })),
    notes: sections.flatMap((s) => s.notes),
  };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
}

/**
 * Merges the figures and notes of the sections just run into an existing `results.json`: figures
 * of those sections (by section name) and notes starting with a section name are replaced, the rest
 * is kept; the summary is recounted and the run facts go under `recorded[section]`.
 *
 * @param path - the file
 * @param sections - the section results just measured
 * @param extra - run facts of this run
 */
export async function recordResults(path: string, sections: readonly SectionResult[], extra: Readonly<Record<string, unknown>>): Promise<void> {
  const old = JSON.parse(await readFile(path, "utf8")) as { figures: Figure[]; notes: string[]; recorded?: Record<string, unknown> } & Record<string, unknown>;
  const figures = sections.flatMap((s) => s.figures);
  const names = new Set(figures.map((f) => f.section));
  const kept = old.figures.filter((f) => !names.has(f.section));
  const merged = [...kept, ...figures.map((f) => ({ section: f.section, name: f.name, value: f.value === null ? null : round(f.value), unit: f.unit, goal: f.goal, verdict: f.verdict }))];
  const notes = [...old.notes.filter((n) => ![...names].some((name) => n.startsWith(name))), ...sections.flatMap((s) => s.notes)];
  const recorded = { ...(old.recorded ?? {}), ...Object.fromEntries([...names].map((name) => [name, extra])) };
  const document = { ...old, summary: countVerdicts(merged), figures: merged, notes, recorded };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
}

function countVerdicts(figures: readonly Figure[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { PASS: 0, FAIL: 0, INFO: 0, SKIP: 0 };
  for (const f of figures) counts[f.verdict] += 1;
  return counts;
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Number(value.toPrecision(4));
}
