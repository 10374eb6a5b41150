// A fleet of proxies on one real redis-server: several createMeetergoProxy handlers, each with a
// node-redis client of its own and a real HTTP server on 127.0.0.1, in front of the stand-in of
// meetergo's API. They share the blocks, the refresh lock, the budget and the pause; Redis dying
// mid-test loses no answer, and its return resumes the sharing. Time is injected.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { BUDGET_WINDOW_MS, createMeetergoProxy } from '../../src/proxy/index.js';
import { toNodeHandler } from '../../src/proxy/node.js';
import { redisStore } from '../../src/proxy/redis.js';
import { createStandIn, SEEDED_HOSTS } from '../../src/stand-in/index.js';
import { startRedisServer, type RedisServer } from '../redis-server.js';

type Client = ReturnType<typeof createClient>;

const API_KEY = 'fleet-test-key-5b1e0d';
const T0 = Date.parse('2025-01-06T06:00:00Z');
const ZONES = [
  'Pacific/Honolulu',
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Africa/Nairobi',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  await redis?.close();
});

/** One page of the element: 7 days from `first`, padded by a day each side. */
function page(userId: string, zone: string, first = '2025-01-06'): string {
  const day = (offset: number) =>
    new Date(Date.parse(`${first}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const query = new URLSearchParams({ startDate: day(-1), endDate: day(7), timezone: zone });
  return `/v4/user/${userId}/bookable-windows?${query}`;
}

interface Answer {
  status: number;
  cache: string | null;
  age: number;
  retryAfter: string | null;
  body: string;
}

/** What upstream saw, and a way to hold its answers or make it answer meetergo's 429. */
interface Upstream {
  calls: { path: string; userId: string }[];
  windowCalls(userId?: string): number;
  hold(): () => void;
  answer429(times: number, retryAfterSeconds: number): void;
}

interface Fleet {
  upstream: Upstream;
  logs: string[];
  clients: Client[];
  /** The injected clock of every instance and of the stand-in. */
  advance(ms: number): void;
  get(instance: number, path: string): Promise<Answer>;
  /** A new host in the stand-in. */
  host(): Promise<string>;
  close(): Promise<void>;
}

let prefixes = 0;

async function startFleet(
  size: number,
  options: { upstreamPerMinute?: number } = {},
): Promise<Fleet> {
  let now = T0;
  const standIn = createStandIn({ now: () => new Date(now) });
  const calls: Upstream['calls'] = [];
  let gate: Promise<void> | undefined;
  let fail429 = { times: 0, seconds: 0 };
  const upstream: Upstream = {
    calls,
    windowCalls: (userId) =>
      calls.filter(
        (call) =>
          call.path.endsWith('/bookable-windows') &&
          (userId === undefined || call.userId === userId),
      ).length,
    hold() {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    answer429(times, seconds) {
      fail429 = { times, seconds };
    },
  };
  // meetergo's side of the network boundary: the stand-in, watched.
  const fetchUpstream = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const userId =
      /^\/v4\/user\/([^/]+)\//.exec(url.pathname)?.[1] ??
      request.headers.get('x-meetergo-api-user-id') ??
      '';
    calls.push({ path: url.pathname, userId });
    if (gate !== undefined) await gate;
    if (fail429.times > 0) {
      fail429.times -= 1;
      return Response.json(
        { statusCode: 429, message: 'ThrottlerException: Too Many Requests' },
        { status: 429, headers: { 'Retry-After': String(fail429.seconds) } },
      );
    }
    return standIn.fetch(request);
  };

  const prefix = `fleet-${++prefixes}:`;
  const logs: string[] = [];
  const clients: Client[] = [];
  const servers: Server[] = [];
  const urls: string[] = [];
  for (let i = 0; i < size; i++) {
    const client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: () => 50 },
    });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    const handle = createMeetergoProxy({
      apiKey: API_KEY,
      upstreamUrl: standIn.baseUrl,
      fetch: fetchUpstream,
      store: redisStore(client, { prefix }),
      instances: size,
      upstreamPerMinute: options.upstreamPerMinute ?? 90,
      rateLimitPerMinute: 0,
      now: () => now,
      logger: (line) => {
        if (!line.startsWith('GET ') && !line.startsWith('HEAD ')) logs.push(`${i}: ${line}`);
      },
    });
    const server = createServer(toNodeHandler(handle));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  let hosts = 0;
  return {
    upstream,
    logs,
    clients,
    advance(ms) {
      now += ms;
    },
    async get(instance, path) {
      const response = await fetch(`${urls[instance]}${path}`);
      return {
        status: response.status,
        cache: response.headers.get('x-cache'),
        age: Number(response.headers.get('age') ?? 0),
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      };
    },
    async host() {
      const response = await standIn.fetch(`${standIn.baseUrl}/v4/user`, {
        method: 'POST',
        headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
        body: JSON.stringify({
          email: `fleet-host-${++hosts}@example.com`,
          givenName: 'Fleet',
          familyName: `Host ${hosts}`,
          timezone: 'Europe/Berlin',
        }),
      });
      const { userId } = (await response.json()) as { userId: string };
      return userId;
    },
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      for (const client of clients) client.destroy();
    },
  };
}

let fleets: Fleet[] = [];
async function fleetOf(size: number, options?: { upstreamPerMinute?: number }): Promise<Fleet> {
  const fleet = await startFleet(size, options);
  fleets.push(fleet);
  return fleet;
}
afterEach(async () => {
  for (const fleet of fleets) await fleet.close();
  fleets = [];
});

/** Resolves once `check` holds, trying every 20 ms (at most 5 s). */
async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting until ${what}`);
}

describe('a proxy fleet on one redis-server', () => {
  test('a block one instance fetched is a HIT on the others, in every zone', async () => {
    const fleet = await fleetOf(3);
    const host = SEEDED_HOSTS[0]!.userId;
    const first = await fleet.get(0, page(host, 'Europe/Berlin'));
    assert.equal(first.status, 200, first.body);
    assert.equal(first.cache, 'MISS');
    const blocks = fleet.upstream.windowCalls(host);
    assert.ok(blocks >= 1 && blocks <= 2, `a page took ${blocks} block calls`);
    for (const [i, zone] of ZONES.entries()) {
      const answer = await fleet.get(1 + (i % 2), page(host, zone));
      assert.equal(answer.status, 200, `${zone}: ${answer.body}`);
      assert.equal(answer.cache, 'HIT', zone);
      assert.ok(JSON.parse(answer.body).windows.length > 0, zone);
    }
    assert.equal(fleet.upstream.windowCalls(host), blocks, 'another instance called upstream');
  });

  test('12 zones asking at once across the fleet make at most 2 block calls', async () => {
    const fleet = await fleetOf(4);
    const host = await fleet.host();
    const answers = await Promise.all(ZONES.map((zone, i) => fleet.get(i % 4, page(host, zone))));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      ZONES.map(() => 200),
    );
    assert.ok(fleet.upstream.windowCalls(host) <= 2, `${fleet.upstream.windowCalls(host)} calls`);
  });

  test('one refresh of a stale block across the fleet, while every instance serves it stale', async () => {
    const fleet = await fleetOf(3);
    const host = SEEDED_HOSTS[1]!.userId;
    const path = page(host, 'America/New_York');
    assert.equal((await fleet.get(0, path)).status, 200);
    for (const instance of [1, 2]) assert.equal((await fleet.get(instance, path)).cache, 'HIT');
    const blocks = fleet.upstream.windowCalls(host);

    fleet.advance(61_000); // past the 60 s of freshness
    const release = fleet.upstream.hold(); // the refresh stays in flight while viewers come
    const stale = await Promise.all(
      Array.from({ length: 12 }, (_, i) => fleet.get(i % 3, page(host, ZONES[i]!))),
    );
    for (const answer of stale) {
      assert.equal(answer.status, 200);
      assert.equal(answer.cache, 'STALE');
      assert.ok(answer.age >= 61, `Age ${answer.age}`);
    }
    await until('the refresh reached upstream', () => fleet.upstream.windowCalls(host) > blocks);
    release();
    await until('the refreshed block is shared', async () => {
      const answer = await fleet.get(2, path);
      return answer.cache === 'HIT' && answer.age === 0;
    });
    assert.equal(fleet.upstream.windowCalls(host), 2 * blocks, 'more than one refresh per block');
    // The other instances' background refreshes find the block at their next look (every 100 ms).
    await sleep(300);
    assert.equal(fleet.upstream.windowCalls(host), 2 * blocks, 'more than one refresh per block');
  });

  test('the instances share one upstream budget', async () => {
    const fleet = await fleetOf(3, { upstreamPerMinute: 4 });
    const hosts = await Promise.all(Array.from({ length: 9 }, () => fleet.host()));
    const answers = [];
    for (const [i, host] of hosts.entries())
      answers.push(await fleet.get(i % 3, page(host, 'UTC')));
    assert.ok(fleet.upstream.calls.length <= 4, `${fleet.upstream.calls.length} upstream calls`);
    const refused = answers.filter((answer) => answer.status === 503);
    assert.ok(refused.length >= 5, `only ${refused.length} answers were refused`);
    for (const answer of refused) assert.ok(Number(answer.retryAfter) > 0, 'no Retry-After');
    assert.ok(answers.some((answer) => answer.status === 200));
    // A window later (a minute and the second of slack) the budget is back, for the whole fleet.
    fleet.advance(BUDGET_WINDOW_MS);
    const calls = fleet.upstream.calls.length;
    const later = await fleet.get(1, page(hosts[8]!, 'UTC'));
    assert.notEqual(later.status, 503, later.body);
    assert.ok(fleet.upstream.calls.length - calls <= 4);
  });

  test("meetergo's 429 pauses every instance until its Retry-After", async () => {
    const fleet = await fleetOf(3);
    const [a, b] = [await fleet.host(), await fleet.host()];
    fleet.upstream.answer429(1, 30);
    const limited = await fleet.get(0, page(a, 'UTC'));
    assert.equal(limited.status, 429, limited.body);
    const calls = fleet.upstream.calls.length;
    const paused = await fleet.get(1, page(b, 'UTC'));
    assert.equal(paused.status, 429, paused.body);
    assert.ok(Number(paused.retryAfter) > 0 && Number(paused.retryAfter) <= 30);
    assert.equal(
      fleet.upstream.calls.length,
      calls,
      'an instance called upstream during the pause',
    );
    fleet.advance(31_000);
    assert.equal((await fleet.get(2, page(b, 'UTC'))).status, 200);
  });

  test('Redis dying mid-test loses no answer; its return resumes sharing', async () => {
    const fleet = await fleetOf(3);
    const warm = SEEDED_HOSTS.map((host) => host.userId);
    for (const [i, host] of warm.entries()) {
      assert.equal((await fleet.get(i % 3, page(host, 'Europe/Berlin'))).status, 200);
    }
    const statuses: number[] = [];
    const ask = async (round: number) => {
      for (const [i, host] of warm.entries()) {
        const answer = await fleet.get((round + i) % 3, page(host, ZONES[(round + i) % 12]!));
        statuses.push(answer.status);
      }
    };
    await ask(0);
    await redis.kill();
    try {
      await until('every client saw Redis go', () => fleet.clients.every((c) => !c.isReady));
      for (let round = 1; round <= 4; round++) await ask(round);
      // A host nobody asked for yet: fetched with the instance's own share of the budget.
      const fresh = await fleet.host();
      assert.equal((await fleet.get(0, page(fresh, 'Asia/Tokyo'))).status, 200);
      // Past freshness, each instance serves what it holds as stale (or refreshes it alone).
      fleet.advance(61_000);
      await ask(5);
    } finally {
      await redis.start();
    }
    assert.deepEqual(
      statuses,
      statuses.map(() => 200),
    );
    const unreachable = fleet.logs.filter((line) => /unreachable/.test(line));
    assert.ok(unreachable.length >= 1 && unreachable.length <= 3, unreachable.join('\n'));
    assert.equal(new Set(unreachable.map((line) => line.split(':')[0])).size, unreachable.length);

    // Back: the clients reconnect, the proxies try the store again after a few seconds.
    await until('every client reconnected', () => fleet.clients.every((c) => c.isReady));
    fleet.advance(6000);
    const shared = await fleet.host();
    const first = await fleet.get(0, page(shared, 'UTC'));
    assert.equal(first.status, 200);
    assert.equal(first.cache, 'MISS');
    const blocks = fleet.upstream.windowCalls(shared);
    for (const instance of [1, 2]) {
      const answer = await fleet.get(instance, page(shared, 'Asia/Kolkata'));
      assert.equal(answer.cache, 'HIT', `instance ${instance} after Redis came back`);
    }
    assert.equal(fleet.upstream.windowCalls(shared), blocks);
  });

  test('the API key is in no Redis key or value', async () => {
    const fleet = await fleetOf(2);
    for (const host of SEEDED_HOSTS) await fleet.get(0, page(host.userId, 'UTC'));
    await fleet.get(1, page(SEEDED_HOSTS[0]!.userId, 'UTC'));
    const client = fleet.clients[0]!;
    const keys = await client.keys('*');
    assert.ok(keys.length > 0);
    for (const key of keys) {
      assert.ok(!key.includes(API_KEY), key);
      const type = await client.type(key);
      const value =
        type === 'string'
          ? ((await client.get(key)) ?? '')
          : (await client.zRange(key, 0, -1)).join(' ');
      assert.ok(!value.includes(API_KEY), `${key} holds the key`);
    }
  });
});

