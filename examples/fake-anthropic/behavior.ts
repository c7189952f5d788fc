/** HTTP statuses the fake server can answer with an Anthropic-shaped error. */
export type FakeErrorStatus = 400 | 401 | 402 | 403 | 404 | 413 | 429 | 500 | 503 | 504 | 529;

/** Answer normally (a message, a stream or a token count). */
export interface FakeOkBehavior {
  /** Always 200. */
  readonly status: 200;
}

/** Answer with an Anthropic error body `{ type: "error", error: { type, message }, request_id }`. */
export interface FakeErrorBehavior {
  /** The HTTP status. */
  readonly status: FakeErrorStatus;
  /** Sent as `retry-after` (seconds) when given. */
  readonly retryAfterSec?: number;
  /** `error.message`; defaults to a message like the real API's for the status. */
  readonly message?: string;
  /** `error.type`; defaults to the real type for the status (`rate_limit_error` for 429, …). */
  readonly errorType?: string;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  readonly errorCode?: string;
  /** Extra response headers, e.g. `anthropic-ratelimit-unified-status`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Never answer; the connection stays open until the client gives up or the server closes. */
export interface FakeHangBehavior {
  /** Always `true`. */
  readonly hang: true;
}

/** Answer normally after a delay. */
export interface FakeDelayBehavior {
  /** Wall-clock delay before the response starts. */
  readonly delayMs: number;
}

/** Destroy the socket without any response (a connection reset). */
export interface FakeResetBehavior {
  /** Always `true`. */
  readonly reset: true;
}

/** Answer 502 with an HTML page, like a proxy in front of the API. */
export interface FakeHtmlBehavior {
  /** Always `true`. */
  readonly html: true;
}

/** Start a normal 200 answer and cut the connection halfway through the body. */
export interface FakeTruncatedBehavior {
  /** Always `true`. */
  readonly truncated: true;
}

/** Answer 200 `text/event-stream` whose stream carries an SSE `error` event (Anthropic's mid-stream errors). */
export interface FakeStreamErrorBehavior {
  /** The error type: `rate_limit_error` or `overloaded_error`. */
  readonly streamError: "rate_limit_error" | "overloaded_error";
  /** Send `message_start` and some content first. Default `false`: the error is the first event. */
  readonly afterContent?: boolean;
}

/** One response behaviour. */
export type FakeSingleBehavior =
  | FakeStreamErrorBehavior
  | FakeOkBehavior
  | FakeErrorBehavior
  | FakeHangBehavior
  | FakeDelayBehavior
  | FakeResetBehavior
  | FakeHtmlBehavior
  | FakeTruncatedBehavior;

/** Behaviours consumed one request at a time; the last one then repeats. */
export interface FakeSequenceBehavior {
  /** The steps, in order. Must not be empty. */
  readonly sequence: readonly FakeSingleBehavior[];
}

/** What the fake server does with a request of one credential. */
export type FakeBehavior = FakeSingleBehavior | FakeSequenceBehavior;

interface Entry {
  readonly behavior: FakeBehavior;
  served: number;
}

/**
 * Behaviours per credential plus a default, each with its own sequence position.
 *
 * @internal
 */
export class BehaviorBook {
  readonly #byCredential = new Map<string, Entry>();
  #fallback: Entry;

  /** @param fallback - the default behaviour */
  constructor(fallback: FakeBehavior) {
    this.#fallback = { behavior: check(fallback), served: 0 };
  }

  /**
   * @param credential - the key or token the behaviour applies to
   * @param behavior - the behaviour (a sequence restarts from its first step)
   */
  set(credential: string, behavior: FakeBehavior): void {
    this.#byCredential.set(credential, { behavior: check(behavior), served: 0 });
  }

  /** @param behavior - the behaviour of credentials without their own */
  setDefault(behavior: FakeBehavior): void {
    this.#fallback = { behavior: check(behavior), served: 0 };
  }

  /**
   * @param credential - the request's credential
   * @returns the behaviour for this request (consumes one sequence step)
   */
  next(credential: string): FakeSingleBehavior {
    const entry = this.#byCredential.get(credential) ?? this.#fallback;
    const { behavior } = entry;
    if (!("sequence" in behavior)) return behavior;
    const step = behavior.sequence[Math.min(entry.served, behavior.sequence.length - 1)];
    entry.served += 1;
    return step ?? { status: 200 };
  }

  /** @param fallback - the default behaviour after the reset */
  reset(fallback: FakeBehavior): void {
    this.#byCredential.clear();
    this.#fallback = { behavior: check(fallback), served: 0 };
  }
}

function check(behavior: FakeBehavior): FakeBehavior {
  if ("sequence" in behavior && behavior.sequence.length === 0) throw new TypeError("A fake behaviour sequence needs at least one step.");
  return behavior;
}
