/**
 * The deepest nesting of objects and arrays any file this library reads may have. Real stores,
 * configs and Claude Code logins nest fewer than 10 levels; recursive code (validation, JSON5,
 * `JSON.stringify`) overflows the stack in the thousands, with a bare `RangeError`.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Tells whether JSON or JSON5 text nests objects and arrays deeper than `limit`, in one linear
 * pass without recursion and without parsing: brackets inside strings (double- or single-quoted,
 * with escapes) and comments (JSON5) do not count.
 *
 * @param text - the text
 * @param limit - the deepest nesting allowed
 * @returns `true` when some bracket opens level `limit + 1`
 * @internal
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      // A string: skip to its closing quote (an unterminated one ends the scan).
      for (i += 1; i < text.length && text.charCodeAt(i) !== c; i += 1) if (text.charCodeAt(i) === 0x5c) i += 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}
