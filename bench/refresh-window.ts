// Measures the window in which a SIGKILL still loses a rotated refresh token: from the moment the
// token endpoint wrote its answer to the moment the new pair is fsynced in the recovery journal
// (and, for comparison, to the moment the store write finished: the window before the journal).
// Run: npx tsx bench/refresh-window.ts [rounds]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { refreshStoredOAuth } from "../src/credentials/oauth/refresh.js";
import { DEFAULT_CLIENT_ID, requestTokenRefresh } from "../src/credentials/oauth/token-endpoint.js";
import { createFileProfileStore } from "../src/store/file-store.js";
import { withHeldLogins } from "../src/store/held-logins.js";
import { fakeAccessToken, startFakeTokenServer } from "../test/helpers/fake-token-server.js";

const rounds = Number(process.argv[2] ?? 50);
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const ID = "anthropic:me";
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const server = await startFakeTokenServer();
const dir = await mkdtemp(join(tmpdir(), "auth-profiles-window-"));
const toJournal: number[] = [];
const toStore: number[] = [];
try {
  for (let round = 0; round < rounds; round += 1) {
    const path = join(dir, `r${round}`, "auth-profiles.json");
    const raw = createFileProfileStore({ path });
    await raw.update(() => ({ data: { version: 1, profiles: { [ID]: { type: "oauth", provider: "anthropic", access: fakeAccessToken(), refresh: server.issueRefreshToken(), expires: NOW - 1 } } }, result: undefined }));
    const held = withHeldLogins(raw, { journalPath: `${path}.refresh-journal`, logger: silent });
    let answeredAt = 0;
    let journaledAt = 0;
    server.onIssued(() => (answeredAt = performance.now()));
    const store = {
      ...held,
      recordRotation: async (rotation: Parameters<typeof held.recordRotation>[0]) => {
        await held.recordRotation(rotation);
        journaledAt = performance.now();
      },
    };
    await refreshStoredOAuth({
      store,
      profileId: ID,
      now: () => NOW,
      refreshMarginMs: 300_000,
      logger: silent,
      endpoint: (refreshToken) => requestTokenRefresh({ fetch, tokenUrl: server.url, clientId: DEFAULT_CLIENT_ID, refreshToken, now: () => NOW, timeoutMs: 15_000, profileId: ID }),
    });
    const storedAt = performance.now();
    toJournal.push(journaledAt - answeredAt);
    toStore.push(storedAt - answeredAt);
    await held.close();
  }
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
const stats = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${(sorted.at(-1) ?? 0).toFixed(2)} ms`;
};
console.log(`rounds: ${rounds}`);
console.log(`answer → journal fsynced (the remaining window): ${stats(toJournal)}`);
console.log(`answer → store written (the window without the journal): ${stats(toStore)}`);
