import { appendFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRefreshJournal, maskedRotation, refreshTokenDigest } from "../../src/store/refresh-journal.js";

const ACCESS = `sk-ant-oat01-${"a".repeat(80)}ACC1`;
const REFRESH = `sk-ant-ort01-${"r".repeat(80)}REF1`;
const SPENT = `sk-ant-ort01-${"s".repeat(80)}OLD1`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "auth-profiles-journal-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(createRefreshJournal.name, () => {
  it("appends whole pairs (0600), reads them back masked in every view, skips a torn line, and removes the file once trimmed empty", async () => {
    const path = join(dir, "agent", "auth-profiles.json.refresh-journal");
    const journal = createRefreshJournal(path);
    const rotation = maskedRotation({ profileId: "anthropic:me", access: ACCESS, refresh: REFRESH, expires: 1, replaces: refreshTokenDigest(SPENT), at: 2 });
    for (const view of [JSON.stringify(rotation), inspect(rotation)]) {
      expect(view).not.toContain(ACCESS);
      expect(view).not.toContain(REFRESH);
    }
    await journal.append(rotation);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const text = await readFile(path, "utf8");
    expect(text).toContain(REFRESH);
    expect(text).not.toContain(SPENT);
    await appendFile(path, '{"profileId":"anthropic:me","access":"sk-ant-oat01-torn');
    const entries = await journal.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ access: ACCESS, refresh: REFRESH, replaces: refreshTokenDigest(SPENT) });
    expect(`${inspect(entries)} ${JSON.stringify(entries)}`).not.toContain(REFRESH);
    await journal.rewrite([]);
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await journal.entries()).toEqual([]);
  });
});
