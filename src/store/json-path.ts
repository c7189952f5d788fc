import type * as v from "valibot";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Formats a JSON path the way people read it: `profiles["anthropic:work"].key`, `order.anthropic[1]`.
 *
 * @param keys - the path from the document root
 * @returns the path, or `(root)` for the document itself
 * @internal
 */
export function formatJsonPath(keys: readonly (string | number)[]): string {
  let out = "";
  for (const key of keys) {
    if (typeof key === "number") out += `[${key}]`;
    else if (IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === "" ? "(root)" : out;
}

/**
 * The JSON path of a valibot issue. Only the keys are used, never `issue.input` or a path item's
 * `value`, which may hold a secret.
 *
 * @param issue - a valibot issue
 * @returns the formatted path, see {@link formatJsonPath}
 * @internal
 */
export function issueJsonPath(issue: v.BaseIssue<unknown>): string {
  const keys = (issue.path ?? []).map((item) => {
    const key: unknown = item.key;
    return typeof key === "number" ? key : String(key);
  });
  return formatJsonPath(keys);
}
