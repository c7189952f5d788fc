import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProfileStore, StoreData, StoreMutator } from "../../src/model/store.js";
import { createFileProfileStore } from "../../src/store/file-store.js";
import { countFsCalls } from "../helpers/fs-calls.js";
import { apiKeyStore, KEY_A, KEY_B, KEY_C, makeResolverFixture, type ResolverFixture } from "./support.js";

let fx: ResolverFixture;
beforeEach(async () => {
  fx = await makeResolverFixture();
});
afterEach(() => fx.cleanup());

/** The file store, with every document its mutators were handed and every document it returned. */
function observedStore(path: string): { store: ProfileStore; handed: StoreData[]; returned: StoreData[] } {
  const file = createFileProfileStore({ path });
  const handed: StoreData[] = [];
  const returned: StoreData[] = [];
  const store: ProfileStore = {
    path: file.path,
    refreshJournalPath: file.refreshJournalPath,
    read: () => file.read(),
    watch: (onChange, options) => file.watch(onChange, options),
    close: () => file.close(),
    async update<T>(mutator: StoreMutator<T>) {
      const outcome = await file.update<T>((current) => {
        handed.push(current);
        return mutator(current);
      });
      returned.push(outcome.data);
      return outcome;
    },
  };
  return { store, handed, returned };
}

describe("the batched lastUsed flush", () => {
  it("starts from the document it wrote last (no read of the store), and still reads another process's write", async () => {
    await fx.writeStore(apiKeyStore({ "anthropic:a": KEY_A, "anthropic:b": KEY_B, "anthropic:c": KEY_C }));
    const { store, handed, returned } = observedStore(fx.storePath());
    const resolver = fx.resolver({ store });
    const round = async (): Promise<void> => {
      for (let i = 0; i < 3; i += 1) {
        fx.clock.now += 10;
        await resolver.reportSuccess((await resolver.resolve()).profileId as string);
      }
    };
    await round();
    await resolver.flush(); // the first locked update reads the file
    await round();
    const fast = await countFsCalls(() => resolver.flush());
    expect(handed.at(-1)).toBe(returned.at(-2));
    // Another writer (here a second store object, as another process) changes the store.
    await createFileProfileStore({ path: fx.storePath() }).update((current) => ({ data: { ...current, theirs: 1 }, result: undefined }));
    await round();
    const full = await countFsCalls(() => resolver.flush());
    expect(handed.at(-1)).not.toBe(returned.at(-2));
    expect(handed.at(-1)?.["theirs"]).toBe(1);
    expect(full - fast).toBeGreaterThanOrEqual(3);
    const onDisk = await fx.readStore();
    expect(onDisk["theirs"]).toBe(1);
    expect(Object.keys(onDisk["usageStats"] ?? {}).sort()).toEqual(["anthropic:a", "anthropic:b", "anthropic:c"]);
    expect(onDisk["usageStats"]["anthropic:a"].lastUsed).toBeGreaterThan(0);
  });
});
