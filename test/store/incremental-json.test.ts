import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringifyDocument } from "../../src/store/incremental-json.js";
import { parseStore, serializeStore } from "../../src/store/format.js";
import { materializeStore } from "../../src/store/kept-entries.js";
import { withLastUsed, withSuccess } from "../../src/selection/usage.js";
import type { StoreData } from "../../src/model/store.js";
import { FC_SEED, nastyJson, nastyString } from "../reliability/arbitraries.js";

/** A value that JSON.stringify treats specially, at any level. */
const odd: fc.Arbitrary<unknown> = fc.constantFrom(undefined, () => 1, Symbol("s"), new Date(0), Object.create(null) as object, [], {}, { toJSON: () => "x" }, new Number(3));

const entry: fc.Arbitrary<unknown> = fc.oneof({ weight: 6, arbitrary: nastyJson }, { weight: 1, arbitrary: odd });
const section: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(nastyString, entry, { maxKeys: 6 }) },
  { weight: 1, arbitrary: entry },
);
const documentArb: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(fc.oneof(fc.constantFrom("version", "profiles", "usageStats", "order", "lastGood"), nastyString), section, { maxKeys: 6 });

/** One immutable change, as a mutator makes it: new objects on the path to what changed, the rest shared. */
type Patch = { readonly kind: "set"; readonly key: string; readonly entry: string; readonly value: unknown } | { readonly kind: "drop"; readonly key: string; readonly entry: string } | { readonly kind: "section"; readonly key: string; readonly value: unknown } | { readonly kind: "move"; readonly key: string; readonly from: string; readonly to: string };

const patchArb: fc.Arbitrary<Patch> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), key: nastyString, entry: nastyString, value: entry }),
  fc.record({ kind: fc.constant("drop" as const), key: nastyString, entry: nastyString }),
  fc.record({ kind: fc.constant("section" as const), key: nastyString, value: section }),
  fc.record({ kind: fc.constant("move" as const), key: nastyString, from: nastyString, to: nastyString }),
);

function own(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function copy(record: Record<string, unknown>, skip?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (key !== skip) own(out, key, record[key]);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Applies a patch to an existing key when there is one (so patches hit sections and entries that are cached). */
function apply(document: Record<string, unknown>, patch: Patch): Record<string, unknown> {
  const keys = Object.keys(document);
  const key = keys.length > 0 && patch.key.length % 2 === 0 ? (keys[patch.key.length % keys.length] as string) : patch.key;
  const next = copy(document);
  if (patch.kind === "section") {
    own(next, key, patch.value);
    return next;
  }
  const current = isRecord(document[key]) ? (document[key] as Record<string, unknown>) : {};
  const entries = Object.keys(current);
  const pick = (name: string): string => (entries.length > 0 && name.length % 2 === 0 ? (entries[name.length % entries.length] as string) : name);
  if (patch.kind === "set") {
    const changed = copy(current);
    own(changed, pick(patch.entry), patch.value);
    own(next, key, changed);
  } else if (patch.kind === "drop") {
    own(next, key, copy(current, pick(patch.entry)));
  } else {
    // The same entry object under another key (and in another section): its cached text is reused.
    const moved = copy(current);
    own(moved, patch.to, current[pick(patch.from)]);
    own(next, key, moved);
    const other = keys.find((k) => k !== key && isRecord(document[k]));
    if (other !== undefined) {
      const elsewhere = copy(document[other] as Record<string, unknown>);
      own(elsewhere, patch.to, current[pick(patch.from)]);
      own(next, other, elsewhere);
    }
  }
  return next;
}

describe("the incremental store serializer", () => {
  it("gives exactly JSON.stringify(document, null, 2) for any document", () => {
    fc.assert(
      fc.property(documentArb, (document) => {
        expect(stringifyDocument(document)).toBe(JSON.stringify(document, null, 2));
        // A second time, from the cached entry texts.
        expect(stringifyDocument(document)).toBe(JSON.stringify(document, null, 2));
      }),
      { seed: FC_SEED, numRuns: 400 },
    );
  });

  it("stays exactly JSON.stringify over a sequence of immutable patches sharing entries", () => {
    fc.assert(
      fc.property(documentArb, fc.array(patchArb, { maxLength: 12 }), (start, patches) => {
        let document = start;
        expect(stringifyDocument(document)).toBe(JSON.stringify(document, null, 2));
        for (const patch of patches) {
          document = apply(document, patch);
          expect(stringifyDocument(document)).toBe(JSON.stringify(document, null, 2));
        }
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it("writes store documents that read back as written, through lastUsed and success patches", () => {
    const profileArb = fc.record({
      type: fc.constantFrom("api_key", "token"),
      provider: fc.constantFrom("anthropic", "openai"),
      key: fc.string({ minLength: 1, maxLength: 20 }),
      token: fc.string({ minLength: 1, maxLength: 20 }),
      extra: fc.option(nastyJson, { nil: undefined }),
    }).map(({ type, provider, key, token, extra }) => (type === "api_key" ? { type, provider, key, ...(extra === undefined ? {} : { extra }) } : { type, provider, token }));
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), profileArb, { minKeys: 1, maxKeys: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 2_000_000_000_000 }), fc.boolean()), { maxLength: 10 }),
        (profiles, steps) => {
          let data: StoreData = parseStore(`${JSON.stringify({ version: 1, profiles, extraTop: { kept: true } }, null, 2)}\n`, "test.json");
          const ids = Object.keys(data.profiles);
          expect(serializeStore(data)).toBe(`${JSON.stringify(materializeStore(data), null, 2)}\n`);
          for (const [index, at, success] of steps) {
            const id = ids[index % ids.length] as string;
            data = success ? withSuccess(data, id, "anthropic", at, null) : withLastUsed(data, [[id, at]]);
            const text = serializeStore(data);
            expect(text).toBe(`${JSON.stringify(materializeStore(data), null, 2)}\n`);
            expect(serializeStore(parseStore(text, "test.json"))).toBe(text);
          }
        },
      ),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});
