/**
 * `redisStore()`: what a fleet of proxies shares (cached blocks, the refresh lock, the upstream
 * budget and the pause after meetergo's 429), kept in Redis through a node-redis v5 client.
 * See the README, "Deploying at scale: a Node fleet with Redis".
 *
 * Every call answers within `timeoutMs` or rejects, so when Redis is down or hangs the proxy
 * answers from memory at once; a node-redis client reconnects by itself, and the next calls use
 * Redis again. Keys are `<prefix>block:…`, `<prefix>lock:…`, `<prefix>budget:…` and
 * `<prefix>pause`, made from what the proxy passes (user ids, meeting type ids, block starts,
 * a hashed bucket name); the API key is never part of a key or a value.
 */
import { createHash, randomUUID } from 'node:crypto';
import { BUDGET_WINDOW_MS, timeoutAfterIo, type ProxyStore, type StoredBlock } from './store.js';

/**
 * The part of a node-redis client (`createClient()` from `redis`) the store uses. Give it a
 * client made with `disableOfflineQueue: true`, so calls fail at once while Redis is down.
 */
export interface RedisStoreClient {
  sendCommand(args: readonly string[], options?: { timeout?: number }): Promise<unknown>;
  /** When present and the client has no `'error'` listener, the store adds a silent one. */
  on?(event: 'error', listener: (error: unknown) => void): unknown;
  listenerCount?(event: 'error'): number;
}

export interface RedisStoreOptions {
  /** Put in front of every key, so several fleets (or other data) share one Redis. Default `meetergo-slots:`. */
  prefix?: string;
  /** A call that Redis has not answered after this many ms rejects. Default 500. */
  timeoutMs?: number;
}

const MINUTE = 60_000;
/** How long an unused budget bucket stays in Redis (it holds at most `perMinute` entries). */
const BUDGET_TTL = 10 * MINUTE;

/** Release the lock only when it still holds the caller's token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * One token of a rolling-minute budget: forget what was taken 61 s or more before `now` (a minute
 * and the slack of BUDGET_WINDOW_MS), then take one if fewer than `perMinute` remain. One script,
 * so concurrent takers never overshoot.
 */
const TAKE = `local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ${BUDGET_WINDOW_MS})
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ${BUDGET_TTL})
return 1`;

/** A later pause wins. */
const PAUSE = `local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1]) return 1 end
return 0`;

interface Script {
  source: string;
  sha: string;
}
const script = (source: string): Script => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});
const SCRIPTS = { release: script(RELEASE), take: script(TAKE), pause: script(PAUSE) };

/**
 * A {@link ProxyStore} in Redis, for `createMeetergoProxy({ store })`. `client` is a connected
 * node-redis v5 client; the store never connects, closes or reconfigures it (apart from adding a
 * silent `'error'` listener when it has none, so an outage cannot crash the process).
 */
