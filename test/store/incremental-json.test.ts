import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringifyDocument } from "../../src/store/incremental-json.js";
import { parseStore, serializeStore } from "../../src/store/format.js";
import { materializeStore } from "../../src/store/kept-entries.js";
import { planSplitWrite } from "../../src/store/commit-split.js";
import { mergeAuthState } from "../../src/store/auth-state.js";
import { validateStore } from "../../src/store/validate.js";
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

  it("splits store documents into texts that read back as the document (auth-state.json), through patches", () => {
    const sortedJson = (value: unknown): string =>
      JSON.stringify(value, (_key, each: unknown) => {
        if (typeof each !== "object" || each === null || Array.isArray(each)) return each;
        const sorted: Record<string, unknown> = {};
        for (const key of Object.keys(each).sort()) own(sorted, key, (each as Record<string, unknown>)[key]);
        return sorted;
      });
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.dictionary(nastyString, nastyJson, { maxKeys: 3 }),
        fc.dictionary(fc.constantFrom("note", "extraState", "version"), nastyJson, { maxKeys: 2 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 2_000_000_000_000 }), fc.constantFrom("success", "lastUsed", "order", "extra")), { maxLength: 8 }),
        (ids, extra, stateExtra, steps) => {
          const profiles = Object.fromEntries(ids.map((id) => [`anthropic:${id}`, { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${id.padEnd(40, "x")}` }]));
          const credentialsText = `${JSON.stringify({ ...extra, version: 1, profiles }, null, 2)}\n`;
          const stateRaw = { ...stateExtra, version: 1, lastGood: { anthropic: Object.keys(profiles)[0] } };
          const stateText = `${JSON.stringify(stateRaw, null, 2)}\n`;
          const credentialsRaw = JSON.parse(credentialsText) as Record<string, unknown>;
          let current = {
            data: validateStore(mergeAuthState(credentialsRaw, JSON.parse(stateText) as Record<string, unknown>), "test.json", "read"),
            text: credentialsText,
            identity: null,
            raw: credentialsRaw,
            state: { path: "auth-state.json", text: stateText, identity: null, raw: JSON.parse(stateText) as Record<string, unknown> },
          };
          const keys = Object.keys(profiles);
          for (const [index, at, kind] of steps) {
            const id = keys[index % keys.length] as string;
            const before = current.data;
            const mutated: StoreData =
              kind === "success" ? withSuccess(before, id, "anthropic", at, null)
              : kind === "lastUsed" ? withLastUsed(before, [[id, at]])
              : kind === "order" ? { ...before, order: { anthropic: [id, ...keys.filter((k) => k !== id)] } }
              : { ...before, [`x${index % 3}`]: at };
            const next = validateStore(mutated, "test.json", "write");
            const write = planSplitWrite(next, current, "test.json");
            expect(write.credentials).toBe(`${JSON.stringify(write.credentialsDocument, null, 2)}\n`);
            expect(write.state).toBe(`${JSON.stringify(write.stateDocument, null, 2)}\n`);
            // What a reader of the two files gets: the document written.
            const back = materializeStore(validateStore(mergeAuthState(JSON.parse(write.credentials), JSON.parse(write.state)), "test.json", "read"));
            expect(sortedJson(back)).toBe(sortedJson(materializeStore(next)));
            current = { data: next, text: write.credentials, identity: null, raw: write.credentialsDocument, state: { path: "auth-state.json", text: write.state, identity: null, raw: write.stateDocument } };
          }
        },
      ),
      { seed: FC_SEED, numRuns: 200 },
    );
  });
});
