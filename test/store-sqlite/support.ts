import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

/** The JSON documents OpenClaw 2026.4.12 wrote (the shapes its SQLite era keeps in rows). */
const FIXTURES = fileURLToPath(new URL("../fixtures/openclaw-sqlite/", import.meta.url));
export const FIXTURE_STORE_TEXT = readFileSync(join(FIXTURES, "auth-profiles.json"), "utf8");
export const FIXTURE_STATE_TEXT = readFileSync(join(FIXTURES, "auth-state.json"), "utf8");
export const FIXTURE_NOW = (JSON.parse(readFileSync(join(FIXTURES, "written-at.json"), "utf8")) as { nowMs: number }).nowMs;

/** A private temp state dir, removed by `cleanup`. */
export async function makeStateDir(): Promise<{ stateDir: string; cleanup: () => Promise<void> }> {
  const stateDir = await mkdtemp(join(tmpdir(), "auth-profiles-sqlite-"));
  await chmod(stateDir, 0o700);
  return { stateDir, cleanup: () => rm(stateDir, { recursive: true, force: true }) };
}

/** `<state>/agents/<id>/agent/openclaw-agent.sqlite`. */
export function agentDbPath(stateDir: string, agentId = "main"): string {
  return join(stateDir, "agents", agentId, "agent", "openclaw-agent.sqlite");
}

/**
 * Creates a per-agent database the way OpenClaw 2026.6 lays it out (tables and row keys from the
 * reference sheet; `updated_at` as epoch ms) and puts the two documents in it as OpenClaw would.
 */
export async function writeOpenClawAgentDb(path: string, storeJson: string, stateJson: string | null): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  try {
    db.exec("CREATE TABLE IF NOT EXISTS auth_profile_store (store_key TEXT PRIMARY KEY, store_json TEXT NOT NULL, updated_at INTEGER NOT NULL)");
    db.exec("CREATE TABLE IF NOT EXISTS auth_profile_state (state_key TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_at INTEGER NOT NULL)");
    db.prepare("INSERT OR REPLACE INTO auth_profile_store VALUES ('primary', ?, ?)").run(storeJson, FIXTURE_NOW);
    if (stateJson !== null) db.prepare("INSERT OR REPLACE INTO auth_profile_state VALUES ('primary', ?, ?)").run(stateJson, FIXTURE_NOW);
  } finally {
    db.close();
  }
  await chmod(path, 0o600);
}

/** Reads one row's JSON text straight from the database, as OpenClaw would. */
export function readRow(path: string, table: "auth_profile_store" | "auth_profile_state"): string | undefined {
  const db = new Database(path, { readonly: true });
  try {
    const column = table === "auth_profile_store" ? "store_json" : "state_json";
    const key = table === "auth_profile_store" ? "store_key" : "state_key";
    const row = db.prepare(`SELECT ${column} AS json FROM ${table} WHERE ${key} = 'primary'`).get() as { json: string } | undefined;
    return row?.json;
  } finally {
    db.close();
  }
}