export function redisStore(client: RedisStoreClient, options: RedisStoreOptions = {}): ProxyStore {
  if (client === null || typeof client !== 'object' || typeof client.sendCommand !== 'function') {
    throw new TypeError('redisStore: `client` must be a node-redis client (createClient())');
  }
  const prefix = options.prefix ?? 'meetergo-slots:';
  if (typeof prefix !== 'string') throw new TypeError('redisStore: `prefix` must be a string');
  const timeoutMs = options.timeoutMs ?? 500;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError('redisStore: `timeoutMs` must be a positive number of milliseconds');
  }
  if (typeof client.on === 'function' && client.listenerCount?.('error') === 0) {
    client.on('error', () => {});
  }

  /** One command, answered within `timeoutMs` or rejected (also when it never reached Redis). */
  const send = (args: string[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const cancel = timeoutAfterIo(timeoutMs, () =>
        reject(new Error(`redisStore: Redis did not answer within ${timeoutMs} ms`)),
      );
      client.sendCommand(args, { timeout: timeoutMs }).then(
        (reply) => {
          cancel();
          resolve(reply);
        },
        (error: unknown) => {
          cancel();
          reject(error);
        },
      );
    });

  const run = async ({ source, sha }: Script, key: string, args: string[]): Promise<unknown> => {
    try {
      return await send(['EVALSHA', sha, '1', key, ...args]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return send(['EVAL', source, '1', key, ...args]);
    }
  };

  const ms = (value: number, what: string): string => {
    if (!Number.isFinite(value)) throw new TypeError(`redisStore: ${what} must be a finite number`);
    return String(Math.max(1, Math.ceil(value)));
  };

  return {
    async getBlock(key) {
      const value = await send(['GET', `${prefix}block:${key}`]);
      if (typeof value !== 'string') return undefined;
      try {
        const block = JSON.parse(value) as Partial<StoredBlock> | null;
        if (typeof block?.body !== 'string' || !Number.isFinite(block.fetchedAt)) return undefined;
        return block as StoredBlock;
      } catch {
        return undefined; // not ours: a miss
      }
    },
    async setBlock(key, block, ttlMs) {
      await send(['SET', `${prefix}block:${key}`, JSON.stringify(block), 'PX', ms(ttlMs, 'ttlMs')]);
    },
    async acquireLock(key, ttlMs) {
      const token = randomUUID();
      const reply = await send([
        'SET',
        `${prefix}lock:${key}`,
        token,
        'NX',
        'PX',
        ms(ttlMs, 'ttlMs'),
      ]);
      return reply === 'OK' ? token : null;
    },
    async releaseLock(key, token) {
      await run(SCRIPTS.release, `${prefix}lock:${key}`, [token]);
    },
    async takeToken(bucket, perMinute, now) {
      if (!Number.isFinite(now)) throw new TypeError('redisStore: `now` must be a finite number');
      if (!(perMinute >= 1)) return false;
      const member = `${now}:${randomUUID()}`;
      const reply = await run(SCRIPTS.take, `${prefix}budget:${bucket}`, [
        String(now),
        String(Math.floor(perMinute)),
        member,
      ]);
      return reply === 1;
    },
    async pauseUntil(until) {
      if (!Number.isFinite(until))
        throw new TypeError('redisStore: `until` must be a finite number');
      await run(SCRIPTS.pause, `${prefix}pause`, [String(Math.ceil(until))]);
    },
    async pausedUntil() {
      const value = Number(await send(['GET', `${prefix}pause`]));
      return Number.isFinite(value) ? value : 0;
    },
  };
}

export interface RedisStoreConnection {
  /** The store, for `createMeetergoProxy({ store })`. */
  store: ProxyStore;
  /** Closes the Redis client (pending calls finish first when Redis is up). */
  close(): Promise<void>;
}

export interface ConnectRedisStoreOptions extends RedisStoreOptions {
  /** How long to wait for the first connection before returning anyway (ms). Default 2000. */
  waitMs?: number;
}

/**
 * A node-redis client for `url` (`redis://` or `rediss://`, as in `REDIS_URL`) made to fail fast
 * and reconnect by itself, and a {@link redisStore} on it. Needs the optional dependency `redis`.
 * When Redis is not reachable within `waitMs` it returns anyway: the proxy answers from memory
 * until the client connects.
 */
export async function connectRedisStore(
  url: string,
  options: ConnectRedisStoreOptions = {},
): Promise<RedisStoreConnection> {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['redis:', 'rediss:'].includes(parsed.protocol)) {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL');
  }
  let redis: typeof import('redis');
  try {
    redis = await import('redis');
  } catch (cause) {
    if ((cause as { code?: unknown } | null)?.code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new Error(
      "REDIS_URL is set, but the optional dependency 'redis' is not installed (npm install redis@5)",
    );
  }
  const client = redis.createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** Math.min(retries, 5), 2000),
    },
  });
  client.on('error', () => {}); // an outage is the proxy's to report (once), not a crash
  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  client.connect().catch(() => {}); // retries until closed
  const waitMs = options.waitMs ?? 2000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
  return {
    store: redisStore(client, options),
    async close() {
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}
