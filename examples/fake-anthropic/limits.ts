/**
 * Per-credential, per-model-family rate limits of the fake server, answered with Anthropic's real
 * header names and formats: API keys get `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`
 * (RFC 3339 resets), subscription tokens get the unified family (`unified-status`, `unified-reset`
 * and `unified-5h-*` in epoch seconds, utilization 0–1).
 */

/** A limit of one credential: so many requests per fixed window, for each model family apart. */
export interface FakeLimit {
  /** Requests allowed per window and family. */
  readonly requestsPerWindow: number;
  /** Window length, in ms of the server's clock; windows start at multiples of it. */
  readonly windowMs: number;
  /** Header style. Default: `unified` for `sk-ant-oat…` tokens, `standard` otherwise. */
  readonly style?: "standard" | "unified";
  /** Send `retry-after` on a 429 (seconds until the reset). Default `true` for `standard`, `false` for `unified`. */
  readonly retryAfter?: boolean;
}

/** What a limited credential's request gets. @internal */
export interface LimitDecision {
  /** Whether the request is within the limit. */
  readonly allowed: boolean;
  /** The rate-limit headers for the response. */
  readonly headers: Readonly<Record<string, string>>;
}

const FAMILIES = ["opus", "sonnet", "haiku", "fable", "mythos"] as const;

/**
 * The rate-limit family of a request, as the fake server pools it.
 *
 * @param model - the model id
 * @param fast - `speed: "fast"`
 * @returns the family
 * @internal
 */
export function fakeFamilyOf(model: string, fast: boolean): string {
  const id = model.toLowerCase();
  const family = FAMILIES.find((name) => id.includes(name)) ?? id;
  return fast ? `${family}:fast` : family;
}

/** Counts requests per (credential, family, window). @internal */
export class FakeLimits {
  readonly #limits = new Map<string, FakeLimit>();
  readonly #used = new Map<string, { window: number; count: number }>();
  /** 429s answered because a limit was reached. */
  rejected = 0;

  /**
   * @param credential - the key or token
   * @param limit - its limit, or `null` to lift it
   */
  set(credential: string, limit: FakeLimit | null): void {
    if (limit === null) this.#limits.delete(credential);
    else this.#limits.set(credential, limit);
  }

  /** Forgets every limit and count. */
  clear(): void {
    this.#limits.clear();
    this.#used.clear();
    this.rejected = 0;
  }

  /**
   * Counts one request.
   *
   * @param credential - its credential
   * @param family - its model family
   * @param now - epoch ms
   * @returns `null` when the credential has no limit, else the decision and headers
   */
  check(credential: string, family: string, now: number): LimitDecision | null {
    const limit = this.#limits.get(credential);
    if (limit === undefined) return null;
    const window = Math.floor(now / limit.windowMs);
    const key = `${credential}\u0000${family}`;
    const used = this.#used.get(key);
    const count = used !== undefined && used.window === window ? used.count : 0;
    const allowed = count < limit.requestsPerWindow;
    if (allowed) this.#used.set(key, { window, count: count + 1 });
    else this.rejected += 1;
    const resetAt = (window + 1) * limit.windowMs;
    const spent = allowed ? count + 1 : count;
    const unified = (limit.style ?? (credential.startsWith("sk-ant-oat") ? "unified" : "standard")) === "unified";
    const headers = unified ? unifiedHeaders(limit, spent, allowed, resetAt) : standardHeaders(limit, spent, resetAt);
    const retry = limit.retryAfter ?? !unified;
    if (!allowed && retry) headers["retry-after"] = String(Math.max(1, Math.ceil((resetAt - now) / 1_000)));
    return { allowed, headers };
  }
}

function standardHeaders(limit: FakeLimit, spent: number, resetAt: number): Record<string, string> {
  const reset = new Date(resetAt).toISOString().replace(/\.\d{3}Z$/, "Z");
  const remaining = Math.max(0, limit.requestsPerWindow - spent);
  return {
    "anthropic-ratelimit-requests-limit": String(limit.requestsPerWindow),
    "anthropic-ratelimit-requests-remaining": String(remaining),
    "anthropic-ratelimit-requests-reset": reset,
    "anthropic-ratelimit-tokens-limit": "1000000",
    "anthropic-ratelimit-tokens-remaining": "1000000",
    "anthropic-ratelimit-tokens-reset": reset,
  };
}

function unifiedHeaders(limit: FakeLimit, spent: number, allowed: boolean, resetAt: number): Record<string, string> {
  const utilization = Math.min(1, spent / limit.requestsPerWindow);
  const status = !allowed ? "rejected" : utilization >= 0.9 ? "allowed_warning" : "allowed";
  const reset = String(Math.ceil(resetAt / 1_000));
  return {
    "anthropic-ratelimit-unified-status": status,
    "anthropic-ratelimit-unified-reset": reset,
    "anthropic-ratelimit-unified-representative-claim": "five_hour",
    "anthropic-ratelimit-unified-5h-utilization": utilization.toFixed(4),
    "anthropic-ratelimit-unified-5h-reset": reset,
    "anthropic-ratelimit-unified-5h-status": status,
    "anthropic-ratelimit-unified-7d-utilization": (utilization / 10).toFixed(4),
    "anthropic-ratelimit-unified-7d-status": "allowed",
  };
}
