/**
 * The proxy's in-process state: a cache capped by bytes, single-flight of identical work and a
 * per-client rate limiter. Fetch-standard runtimes only (no Node APIs); time is passed in.
 */

/**
 * A least-recently-used map capped by the bytes its values hold (as the caller counts them), not
 * by their number: one host's month of windows and one booking URL weigh what they weigh.
 */
export class ByteCache<V> {
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** The bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // Re-inserting moves the entry to the young end; a Map keeps insertion order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`, weighing `bytes` (keys count too); the oldest entries go to make room. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    const weight = bytes + key.length * 2;
    if (weight > this.#maxBytes) return;
    while (this.#bytes + weight > this.#maxBytes) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    this.#entries.set(key, { value, bytes: weight });
    this.#bytes += weight;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}

/** Runs one `task` per key at a time; callers of a key already running share its promise. */
export class SingleFlight<V> {
  readonly #flights = new Map<string, Promise<V>>();

  /** The promise of the flight running for `key`, if any. */
  joined(key: string): Promise<V> | undefined {
    return this.#flights.get(key);
  }

  run(key: string, task: () => Promise<V>): Promise<V> {
    const running = this.#flights.get(key);
    if (running !== undefined) return running;
    const flight = Promise.resolve()
      .then(task)
      .finally(() => {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      });
    this.#flights.set(key, flight);
    return flight;
  }
}

/**
 * A fixed-window counter per client: `limit` takes per `windowMs`. A client's entry is re-inserted
 * whenever its window starts, so the table is ordered by window start and forgetting the clients
 * whose window has passed stops at the first one still counting: a full table costs a new client
 * O(1) (amortized), never a scan of every client.
 */
export class RateLimiter {
  readonly #clients = new Map<string, { windowStart: number; count: number }>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxClients: number;

  constructor(limit: number, windowMs = 60_000, maxClients = 10_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#maxClients = maxClients;
  }

  /** Clients in the table now. */
  get size(): number {
    return this.#clients.size;
  }

  /** Takes one request for `client`: 0 when allowed, else the ms until its window resets. */
  take(client: string, now: number): number {
    let state = this.#clients.get(client);
    if (state === undefined || now - state.windowStart >= this.#windowMs) {
      this.#clients.delete(client);
      this.#prune(now);
      state = { windowStart: now, count: 0 };
      this.#clients.set(client, state);
    }
    if (state.count >= this.#limit) return state.windowStart + this.#windowMs - now;
    state.count += 1;
    return 0;
  }

  #prune(now: number): void {
    if (this.#clients.size < this.#maxClients) return;
    for (const [key, state] of this.#clients) {
      if (now - state.windowStart < this.#windowMs) break;
      this.#clients.delete(key);
    }
    // Still full of clients inside their window: the oldest one makes room.
    if (this.#clients.size >= this.#maxClients) {
      const oldest = this.#clients.keys().next().value;
      if (oldest !== undefined) this.#clients.delete(oldest);
    }
  }
}
