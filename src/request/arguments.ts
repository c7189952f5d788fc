import * as v from "valibot";
import { anyObject, checkArgument, isObjectArgument, optionsObject } from "../model/arguments.js";

// The mode is checked by name where it is used ("Unknown credential mode …"); here only its type.
const decorationAuth = optionsObject({ mode: v.string(), secret: v.string() });
const headerDecoration = optionsObject({ headers: anyObject, removeHeaders: v.array(v.string()) });
const betaList = v.array(v.string());
const isString = (value: unknown): boolean => typeof value === "string";

/**
 * Checks the credential a decoration function gets (allocation-free when well-formed).
 *
 * @param fn - the public function's name
 * @param auth - what was passed
 * @internal
 */
export function checkDecorationAuth(fn: string, auth: unknown): void {
  if (isObjectArgument(auth)) {
    const { mode, secret } = auth as { mode?: unknown; secret?: unknown };
    if (typeof secret === "string" && typeof mode === "string") return;
  }
  checkArgument(fn, "auth", decorationAuth, auth);
}

/**
 * Checks a header decoration (`headers` and `removeHeaders`).
 *
 * @param fn - the public function's name
 * @param decoration - what was passed
 * @internal
 */
export function checkHeaderDecoration(fn: string, decoration: unknown): void {
  if (isObjectArgument(decoration)) {
    const { headers, removeHeaders } = decoration as { headers?: unknown; removeHeaders?: unknown };
    if (isObjectArgument(headers) && Array.isArray(removeHeaders)) return;
  }
  checkArgument(fn, "decoration", headerDecoration, decoration);
}

/**
 * Checks a list of beta names.
 *
 * @param fn - the public function's name
 * @param list - what was passed
 * @internal
 */
export function checkBetaList(fn: string, list: unknown): void {
  if (Array.isArray(list) && list.every(isString)) return;
  checkArgument(fn, "betas", betaList, list);
}

/**
 * Checks a cache TTL argument (`"5m"` or `"1h"`).
 *
 * @param fn - the public function's name
 * @param ttl - what was passed
 * @internal
 */
export function checkCacheTtlArgument(fn: string, ttl: unknown): void {
  checkArgument(fn, "ttl", v.picklist(["5m", "1h"]), ttl);
}
