// Plays OpenClaw's side of a shared SQLite auth store (2026.6 layout, from the documented facts):
// each update is one BEGIN IMMEDIATE transaction that reads the state row, bumps
// usageStats["anthropic:a"].theirs and writes the row back. Usage: node openclaw-writer.mjs DB ROUNDS
import Database from "better-sqlite3";

const [path, rounds] = process.argv.slice(2);
const db = new Database(path, { timeout: 60_000 });
const read = db.prepare("SELECT state_json FROM auth_profile_state WHERE state_key = 'primary'");
const write = db.prepare("UPDATE auth_profile_state SET state_json = ?, updated_at = ? WHERE state_key = 'primary'");
const bump = db.transaction(() => {
  const state = JSON.parse(read.get().state_json);
  const usage = (state.usageStats ??= {});
  const stats = (usage["anthropic:a"] ??= {});
  stats.theirs = (typeof stats.theirs === "number" ? stats.theirs : 0) + 1;
  write.run(JSON.stringify(state), Date.now());
});
for (let i = 0; i < Number(rounds); i += 1) {
  bump.immediate();
  if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
}
db.close();
