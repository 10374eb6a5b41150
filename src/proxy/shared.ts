/**
 * The fleet's shared store as the proxy uses it: every call bounded in time and never failing.
 * While the store rejects or hangs, the proxy works from a memory store of its own with its share
 * of the budget (`upstreamPerMinute / instances`), says so once in its log, tries the store again
 * every few seconds and says so again when it answers (README "Deploying at scale").
 *
 * The memory share counts every call this instance made in the budget's window, through the store
 * too, so going to memory never hands out a fresh share on top of what the store already counted.
 */
import {
  BUDGET_WINDOW_MS,
  memoryStore,
  timeoutAfterIo,
  type ProxyStore,
  type StoredBlock,
} from './store.js';

/** How long the proxy works from memory before it tries the store again. */
const RETRY_STORE_MS = 5000;

export class SharedStore {
  readonly #store: ProxyStore;
  readonly #memory: ProxyStore;
  readonly #timeoutMs: number;
  readonly #instances: number;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  /** Whether writes also go to the memory store (not when the store is one already). */
  readonly #mirror: boolean;
  /** While working from memory: when to try the store again; 0 while the store answers. */
  #retryAt = 0;
  /** Tokens taken from memory while the store was away, told to the store when it is back. */
  #owed: { bucket: string; perMinute: number; at: number }[] = [];

  constructor(
    store: ProxyStore,
    options: {
      timeoutMs: number;
      instances: number;
      log: (line: string) => void;
      now: () => number;
      /** Keep a memory copy of blocks and the pause, to serve from should the store go away. */
      mirror: boolean;
    },
  ) {
    this.#mirror = options.mirror;
    this.#store = store;
    this.#memory = memoryStore({ now: options.now });
    this.#timeoutMs = options.timeoutMs;
    this.#instances = options.instances;
    this.#log = options.log;
    this.#now = options.now;
  }

  /** Whether the proxy works from memory now. */
  get degraded(): boolean {
    return this.#retryAt !== 0;
  }

  getBlock(key: string): Promise<StoredBlock | undefined> {
    return this.#call(
      (store) => store.getBlock(key),
      (memory) => memory.getBlock(key),
    );
  }

  async setBlock(key: string, block: StoredBlock, ttlMs: number): Promise<void> {
    // The memory copy is what this instance serves from should the store go away later.
    if (this.#mirror) await this.#memory.setBlock(key, block, ttlMs);
    await this.#call(
      (store) => store.setBlock(key, block, ttlMs),
      async () => undefined,
    );
  }

  acquireLock(key: string, ttlMs: number): Promise<string | null> {
    return this.#call(
      (store) => store.acquireLock(key, ttlMs),
      (memory) => memory.acquireLock(key, ttlMs),
    );
  }

  async releaseLock(key: string, token: string): Promise<void> {
    await this.#memory.releaseLock(key, token);
    await this.#call(
      (store) => store.releaseLock(key, token),
      async () => undefined,
    );
  }

  takeToken(bucket: string, perMinute: number, now: number): Promise<boolean> {
    return this.#call(
      async (store) => {
        const taken = await store.takeToken(bucket, perMinute, now);
        // Counted in memory as well: this instance's calls of the window, should the store go away.
        if (taken && this.#mirror) await this.#memory.takeToken(bucket, Infinity, now);
        return taken;
      },
      async (memory) => {
        const share = Math.max(1, Math.floor(perMinute / this.#instances));
        const taken = await memory.takeToken(bucket, share, now);
        if (taken) this.#owed.push({ bucket, perMinute, at: now });
        return taken;
      },
    );
  }

  async pauseUntil(until: number): Promise<void> {
    if (this.#mirror) await this.#memory.pauseUntil(until);
    await this.#call(
      (store) => store.pauseUntil(until),
      async () => undefined,
    );
  }

  async pausedUntil(): Promise<number> {
    const local = await this.#memory.pausedUntil();
    const shared = await this.#call(
      (store) => store.pausedUntil(),
      async () => 0,
    );
    return Math.max(local, typeof shared === 'number' && Number.isFinite(shared) ? shared : 0);
  }

  /**
   * The calls made on memory tokens in the last minute count in the shared budget too, so the
   * fleet's rolling minute stays within it after an outage (or a timeout that was only a slow
   * event loop). Best effort, in the background.
   */
  #repay(): void {
    const since = this.#now() - BUDGET_WINDOW_MS;
    const owed = this.#owed.filter((token) => token.at > since);
    this.#owed = [];
    void (async () => {
      for (const token of owed) {
        await this.#store.takeToken(token.bucket, token.perMinute, token.at).catch(() => false);
      }
    })();
  }

  async #call<T>(
    shared: (store: ProxyStore) => Promise<T>,
    local: (memory: ProxyStore) => Promise<T>,
  ): Promise<T> {
    if (this.#retryAt !== 0 && this.#now() < this.#retryAt) return local(this.#memory);
    let cancel: (() => void) | undefined;
    try {
      const answer = await Promise.race([
        Promise.resolve().then(() => shared(this.#store)),
        new Promise<never>((_, reject) => {
          cancel = timeoutAfterIo(this.#timeoutMs, () => reject(new Error('timeout')));
        }),
      ]);
      if (this.#retryAt !== 0) {
        this.#retryAt = 0;
        this.#log('meetergo-slots proxy: the store answers again; sharing cache and budget');
        this.#repay();
      }
      return answer;
    } catch (cause) {
      if (this.#retryAt === 0) {
        const reason = cause instanceof Error && cause.message === 'timeout' ? 'timeout' : 'error';
        this.#log(
          `meetergo-slots proxy: the store is unreachable (${reason}); answering from memory ` +
            `with 1/${this.#instances} of the upstream budget until it answers again`,
        );
      }
      this.#retryAt = this.#now() + RETRY_STORE_MS;
      return local(this.#memory);
    } finally {
      cancel?.();
    }
  }
}
