import type { StoreSectionName } from "./schema.js";

/**
 * What this version's validation produced and checked, by object identity: section entries (a
 * profile, a usage entry, an order list) and whole sections whose every entry is such an entry.
 * Every such object is frozen when it is recorded (an entry deeply, a section shallowly: its entries
 * are frozen entries), so an object checked once stays valid: a document about to be written that
 * still holds it is not checked again for it, an update's validation costs what changed, and its
 * serialized text can be reused (`incremental-json.ts`). A mutator that mutates its input in place
 * (forbidden by `StoreMutator`) gets a `TypeError` instead of an update that is silently lost.
 * A checked object never carries a secret reference's in-memory mark (it was built by validation).
 *
 * @internal
 */
const checked = new WeakMap<object, StoreSectionName>();
const checkedSections = new WeakMap<object, StoreSectionName>();

/**
 * @param value - anything
 * @param section - the section it must have been checked for (any when omitted)
 * @returns whether `value` is an entry validation produced (for `section`)
 * @internal
 */
export function isCheckedEntry(value: unknown, section?: StoreSectionName): boolean {
  if (typeof value !== "object" || value === null) return false;
  const name = checked.get(value);
  return name !== undefined && (section === undefined || name === section);
}

/**
 * @param value - anything
 * @param section - the section it must have been checked as (any when omitted)
 * @returns whether `value` is a whole section validation produced, every entry checked (for `section`)
 * @internal
 */
export function isCheckedSection(value: unknown, section?: StoreSectionName): boolean {
  if (typeof value !== "object" || value === null) return false;
  const name = checkedSections.get(value);
  return name !== undefined && (section === undefined || name === section);
}

/**
 * Records an entry validation produced.
 *
 * @param value - the entry as validation output it
 * @param section - its section
 * @internal
 */
export function markCheckedEntry(value: unknown, section: StoreSectionName): void {
  if (typeof value === "object" && value !== null) checked.set(deepFreeze(value), section);
}

/**
 * Records a section whose every entry validation produced.
 *
 * @param value - the section
 * @param section - its name
 * @internal
 */
export function markCheckedSection(value: object, section: StoreSectionName): void {
  checkedSections.set(Object.freeze(value), section);
}

/** Freezes `value` and everything it holds (store entries are JSON: no cycles, shallow depth). */
function deepFreeze<T extends object>(value: T): T {
  if (Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null) deepFreeze(child);
  }
  return value;
}
