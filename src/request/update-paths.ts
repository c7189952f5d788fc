/**
 * One step of a path into JSON-like data: an object key or an array index.
 *
 * @category Request decoration
 */
export type PathKey = string | number;

/**
 * A change at one path: `update` receives the current value there and returns its replacement.
 *
 * @internal
 */
export interface PathUpdate {
  /** Where the change applies, from the root. An empty path replaces the root. */
  readonly path: readonly PathKey[];
  /** Returns the new value for the old one. */
  readonly update: (value: unknown) => unknown;
}

interface TrieNode {
  update?: (value: unknown) => unknown;
  readonly children: Map<PathKey, TrieNode>;
}

/**
 * Applies changes without touching the input: only objects and arrays along a changed path are
 * copied, everything else is shared with the original (which may be deeply frozen).
 *
 * @param root - the data to change (never mutated)
 * @param updates - the changes; a path that runs into a non-object is skipped
 * @returns `root` itself when `updates` is empty, else a structurally shared copy
 * @internal
 */
export function updatePaths<T>(root: T, updates: readonly PathUpdate[]): T {
  if (updates.length === 0) return root;
  const trie: TrieNode = { children: new Map() };
  for (const { path, update } of updates) {
    let node = trie;
    for (const key of path) {
      let child = node.children.get(key);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(key, child);
      }
      node = child;
    }
    node.update = update;
  }
  return rebuild(root, trie) as T;
}

function rebuild(value: unknown, node: TrieNode): unknown {
  if (node.update !== undefined) return node.update(value);
  if (typeof value !== "object" || value === null) return value;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<PathKey, unknown>;
  for (const [key, child] of node.children) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    copy[key] = rebuild((value as Record<PathKey, unknown>)[key], child);
  }
  return copy;
}
