// The ProxyStore contract, run against redisStore() on a real redis-server (and every other
// store the package ships), then what only Redis has: key prefixes, outages and recovery.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from 'redis';
import { connectRedisStore, redisStore } from '../../src/proxy/redis.js';
import { BUDGET_WINDOW_MS, memoryStore, type ProxyStore } from '../../src/proxy/store.js';
import { startRedisServer, type RedisServer } from '../redis-server.js';

type Client = ReturnType<typeof createClient>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A fixed "now" for the budget (ms since the epoch); the budget never reads a clock. */
const T0 = Date.parse('2025-01-06T06:00:00Z');

async function until(what: string, check: () => Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}`);
}

let server: RedisServer;
const clients: Client[] = [];

async function connect(options: { offlineQueue?: boolean } = {}): Promise<Client> {
  const client = createClient({
    url: server.url,
    disableOfflineQueue: !options.offlineQueue,
    socket: { connectTimeout: 1000, reconnectStrategy: () => 50 },
  });
  client.on('error', () => {});
  clients.push(client);
  await client.connect();
  return client;
}

let stores = 0;
/** A store under test, and how to let time pass for its TTLs. */
interface Subject {
  store: ProxyStore;
  elapse(ms: number): Promise<void>;
}

/** A fresh store on a key prefix of its own, so tests never see each other's keys. Redis keeps time itself. */
async function freshRedisStore(): Promise<Subject> {
  return { store: redisStore(await connect(), { prefix: `test:${++stores}:` }), elapse: sleep };
}

before(async () => {
  server = await startRedisServer();
});
after(async () => {
  for (const client of clients) client.destroy();
  await server?.close();
});

/** What every ProxyStore promises. */
function contract(name: string, makeStore: () => Promise<Subject>) {
  describe(`ProxyStore contract: ${name}`, () => {
    test('a block comes back as stored; an unknown key is a miss; a later set replaces it', async () => {
      const { store } = await makeStore();
      assert.equal(await store.getBlock('u1:2025-01-06'), undefined);
      const block = { body: '{"windows":["2025-01-06T09:00:00Z"]}', fetchedAt: T0 };
      await store.setBlock('u1:2025-01-06', block, 60_000);
      assert.deepEqual(await store.getBlock('u1:2025-01-06'), block);
      assert.equal(await store.getBlock('u1:2025-01-20'), undefined);
      const newer = { body: '{"windows":[]}', fetchedAt: T0 + 5000 };
      await store.setBlock('u1:2025-01-06', newer, 60_000);
      assert.deepEqual(await store.getBlock('u1:2025-01-06'), newer);
    });

    test('a block is forgotten after its TTL', async () => {
      const { store, elapse } = await makeStore();
      await store.setBlock('short', { body: '{}', fetchedAt: T0 }, 30);
      await store.setBlock('long', { body: '{}', fetchedAt: T0 }, 60_000);
      await elapse(80);
      assert.equal(await store.getBlock('short'), undefined);
      assert.deepEqual(await store.getBlock('long'), { body: '{}', fetchedAt: T0 });
    });

    test('one holder of a lock at a time, however many ask at once', async () => {
      const { store } = await makeStore();
      const tokens = await Promise.all(
        Array.from({ length: 20 }, () => store.acquireLock('block-a', 10_000)),
      );
      const held = tokens.filter((token) => token !== null);
      assert.equal(held.length, 1);
      assert.equal(typeof held[0], 'string');
      // Another key has its own lock.
      assert.notEqual(await store.acquireLock('block-b', 10_000), null);
    });

    test('only the token that holds a lock releases it', async () => {
      const { store } = await makeStore();
      const token = await store.acquireLock('block', 10_000);
      assert.ok(token);
      await store.releaseLock('block', 'not-the-token');
      assert.equal(await store.acquireLock('block', 10_000), null, 'a wrong token released it');
      await store.releaseLock('block', token);
      const next = await store.acquireLock('block', 10_000);
      assert.ok(next, 'the holder could not release it');
      assert.notEqual(next, token);
      // The first holder's stale token no longer releases the second holder's lock.
      await store.releaseLock('block', token);
      assert.equal(await store.acquireLock('block', 10_000), null);
    });

    test('a lock whose holder vanished expires after its TTL', async () => {
      const { store, elapse } = await makeStore();
      assert.ok(await store.acquireLock('block', 30));
      assert.equal(await store.acquireLock('block', 30), null);
      await elapse(80);
      assert.ok(await store.acquireLock('block', 30));
    });

    test('the budget gives exactly perMinute tokens to concurrent takers, then none for 61 s', async () => {
      const { store } = await makeStore();
      const first = await Promise.all(
        Array.from({ length: 50 }, () => store.takeToken('key', 10, T0)),
      );
      assert.equal(first.filter(Boolean).length, 10);
      // A minute later is still inside the window: its second of slack covers a call's way there.
      assert.equal(await store.takeToken('key', 10, T0 + 60_000), false);
      assert.equal(await store.takeToken('key', 10, T0 + BUDGET_WINDOW_MS - 1), false);
      // Another bucket is its own budget.
      assert.equal(await store.takeToken('other', 10, T0), true);
      // A window after the first ten, all ten come back.
      const later = await Promise.all(
        Array.from({ length: 30 }, () => store.takeToken('key', 10, T0 + BUDGET_WINDOW_MS)),
      );
      assert.equal(later.filter(Boolean).length, 10);
      assert.equal(await store.takeToken('key', 0, T0 + 600_000), false, 'a budget of 0');
    });

    test('no rolling minute ever holds more than perMinute tokens under concurrent takers', async () => {
      const { store } = await makeStore();
      const perMinute = 25;
      const taken: number[] = [];
      // 12 instances asking in waves over 4 minutes of injected time, bursts and lulls mixed.
      let seed = 7;
      const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
      for (let now = T0; now < T0 + 240_000; now += 1000 + Math.floor(random() * 4000)) {
        const wave = Math.floor(random() * 12);
        const answers = await Promise.all(
          Array.from({ length: wave }, () => store.takeToken('fleet', perMinute, now)),
        );
        for (const ok of answers) if (ok) taken.push(now);
      }
      taken.sort((a, b) => a - b);
      let most = 0;
      for (let i = 0, j = 0; i < taken.length; i++) {
        while (taken[i]! - taken[j]! >= BUDGET_WINDOW_MS) j++;
        most = Math.max(most, i - j + 1);
      }
      assert.equal(most, perMinute, 'the busiest rolling window (a minute and its slack)');
      assert.ok(taken.length > perMinute * 3, `only ${taken.length} tokens in 4 minutes`);
    });

    test('a pause is shared and a later pause wins', async () => {
      const { store } = await makeStore();
      assert.ok((await store.pausedUntil()) <= 0 || (await store.pausedUntil()) < T0);
      await store.pauseUntil(T0 + 30_000);
      assert.equal(await store.pausedUntil(), T0 + 30_000);
      await store.pauseUntil(T0 + 10_000);
      assert.equal(await store.pausedUntil(), T0 + 30_000, 'an earlier pause shortened it');
      await store.pauseUntil(T0 + 90_000);
      assert.equal(await store.pausedUntil(), T0 + 90_000);
    });
  });
}

contract('memoryStore', async () => {
  let now = T0;
  return {
    store: memoryStore({ now: () => now }),
    elapse: async (ms) => {
      now += ms;
    },
  };
});
contract('redisStore', freshRedisStore);

describe('redisStore', () => {
  test('shares blocks, locks, budget and pause between clients on the same prefix', async () => {
    const a = redisStore(await connect(), { prefix: 'shared:' });
    const b = redisStore(await connect(), { prefix: 'shared:' });
    const block = { body: '{"windows":[]}', fetchedAt: T0 };
    await a.setBlock('u1', block, 60_000);
    assert.deepEqual(await b.getBlock('u1'), block);
    const token = await a.acquireLock('u1', 10_000);
    assert.ok(token);
    assert.equal(await b.acquireLock('u1', 10_000), null);
    await b.releaseLock('u1', token);
    assert.ok(await a.acquireLock('u2', 10_000));
    const taken = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).takeToken('k', 5, T0)),
    );
    assert.equal(taken.filter(Boolean).length, 5);
    await b.pauseUntil(T0 + 1000);
    assert.equal(await a.pausedUntil(), T0 + 1000);
  });

  test('keeps every key under its prefix, and other prefixes apart', async () => {
    const client = await connect();
    const store = redisStore(client, { prefix: 'fleet-x:' });
    const other = redisStore(client, { prefix: 'fleet-y:' });
    await store.setBlock('b', { body: '{}', fetchedAt: T0 }, 60_000);
    await store.acquireLock('b', 10_000);
    await store.takeToken('bucket', 90, T0);
    await store.pauseUntil(T0);
    const keys = (await client.keys('*')).filter((key) => !key.startsWith('test:'));
    assert.deepEqual(keys.filter((key) => !key.startsWith('shared:')).sort(), [
      'fleet-x:block:b',
      'fleet-x:budget:bucket',
      'fleet-x:lock:b',
      'fleet-x:pause',
    ]);
    assert.equal(await other.getBlock('b'), undefined);
    assert.ok(await other.acquireLock('b', 10_000));
    assert.equal(await other.pausedUntil(), 0);
    // Something else stored under a block key is a miss, not a crash.
    await client.set('fleet-x:block:junk', 'not json');
    assert.equal(await store.getBlock('junk'), undefined);
  });

  test('a reply that arrived while the event loop was busy is read, not taken for a timeout', async () => {
    const store = redisStore(await connect(), { prefix: 'busy:', timeoutMs: 50 });
    await store.setBlock('b', { body: '{}', fetchedAt: T0 }, 60_000);
    const answer = store.getBlock('b');
    // node-redis writes its commands at the end of this turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    // Then the process is busy past the timeout; Redis replied long before.
    const until = performance.now() + 300;
    while (performance.now() < until);
    assert.deepEqual(await answer, { body: '{}', fetchedAt: T0 });
  });

  test('default prefix is meetergo-slots:', async () => {
    const client = await connect();
    await redisStore(client).setBlock('p', { body: '{}', fetchedAt: T0 }, 60_000);
    assert.equal(await client.exists('meetergo-slots:block:p'), 1);
  });

  test('rejects what it cannot use', async () => {
    assert.throws(() => redisStore(null as never), /node-redis client/);
    assert.throws(() => redisStore({} as never), /node-redis client/);
    const client = await connect();
    assert.throws(() => redisStore(client, { prefix: 5 as never }), /prefix/);
    assert.throws(() => redisStore(client, { timeoutMs: 0 }), /timeoutMs/);
    const store = redisStore(client);
    await assert.rejects(store.takeToken('b', 10, Number.NaN), /now/);
    await assert.rejects(store.setBlock('b', { body: '{}', fetchedAt: T0 }, Infinity), /ttlMs/);
    await assert.rejects(store.pauseUntil(Number.NaN), /until/);
  });

  test('reloads its scripts after Redis forgot them (SCRIPT FLUSH)', async () => {
    const client = await connect();
    const store = redisStore(client, { prefix: 'flush:' });
    assert.equal(await store.takeToken('b', 2, T0), true);
    await client.scriptFlush();
    assert.equal(await store.takeToken('b', 2, T0), true);
    assert.equal(await store.takeToken('b', 2, T0), false);
  });
});

// These stop and start the one redis-server, so they run one after another, last.
describe('redisStore when Redis goes away', { concurrency: 1 }, () => {
  test('fails at once while Redis is down, and works again when it is back', async () => {
    const client = await connect();
    const store = redisStore(client, { prefix: 'outage:' });
    await store.setBlock('b', { body: '{}', fetchedAt: T0 }, 600_000);
    await server.kill();
    try {
      await until('the client saw the outage', async () => !client.isReady);
      const started = performance.now();
      await assert.rejects(store.getBlock('b'));
      await assert.rejects(store.takeToken('k', 90, T0));
      await assert.rejects(store.acquireLock('b', 1000));
      assert.ok(performance.now() - started < 400, 'a call waited for a Redis that is down');
    } finally {
      await server.start();
    }
    // The data is gone with the process (no persistence); the store works again by itself.
    await until('the client reconnected', async () => {
      await store.setBlock('b', { body: '{}', fetchedAt: T0 }, 600_000);
      return true;
    });
    assert.deepEqual(await store.getBlock('b'), { body: '{}', fetchedAt: T0 });
    assert.equal(await store.takeToken('k', 90, T0), true);
  });

  test('a Redis that hangs makes calls reject within timeoutMs, also with an offline queue', async () => {
    const client = await connect({ offlineQueue: true });
    const store = redisStore(client, { prefix: 'hang:', timeoutMs: 150 });
    assert.equal(await store.pausedUntil(), 0);
    server.pause();
    try {
      const outcome = await Promise.race([
        store.getBlock('b').then(
          () => 'answered',
          (error: Error) => error.message,
        ),
        sleep(2000).then(() => 'still waiting after 2 s'),
      ]);
      assert.match(outcome, /did not answer within 150 ms/);
    } finally {
      server.resume();
    }
    await until('Redis answers again', async () => (await store.pausedUntil()) === 0);
  });

  test('connectRedisStore: a store on a URL that fails fast, reconnects and closes', async () => {
    await assert.rejects(connectRedisStore('http://127.0.0.1:1'), /redis:\/\/ or rediss:\/\//);
    await assert.rejects(connectRedisStore('not a url'), /redis:\/\/ or rediss:\/\//);
    const connection = await connectRedisStore(server.url, { prefix: 'url:' });
    try {
      assert.equal(await connection.store.takeToken('k', 1, T0), true);
      assert.equal(await connection.store.takeToken('k', 1, T0), false);
      await server.stop();
      await assert.rejects(connection.store.getBlock('b'));
      await server.start();
      await until('it reconnected', async () => (await connection.store.pausedUntil()) === 0);
    } finally {
      await connection.close();
    }
    await assert.rejects(connection.store.getBlock('b'), 'closed');
  });

  test('connectRedisStore returns after waitMs when Redis is not there, and answers by rejecting', async () => {
    const port = server.port;
    await server.stop();
    try {
      const connection = await connectRedisStore(`redis://127.0.0.1:${port}`, { waitMs: 100 });
      await assert.rejects(connection.store.getBlock('b'));
      await connection.close();
    } finally {
      await server.start();
    }
  });
});

test("connectRedisStore says so clearly when the optional dependency 'redis' is missing", async () => {
  // The module as a customer without `redis` installed has it: outside this project's node_modules.
  const dir = mkdtempSync(path.join(tmpdir(), 'meetergo-slots-no-redis-'));
  try {
    for (const file of ['redis.ts', 'store.ts']) {
      copyFileSync(
        fileURLToPath(new URL(`../../src/proxy/${file}`, import.meta.url)),
        path.join(dir, file),
      );
    }
    const module = (await import(pathToFileURL(path.join(dir, 'redis.ts')).href)) as {
      connectRedisStore: typeof connectRedisStore;
    };
    await assert.rejects(
      module.connectRedisStore('redis://127.0.0.1:1'),
      /optional dependency 'redis' is not installed \(npm install redis@5\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
