// A ProxyStore on Upstash Redis over HTTP (its REST API), for Workers, Vercel and other edge
// runtimes where a TCP Redis client cannot run: every instance, in every region, shares the
// cached blocks, the refresh lock, the upstream budget and the pause. In your app, import the
// types from 'meetergo-slots/proxy'.
//
//   const handle = createMeetergoProxy({
//     apiKey: env.MEETERGO_API_KEY,
//     store: upstashStore({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }),
//   });
import { BUDGET_WINDOW_MS, type ProxyStore, type StoredBlock } from '../src/proxy/index.js';

export interface UpstashStoreOptions {
  /** The database's REST URL (`https://…upstash.io`). */
  url: string;
  /** Its REST token (a secret, like the meetergo key). */
  token: string;
  /** Prefix of every key, so several proxies can share one database. Default `'mgs:'`. */
  prefix?: string;
  /** The `fetch` to call Upstash with. Default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
}

/** A sliding-log budget: at most ARGV[2] members scored in the window (61 s) before ARGV[1]. */
const TAKE_TOKEN = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - ${BUDGET_WINDOW_MS})
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ${BUDGET_WINDOW_MS + 1000})
return 1`;
/** Delete the lock only while it still holds our token. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
/** A later pause wins; the key expires when the pause is over. */
const PAUSE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local untilMs = tonumber(ARGV[1])
if untilMs > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', math.max(1, untilMs - tonumber(ARGV[2])))
end
return 1`;

export function upstashStore(options: UpstashStoreOptions): ProxyStore {
  const base = options.url.replace(/\/+$/, '');
  const prefix = options.prefix ?? 'mgs:';
  const send = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  /** One Redis command over REST; rejects on any failure, so the proxy falls back to memory. */
  async function command(...args: (string | number)[]): Promise<unknown> {
    const response = await send(
      new Request(base, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(args.map(String)),
      }),
    );
    if (!response.ok) throw new Error(`Upstash answered ${response.status}`);
    const answer = (await response.json()) as { result?: unknown; error?: string };
    if (answer.error !== undefined) throw new Error('Upstash refused the command');
    return answer.result;
  }

  return {
    async getBlock(key) {
      const text = await command('GET', `${prefix}block:${key}`);
      if (typeof text !== 'string') return undefined;
      return JSON.parse(text) as StoredBlock;
    },
    async setBlock(key, block, ttlMs) {
      await command('SET', `${prefix}block:${key}`, JSON.stringify(block), 'PX', ttlMs);
    },
    async acquireLock(key, ttlMs) {
      const token = crypto.randomUUID();
      const set = await command('SET', `${prefix}lock:${key}`, token, 'NX', 'PX', ttlMs);
      return set === 'OK' ? token : null;
    },
    async releaseLock(key, token) {
      await command('EVAL', RELEASE, 1, `${prefix}lock:${key}`, token);
    },
    async takeToken(bucket, perMinute, now) {
      const member = `${now}:${crypto.randomUUID()}`;
      const taken = await command(
        'EVAL',
        TAKE_TOKEN,
        1,
        `${prefix}budget:${bucket}`,
        now,
        perMinute,
        member,
      );
      return Number(taken) === 1;
    },
    async pauseUntil(until) {
      await command('EVAL', PAUSE, 1, `${prefix}pause`, until, Date.now());
    },
    async pausedUntil() {
      return Number((await command('GET', `${prefix}pause`)) ?? 0) || 0;
    },
  };
}
