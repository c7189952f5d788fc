/** One remembered session: a node of a doubly linked list, least recently picked first. */
interface SessionEntry {
  readonly sessionId: string;
  profileId: string;
  prev: SessionEntry | null;
  next: SessionEntry | null;
}

/**
 * Session id → sticky profile id, bounded, the least recently picked forgotten first.
 *
 * @remarks A pick of a session already remembered moves its entry to the end of an intrusive
 * linked list and changes its profile in place: no map deletion and re-insertion, no allocation
 * (the warm path with a `sessionId` costs what it costs without). Eviction is exact LRU, O(1).
 *
 * @internal
 */
export class StickySessions {
  readonly #max: number;
  readonly #entries = new Map<string, SessionEntry>();
  #oldest: SessionEntry | null = null;
  #newest: SessionEntry | null = null;

  /** @param max - sessions remembered at most */
  constructor(max: number) {
    this.#max = max;
  }

  /** @returns how many sessions are remembered */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * @param sessionId - the session
   * @returns its sticky profile, or `undefined`
   */
  get(sessionId: string): string | undefined {
    return this.#entries.get(sessionId)?.profileId;
  }

  /**
   * Remembers a session's profile as picked now.
   *
   * @param sessionId - the session
   * @param profileId - its profile
   */
  remember(sessionId: string, profileId: string): void {
    let entry = this.#entries.get(sessionId);
    if (entry !== undefined) {
      entry.profileId = profileId;
      if (entry !== this.#newest) {
        this.#unlink(entry);
        this.#append(entry);
      }
      return;
    }
    entry = { sessionId, profileId, prev: null, next: null };
    this.#entries.set(sessionId, entry);
    this.#append(entry);
    if (this.#entries.size > this.#max && this.#oldest !== null) this.#drop(this.#oldest);
  }

  /** @param profileId - a profile that failed: every session sticky to it is forgotten */
  forgetProfile(profileId: string): void {
    for (const entry of this.#entries.values()) if (entry.profileId === profileId) this.#drop(entry);
  }

  /** @returns the remembered session ids, least recently picked first */
  idsByRecency(): string[] {
    const out: string[] = [];
    for (let entry = this.#oldest; entry !== null; entry = entry.next) out.push(entry.sessionId);
    return out;
  }

  #drop(entry: SessionEntry): void {
    this.#unlink(entry);
    this.#entries.delete(entry.sessionId);
  }

  #unlink(entry: SessionEntry): void {
    if (entry.prev === null) this.#oldest = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === null) this.#newest = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = null;
    entry.next = null;
  }

  #append(entry: SessionEntry): void {
    entry.prev = this.#newest;
    entry.next = null;
    if (this.#newest === null) this.#oldest = entry;
    else this.#newest.next = entry;
    this.#newest = entry;
  }
}
