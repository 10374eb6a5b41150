/**
 * The proxy's in-process state: a cache capped by bytes, single-flight of identical work and a
 * per-client rate limiter. Fetch-standard runtimes only (no Node APIs); time is passed in.
 */

interface Sized<V> {
  key: string;
  value: V;
  bytes: number;
}

/**
 * A map capped by the bytes its values hold (as the caller counts them), not by their number:
 * one host's month of windows and one booking URL weigh what they weigh. When full, the entries
 * stored longest ago go first (blocks are stored again at each refresh, so those are the ones
 * nobody asked for lately). Entries are queued in the order they are stored, so making room
 * takes from the queue's head in O(1) (amortized), and a read changes nothing.
 */
export class ByteCache<V> {
  readonly #entries = new Map<string, Sized<V>>();
  #queue: Sized<V>[] = [];
  #head = 0;
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
    return this.#entries.get(key)?.value;
  }

  /** Stores `value`, weighing `bytes` (keys count too); the oldest entries go to make room. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    const entry = { key, value, bytes: bytes + key.length * 2 };
    if (entry.bytes > this.#maxBytes) return;
    const queue = this.#queue;
    while (this.#bytes + entry.bytes > this.#maxBytes && this.#head < queue.length) {
      const oldest = queue[this.#head];
      this.#head += 1;
      if (this.#entries.get(oldest.key) === oldest) this.delete(oldest.key);
    }
    if (this.#head > 1024 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    this.#entries.set(key, entry);
    this.#queue.push(entry);
    this.#bytes += entry.bytes;
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

interface ClientWindow {
  client: string;
  windowStart: number;
  count: number;
}

/**
 * A fixed-window counter per client: `limit` takes per `windowMs`, for at most `maxClients`
 * clients at once. Windows are queued in the order they start, so forgetting the clients whose
 * window has passed, or the oldest when the table is full, takes from the queue's head: a new
 * client costs O(1) (amortized) however full the table is. (A `Map`'s first key is no such
 * shortcut: after many deletes at its front, finding it walks over their holes.)
 */
export class RateLimiter {
  readonly #clients = new Map<string, ClientWindow>();
  #queue: ClientWindow[] = [];
  #head = 0;
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
      this.#prune(now, state === undefined);
      state = { client, windowStart: now, count: 0 };
      this.#clients.set(client, state);
      this.#queue.push(state);
    }
    if (state.count >= this.#limit) return state.windowStart + this.#windowMs - now;
    state.count += 1;
    return 0;
  }

  /** Forgets passed windows, and the oldest client when a newcomer finds the table full. */
  #prune(now: number, newcomer: boolean): void {
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const oldest = queue[this.#head];
      const live = this.#clients.get(oldest.client) === oldest;
      const full = newcomer && this.#clients.size >= this.#maxClients;
      if (live && now - oldest.windowStart < this.#windowMs && !full) break;
      if (live) this.#clients.delete(oldest.client);
      this.#head += 1;
    }
    if (this.#head > 1024 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
