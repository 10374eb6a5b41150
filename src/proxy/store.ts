/**
 * What the instances of one proxy fleet share: cached blocks with their ages, the refresh lock,
 * the upstream budget and the pause after meetergo's 429. `memoryStore()` (one process) is the
 * default; `redisStore()` from `meetergo-slots/proxy/redis` shares them across a fleet. Any other
 * backend (an edge KV, a Durable Object) implements this interface.
 *
 * Keys are made by the proxy from user ids, meeting type ids and block starts; never from the
 * API key (where one must name the key, it is a hash). A method may reject when its backend is
 * unreachable: the proxy then answers from memory for a while and says so in its log, once.
 */

/**
 * How long a token of the upstream budget counts: meetergo's minute and a second of slack for the
 * time a call takes from its token to meetergo (a busy event loop, a slow connection).
 */
export const BUDGET_WINDOW_MS = 61_000;

/**
 * Calls `fire` once `ms` have passed and the event loop has then read its sockets once more, so
 * an answer that arrived while the loop was busy (a slow process, not a slow store) wins over
 * the timeout. Returns the function that cancels it. (For the stores and the proxy; not exported
 * from the package.)
 */
export function timeoutAfterIo(ms: number, fire: () => void): () => void {
  let timer = setTimeout(() => {
    timer = setTimeout(fire, 0);
  }, ms);
  return () => clearTimeout(timer);
}

/** A cached upstream answer for one block of days. */
export interface StoredBlock {
  /** The block's answer as the proxy keeps it (JSON text). */
  body: string;
  /** When upstream answered, in ms since the epoch (the block's age is measured from it). */
  fetchedAt: number;
}

export interface ProxyStore {
  /** The block stored under `key`, or `undefined`. */
  getBlock(key: string): Promise<StoredBlock | undefined>;
  /** Store `block` under `key`; the store may forget it after `ttlMs`. */
  setBlock(key: string, block: StoredBlock, ttlMs: number): Promise<void>;
  /**
   * Take the refresh lock of `key` for at most `ttlMs`: a token when this caller holds it now,
   * `null` when another holds it. Only the holder's token releases it.
   */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  /** Release the lock of `key` when `token` still holds it (else do nothing). */
  releaseLock(key: string, token: string): Promise<void>;
  /**
   * Take one token of the upstream budget `bucket`: `true` when fewer than `perMinute` were taken
   * in the {@link BUDGET_WINDOW_MS} (61 s) before `now` (ms since the epoch). The second more than
   * meetergo's minute is slack for the time between taking a token and the call reaching meetergo,
   * so no rolling minute as meetergo counts it ever holds more.
   */
  takeToken(bucket: string, perMinute: number, now: number): Promise<boolean>;
  /** Pause every upstream call until `until` (ms since the epoch); a later pause wins. */
  pauseUntil(until: number): Promise<void>;
  /** The end of the current pause in ms since the epoch (0 or past: no pause). */
  pausedUntil(): Promise<number>;
}

/** Options of `memoryStore()`. */
export interface MemoryStoreOptions {
  /** Largest total size of the cached blocks, in bytes (oldest go first). Default 32 MiB. */
  maxBytes?: number;
  /** The clock for expiring blocks and locks (ms since the epoch). Default `Date.now`. */
  now?: () => number;
}

/**
 * The store of one process (the default): blocks in a map capped by bytes, the lock, the budget
 * as a sliding log of the last window's calls, and the pause.
 */
export function memoryStore(options: MemoryStoreOptions = {}): ProxyStore {
  const maxBytes = options.maxBytes ?? 32 << 20;
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new TypeError('meetergo-slots proxy: memoryStore maxBytes must be a positive integer');
  }
  const now = options.now ?? Date.now;
  const blocks = new Map<string, { block: StoredBlock; expiresAt: number; bytes: number }>();
  const locks = new Map<string, { token: string; expiresAt: number }>();
  const buckets = new Map<string, number[]>();
  let bytes = 0;
  let pause = 0;
  let tokens = 0;

  const forget = (key: string) => {
    const entry = blocks.get(key);
    if (entry === undefined) return;
    blocks.delete(key);
    bytes -= entry.bytes;
  };

  return {
    async getBlock(key) {
      const entry = blocks.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        forget(key);
        return undefined;
      }
      return entry.block;
    },
    async setBlock(key, block, ttlMs) {
      forget(key);
      const weight = block.body.length * 2 + key.length * 2 + 64;
      if (weight > maxBytes) return;
      for (const oldest of blocks.keys()) {
        if (bytes + weight <= maxBytes) break;
        forget(oldest);
      }
      blocks.set(key, { block, expiresAt: now() + ttlMs, bytes: weight });
      bytes += weight;
    },
    async acquireLock(key, ttlMs) {
      const held = locks.get(key);
      const at = now();
      if (held !== undefined && held.expiresAt > at) return null;
      tokens += 1;
      const token = `${at.toString(36)}.${tokens.toString(36)}`;
      locks.set(key, { token, expiresAt: at + ttlMs });
      if (locks.size > 10_000) {
        for (const [k, lock] of locks) if (lock.expiresAt <= at) locks.delete(k);
      }
      return token;
    },
    async releaseLock(key, token) {
      if (locks.get(key)?.token === token) locks.delete(key);
    },
    async takeToken(bucket, perMinute, at) {
      let log = buckets.get(bucket);
      if (log === undefined) buckets.set(bucket, (log = []));
      let expired = 0;
      while (expired < log.length && log[expired] <= at - BUDGET_WINDOW_MS) expired += 1;
      if (expired > 0) log.splice(0, expired);
      if (log.length >= perMinute) return false;
      log.push(at);
      return true;
    },
    async pauseUntil(until) {
      pause = Math.max(pause, until);
    },
    async pausedUntil() {
      return pause;
    },
  };
}