describe('REDIS_URL: the ready server (meetergo-slots-proxy) in a fleet', () => {
  const cli = (env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/proxy/cli.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', RATE_LIMIT_PER_MINUTE: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const url = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stdout} ${stderr}`)));
    });
    url.catch(() => undefined);
    return { child, url, output: () => stdout + stderr };
  };
  const stop = async (child: ChildProcess) => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  };

  test('two servers with the same REDIS_URL share what they fetch', async () => {
    const upstreamServer = createServer();
    await new Promise<void>((resolve) => upstreamServer.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}`;
    const standIn = createStandIn({ baseUrl: upstreamUrl });
    let windowCalls = 0;
    upstreamServer.on(
      'request',
      toNodeHandler(async (request: Request) => {
        if (new URL(request.url).pathname.endsWith('/bookable-windows')) windowCalls += 1;
        return standIn.fetch(request);
      }),
    );
    const env = { MEETERGO_API_KEY: API_KEY, MEETERGO_API_URL: upstreamUrl, REDIS_URL: redis.url };
    const [a, b] = [cli(env), cli(env)];
    try {
      const [urlA, urlB] = await Promise.all([a.url, b.url]);
      // The ready server keeps real time and refuses past days: next month's page, whatever the day.
      const month = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const path = page(SEEDED_HOSTS[2]!.userId, 'Asia/Kolkata', month);
      const first = await fetch(`${urlA}${path}`);
      assert.equal(first.status, 200, await first.text());
      const blocks = windowCalls;
      assert.ok(blocks >= 1);
      const second = await fetch(`${urlB}${path.replace('Asia%2FKolkata', 'America%2FChicago')}`);
      assert.equal(second.status, 200, await second.text());
      assert.equal(second.headers.get('x-cache'), 'HIT');
      assert.equal(windowCalls, blocks, 'the second server called upstream');
    } finally {
      assert.equal(await stop(a.child), 0, a.output());
      assert.equal(await stop(b.child), 0, b.output());
      upstreamServer.closeAllConnections();
      await new Promise((resolve) => upstreamServer.close(resolve));
    }
    assert.ok(!a.output().includes(API_KEY) && !a.output().includes(redis.url));
  });

  test('a REDIS_URL that is not a redis:// URL stops it before it listens, saying why', async () => {
    const { child, output } = cli({ MEETERGO_API_KEY: API_KEY, REDIS_URL: 'localhost:6379' });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.notEqual(code, 0);
    assert.match(output(), /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});
