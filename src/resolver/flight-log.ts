/**
 * The requests in flight to one (profile, model family) pair: the epoch ms each was picked, oldest
 * first, in a fixed ring so that recording one is O(1) and allocates nothing.
 *
 * @module
 */

/**
 * Epoch ms of requests picked and not yet reported, oldest first, at most `capacity` of them (the
 * oldest is dropped to make room: past that many the count changes no decision).
 *
 * @internal
 */
export class FlightLog {
  readonly #at: Float64Array;
  #head = 0;
  #size = 0;

  /** @param capacity - how many are remembered at most */
  constructor(capacity: number) {
    this.#at = new Float64Array(capacity);
  }

  /** How many are in flight. */
  get size(): number {
    return this.#size;
  }

  /** @returns when the oldest was picked, or `undefined` when none is in flight */
  oldest(): number | undefined {
    return this.#size === 0 ? undefined : this.#at[this.#head];
  }

  /** @param at - epoch ms the request was picked; the oldest is dropped when full */
  push(at: number): void {
    const capacity = this.#at.length;
    if (this.#size === capacity) {
      this.#at[this.#head] = at;
      this.#head = (this.#head + 1) % capacity;
      return;
    }
    this.#at[(this.#head + this.#size) % capacity] = at;
    this.#size += 1;
  }

  /** Forgets the oldest (one request was reported). */
  dropOldest(): void {
    if (this.#size === 0) return;
    this.#head = (this.#head + 1) % this.#at.length;
    this.#size -= 1;
  }

  /** @param before - epoch ms: flights picked at or before it are forgotten */
  prune(before: number): void {
    while (this.#size > 0 && (this.#at[this.#head] ?? before) <= before) this.dropOldest();
  }
}
