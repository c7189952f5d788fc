/**
 * Characters that can rewrite what a terminal shows: C0 and C1 controls (ESC starts colour, cursor
 * and screen-clearing sequences; CR and LF start a forged line), DEL, the Unicode line and paragraph
 * separators, and the bidirectional overrides, embeddings and isolates that reorder text on screen.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Makes a value from outside (a profile id, an email, an error message, a path) safe to print on
 * one line of a text report: every character in {@link UNPRINTABLE} becomes a visible escape
 * (`\n`, `\r`, `\t`, `\x1b`, `\u202e`), so a stored id cannot forge a row, clear the screen or
 * colour a warning away. Text without such characters is returned as it is.
 *
 * @param text - any text
 * @returns the text with control characters escaped
 * @internal
 */
export function printable(text: string): string {
  UNPRINTABLE.lastIndex = 0;
  if (!UNPRINTABLE.test(text)) return text;
  return text.replace(UNPRINTABLE, (char) => {
    const named = NAMED[char];
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
