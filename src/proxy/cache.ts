/**
 * The proxy's only state: a bounded TTL cache, single-flight of identical requests and a
 * per-client rate limiter. Fetch-standard runtimes only (no Node APIs); time is passed in.
 */

/** A cached value and the moment (ms since the epoch) it stops being fresh. */
export interface CacheEntry<V> {
  value: V;
  expiresAt: number;
}

/** A map whose entries expire; when full, expired entries go first, then the oldest. */
export class TtlCache<V> {
  readonly #entries = new Map<string, CacheEntry<V>>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** The entry for `key` if still fresh at `now`. */
  get(key: string, now: number): CacheEntry<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, value: V, expiresAt: number, now: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      for (const [k, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(k);
    }
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt });
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
 * A fixed-window counter per client: `limit` takes per `windowMs`. Clients whose window has
 * passed are forgotten when the table grows past `maxClients`.
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
    for (const [k, s] of this.#clients) {
      if (now - s.windowStart >= this.#windowMs) this.#clients.delete(k);
    }
    while (this.#clients.size >= this.#maxClients) {
      const oldest = this.#clients.keys().next().value;
      if (oldest === undefined) break;
      this.#clients.delete(oldest);
    }
  }
}
