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
   * in the 60 s before `now` (ms since the epoch), so no rolling minute ever holds more.
   */
  takeToken(bucket: string, perMinute: number, now: number): Promise<boolean>;
  /** Pause every upstream call until `until` (ms since the epoch); a later pause wins. */
  pauseUntil(until: number): Promise<void>;
  /** The end of the current pause in ms since the epoch (0 or past: no pause). */
  pausedUntil(): Promise<number>;
}
