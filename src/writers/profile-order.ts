import { AuthProfilesError } from "../model/errors.js";
import { CLAUDE_CLI_PROFILE_ID } from "../model/ids.js";
import type { StoreData } from "../model/store.js";
import { writerTarget, type WriterLocation } from "./target.js";
import { checkWriterOptions } from "./arguments.js";

/**
 * Options of {@link setProfileOrder}.
 *
 * @category Writing credentials
 */
export interface SetProfileOrderOptions extends WriterLocation {
  /** The provider, e.g. `anthropic`. */
  readonly provider: string;
  /** Profile ids, preferred first. Each must be stored for the agent or configured for the provider. */
  readonly order: readonly string[];
}

/**
 * Options of {@link clearProfileOrder}.
 *
 * @category Writing credentials
 */
export interface ClearProfileOrderOptions extends WriterLocation {
  /** The provider, e.g. `anthropic`. */
  readonly provider: string;
}

/**
 * What {@link setProfileOrder} and {@link clearProfileOrder} report.
 *
 * @category Writing credentials
 */
export interface ProfileOrderResult {
  /** The provider. */
  readonly provider: string;
  /** The store's order for the provider now, or `null` when it has none. */
  readonly order: readonly string[] | null;
  /** `false` when the store already said exactly this (nothing was written). */
  readonly changed: boolean;
  /** The store. */
  readonly storePath: string;
}

/**
 * Sets the store's explicit profile order for a provider (it wins over the config's `auth.order`
 * and round-robin), under the store lock. Duplicates are dropped, first occurrence kept.
 *
 * @param options - provider, order and the agent's location
 * @returns the order now stored
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an empty order (use {@link clearProfileOrder}) or
 *   ids the agent does not know (named in the message); `STORE_*`, `CONFIG_*`, `FILE_UNSAFE`
 *
 * @example
 * ```ts
 * await setProfileOrder({ agentId: "main", provider: "anthropic", order: ["anthropic:work", "anthropic:default"] });
 * ```
 *
 * @category Writing credentials
 */
export async function setProfileOrder(options: SetProfileOrderOptions): Promise<ProfileOrderResult> {
  checkWriterOptions("setProfileOrder", options);
  const provider = checkProvider(options.provider, "setProfileOrder");
  if (!Array.isArray(options.order) || options.order.length === 0 || !options.order.every((id) => typeof id === "string" && id.trim() !== "")) {
    throw new AuthProfilesError("INVALID_ARGUMENT", "setProfileOrder needs a non-empty list of profile ids.", {
      hint: `Pass e.g. order: ["${provider}:default"], or call clearProfileOrder to go back to the config order / round-robin.`,
    });
  }
  const order = [...new Set(options.order)];
  const target = await writerTarget(options);
  try {
    const configured = target.config.auth?.profiles ?? {};
    const { result: changed } = await target.store.update((current) => {
      const unknown = order.filter((id) => !knownFor(current, configured, provider, id));
      if (unknown.length > 0) {
        throw new AuthProfilesError("INVALID_ARGUMENT", `Unknown profile${unknown.length === 1 ? "" : "s"} for ${provider} in agent "${target.agentId}": ${unknown.join(", ")} (store ${target.store.path}).`, {
          hint: "Save the credential first, or check the ids in the status report.",
          details: { provider, unknown, storePath: target.store.path },
        });
      }
      const next = withOrder(current, provider, order);
      return next === current ? { result: false } : { data: next, result: true };
    });
    return { provider, order, changed, storePath: target.store.path };
  } finally {
    await target.close();
  }
}

/**
 * Removes the store's explicit profile order for a provider (back to the config's `auth.order`,
 * else round-robin), under the store lock.
 *
 * @param options - provider and the agent's location
 * @returns `order: null`, and whether there was one
 * @throws AuthProfilesError `INVALID_ARGUMENT` for an empty provider; `STORE_*`, `CONFIG_*`, `FILE_UNSAFE`
 *
 * @category Writing credentials
 */
export async function clearProfileOrder(options: ClearProfileOrderOptions): Promise<ProfileOrderResult> {
  checkWriterOptions("clearProfileOrder", options);
  const provider = checkProvider(options.provider, "clearProfileOrder");
  const target = await writerTarget(options);
  try {
    const { result: changed } = await target.store.update((current) => {
      const next = withOrder(current, provider, null);
      return next === current ? { result: false } : { data: next, result: true };
    });
    return { provider, order: null, changed, storePath: target.store.path };
  } finally {
    await target.close();
  }
}

/**
 * The store document with a provider's order set (or removed with `null`).
 *
 * @param data - the current document
 * @param provider - the provider key
 * @param ids - the new order, or `null` to remove it
 * @returns the new document, or `data` itself when nothing changes
 * @internal
 */
export function withOrder(data: StoreData, provider: string, ids: readonly string[] | null): StoreData {
  const current = data.order?.[provider];
  if (ids === null ? current === undefined : current !== undefined && current.length === ids.length && current.every((id, i) => id === ids[i])) return data;
  const { [provider]: _old, ...others } = data.order ?? {};
  const order = ids === null ? others : { ...others, [provider]: ids };
  const { order: _previous, ...rest } = data;
  return Object.keys(order).length === 0 ? { ...rest, version: 1 } : { ...rest, version: 1, order };
}

function knownFor(data: StoreData, configured: Readonly<Record<string, { readonly provider?: string }>>, provider: string, id: string): boolean {
  if (id === CLAUDE_CLI_PROFILE_ID && provider === "anthropic") return true;
  const stored = Object.hasOwn(data.profiles, id) ? data.profiles[id] : undefined;
  const meta = Object.hasOwn(configured, id) ? configured[id] : undefined;
  return stored?.provider === provider || meta?.provider === provider;
}

function checkProvider(provider: unknown, fn: string): string {
  if (typeof provider !== "string" || provider.trim() === "") {
    throw new AuthProfilesError("INVALID_ARGUMENT", `${fn} needs a provider.`, { hint: 'Pass provider: "anthropic".' });
  }
  return provider.trim().toLowerCase();
}
