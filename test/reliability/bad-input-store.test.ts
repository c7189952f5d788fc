import { readFile } from "node:fs/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAuthProfilesError } from "../../src/model/errors.js";
import { createAuthResolver } from "../../src/resolver/resolver.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { parseStore } from "../../src/store/format.js";
import { FC_SEED, fileBytes, json5ishText, storeValue } from "./arbitraries.js";
import { expectTypedError } from "./secrets.js";
import { makeTempDir, NOW, storePathIn, writePrivate } from "./support.js";

let dir: string;
let path: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  path = storePathIn(dir);
});
afterAll(() => cleanup());

/** What the store reads back as, or the code of the error it gives. */
async function outcomeOf(run: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; code: string }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    expectTypedError(error, ["STORE_INVALID"]);
    return { ok: false, code: isAuthProfilesError(error) ? error.code : "?" };
  }
}

describe(parseStore.name, () => {
  it("returns a document or throws STORE_INVALID for any text, never echoing a value", () => {
    const text = fc.oneof(json5ishText, storeValue.map((value) => JSON.stringify(value) ?? ""), fileBytes(storeValue).map((bytes) => Buffer.from(bytes).toString("utf8")));
    fc.assert(
      fc.property(text, (input) => {
        try {
          parseStore(input, "/s/auth-profiles.json");
        } catch (error) {
          expectTypedError(error, ["STORE_INVALID"]);
        }
      }),
      { numRuns: 400, seed: FC_SEED },
    );
  });
});

describe(`${createFileProfileStore.name} over arbitrary bytes`, () => {
  it("reads, updates and reports failures with a typed error, and never writes over a file that fails to parse", async () => {
    await fc.assert(
      fc.asyncProperty(fileBytes(storeValue), async (bytes) => {
        await writePrivate(path, bytes);
        const before = await readFile(path);
        const store = createFileProfileStore({ path, parseRetryMs: 0 });
        const read = await outcomeOf(() => store.read());

        const update = await outcomeOf(() => store.update((current) => ({ data: { ...current, touchedBy: "reliability" }, result: undefined })));
        expect(update).toEqual(read);
        if (!read.ok) {
          expect(await readFile(path)).toEqual(before);
        } else {
          // Rewritten as plain JSON, every field kept, the new one added.
          const original: unknown = before.length === 0 ? {} : JSON.parse(before.toString("utf8").replace(/^\uFEFF/, ""));
          const after: unknown = JSON.parse(await readFile(path, "utf8"));
          expect(after).toEqual({ version: 1, profiles: {}, ...(original as object), touchedBy: "reliability" });
        }

        const written = await readFile(path);
        const resolver = createAuthResolver({ store: createFileProfileStore({ path, parseRetryMs: 0 }), configPath: false, env: {}, claudeCli: false, now: () => NOW });
        try {
          const failure = await outcomeOf(() => resolver.reportFailure("anthropic:a", { status: 429 }));
          expect(failure).toEqual(read);
          if (!read.ok) expect(await readFile(path)).toEqual(written);
          else parseStore(await readFile(path, "utf8"), path);
        } finally {
          await resolver.close();
        }
      }),
      { numRuns: 150, seed: FC_SEED },
    );
  });
});
