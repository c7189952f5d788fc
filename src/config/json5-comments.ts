/**
 * Tells whether JSON5 text contains a comment (`//` or `/* … *\/` outside strings). Rewriting such
 * a file as JSON loses the comments, so the writer keeps a `.bak` copy first.
 *
 * @param text - JSON5 text (need not be valid)
 * @returns `true` when at least one comment is present
 * @internal
 */
export function hasJson5Comments(text: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quote !== null) {
      if (char === "\\") i += 1;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) return true;
  }
  return false;
}
