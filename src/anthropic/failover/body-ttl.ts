import type { MiddlewareContext } from "@anthropic-ai/sdk";
import type { CacheControlTtl } from "../../config/types.js";
import { applyCacheTtl } from "../../request/cache-ttl.js";
import { decorateJsonBody } from "../../request/decorate-json-body.js";
import type { ResolvedAuth } from "../../resolver/types.js";

/** The SDK's options of one call (method, path, the body object before it is encoded). */
type CallOptions = NonNullable<MiddlewareContext["options"]>;

/** What {@link BodyTtl.prepare} did to one call's body. */
interface Prepared {
  /** The caller's body object (never changed). */
  readonly original: object;
  /** The TTL written into the body the SDK encodes, or `null` when it was left as is. */
  readonly ttl: CacheControlTtl | null;
}

/** The body of one attempt and whether a TTL was written into it. @internal */
export interface AttemptBody {
  /** The encoded body to send, or `null` to send the request's own body. */
  readonly body: string | null;
  /** Whether the body carries TTLs written by us (then the extended-cache-ttl beta is added). */
  readonly ttlWritten: boolean;
}

/**
 * Writes the prompt-cache TTL into the SDK's body object once per call, before the SDK encodes it,
 * instead of parsing and re-encoding the JSON text on every attempt.
 *
 * @remarks
 * The client calls {@link BodyTtl.prepare} from the SDK's `prepareOptions` hook, which runs before
 * each attempt is encoded. The credential of an attempt is only known later, in the middleware, so
 * `prepare` writes the TTL that the last attempt for the same model used (API keys with a
 * configured TTL), and {@link BodyTtl.attempt} checks it against the credential actually chosen.
 * When they differ (an OAuth profile after an API key) the attempt's body is built from the
 * caller's object; when nothing was prepared (the first call for a model, a middleware used without
 * the client) from the encoded text, and only when the credential wants a TTL. The caller's object is never changed: only the objects on the way
 * to a changed marker are copied.
 *
 * @internal
 */
export class BodyTtl {
  readonly #prepared = new WeakMap<CallOptions, Prepared>();
  readonly #lastTtl = new Map<string, CacheControlTtl | null>();

  /** @param options - the SDK's options of a call, about to be encoded (its `body` may be replaced) */
  prepare(options: CallOptions): void {
    if (this.#prepared.has(options)) return; // an SDK retry of the same call
    const body: unknown = options.body;
    if (!isPlainObject(body)) return;
    const model = body["model"];
    const ttl = typeof model === "string" ? (this.#lastTtl.get(model) ?? null) : null;
    // No TTL known for the model: nothing to remember, the attempt then works from the request.
    if (ttl === null) return;
    const result = applyCacheTtl(body, ttl);
    this.#prepared.set(options, { original: body, ttl: result.cacheControlTtlApplied === null ? null : ttl });
    if (result.cacheControlTtlApplied !== null) (options as { body?: unknown }).body = result.params;
  }

  /**
   * @param options - the SDK's options of the call (`ctx.options`), if any
   * @param model - the call's model
   * @param encoded - the request's encoded body
   * @param auth - the credential of this attempt
   * @returns the body to send
   */
  attempt(options: CallOptions | undefined, model: string | undefined, encoded: unknown, auth: ResolvedAuth): AttemptBody {
    const wanted = auth.mode === "api_key" || auth.cacheTtlForSubscription === true ? auth.cacheControlTtl : null;
    if (model !== undefined && this.#lastTtl.get(model) !== wanted) {
      if (this.#lastTtl.size >= 256) this.#lastTtl.clear();
      this.#lastTtl.set(model, wanted);
    }
    const prepared = options === undefined ? undefined : this.#prepared.get(options);
    if (prepared === undefined && wanted === null) return AS_ENCODED;
    if (prepared !== undefined) {
      if (prepared.ttl === wanted) return wanted === null ? AS_ENCODED : TTL_ENCODED;
      if (wanted === null) return { body: JSON.stringify(prepared.original), ttlWritten: false };
      const result = applyCacheTtl(prepared.original, wanted);
      return result.cacheControlTtlApplied === null
        ? { body: prepared.ttl === null ? null : JSON.stringify(prepared.original), ttlWritten: false }
        : { body: JSON.stringify(result.params), ttlWritten: true };
    }
    const body = typeof encoded === "string" ? decorateJsonBody(auth, encoded) : null;
    return { body, ttlWritten: body !== null };
  }
}

/** The request's own body, as the SDK encoded it (no TTL written by us). */
const AS_ENCODED: AttemptBody = Object.freeze({ body: null, ttlWritten: false });
/** The request's own body, which already carries the TTL written by {@link BodyTtl.prepare}. */
const TTL_ENCODED: AttemptBody = Object.freeze({ body: null, ttlWritten: true });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
