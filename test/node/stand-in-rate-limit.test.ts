import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStandIn, SEEDED_HOSTS } from '../../src/stand-in/index.js';
import type { StandInOptions } from '../../src/stand-in/index.js';

const BASE = 'https://api.meetergo.com';
const WINDOWS = `${BASE}/v4/user/${SEEDED_HOSTS[0].userId}/bookable-windows?startDate=2025-01-06&endDate=2025-01-06`;
const THROTTLED = { statusCode: 429, message: 'ThrottlerException: Too Many Requests' };

/** A stand-in with a movable "now" and a counter of answers by status. */
function setup(options: StandInOptions) {
  let now = Date.parse('2025-01-06T06:00:00Z');
  const standIn = createStandIn({ ...options, now: () => new Date(now) });
  const get = (key = 'key-a', url = WINDOWS) =>
    standIn.fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  /** Sends `n` requests one after another; the statuses, counted. */
  const burst = async (n: number, key?: string) => {
    const counts: Record<number, number> = {};
    for (let i = 0; i < n; i++) {
      const { status } = await get(key);
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  };
  const advance = (ms: number) => {
    now += ms;
  };
  return { standIn, get, burst, advance };
}

describe('stand-in: rateLimitPerMinute', () => {
  it('has no limit unless asked', async () => {
    const { burst } = setup({});
    assert.deepEqual(await burst(450), { 200: 450 });
  });

  it('allows a burst of 200, then 100 a minute, answering 429 with meetergo’s body and Retry-After', async () => {
    const { get, burst, advance } = setup({ rateLimitPerMinute: 100 });
    assert.deepEqual(await burst(200), { 200: 200 });
    const refused = await get();
    assert.equal(refused.status, 429);
    assert.deepEqual(await refused.json(), THROTTLED);
    // One request comes back every 0.6 s: the wait is rounded up to whole seconds.
    assert.equal(refused.headers.get('retry-after'), '1');
    advance(30_000);
    assert.deepEqual(await burst(51), { 200: 50, 429: 1 });
    advance(60_000);
    assert.deepEqual(await burst(101), { 200: 100, 429: 1 });
    // A quiet spell refills the bucket to its burst, never beyond.
    advance(3_600_000);
    assert.deepEqual(await burst(201), { 200: 200, 429: 1 });
  });

  it('gives a Retry-After after which the next request is answered', async () => {
    const { get, burst, advance } = setup({ rateLimitPerMinute: 6, rateLimitBurst: 1 });
    assert.deepEqual(await burst(2), { 200: 1, 429: 1 });
    advance(4_000);
    const refused = await get();
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '6');
    advance(5_999);
    assert.equal((await get()).status, 429);
    advance(1);
    assert.equal((await get()).status, 200);
  });

  it('counts per API key, and never echoes the key', async () => {
    const { get, burst } = setup({ rateLimitPerMinute: 100, rateLimitBurst: 100 });
    assert.deepEqual(await burst(101, 'secret-key-one'), { 200: 100, 429: 1 });
    assert.deepEqual(await burst(100, 'secret-key-two'), { 200: 100 });
    const refused = await get('secret-key-one');
    const text = await refused.text();
    assert.equal(refused.status, 429);
    assert.doesNotMatch(text + JSON.stringify([...refused.headers]), /secret-key/);
  });

  it('counts every route but not requests without a key (401 first)', async () => {
    const { get, burst } = setup({ rateLimitPerMinute: 10, rateLimitBurst: 3 });
    assert.equal((await get('key-a', `${BASE}/v4/user/me`)).status, 200);
    assert.equal((await get('key-a', `${BASE}/v4/user`)).status, 200);
    assert.deepEqual(await burst(2), { 200: 1, 429: 1 });
    assert.equal((await get('')).status, 401);
  });

  it('reads the injected now on every request (no machine clock) and starts afresh on reset()', async () => {
    const { standIn, burst, advance } = setup({ rateLimitPerMinute: 60, rateLimitBurst: 60 });
    assert.deepEqual(await burst(61), { 200: 60, 429: 1 });
    advance(-600_000);
    assert.deepEqual(await burst(1), { 429: 1 });
    standIn.reset();
    assert.deepEqual(await burst(60), { 200: 60 });
  });

  it('refuses a rate or burst that is not a number it can use', () => {
    for (const rateLimitPerMinute of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => createStandIn({ rateLimitPerMinute }), RangeError);
    }
    assert.throws(
      () => createStandIn({ rateLimitPerMinute: 100, rateLimitBurst: 0.5 }),
      RangeError,
    );
    assert.doesNotThrow(() => createStandIn({ rateLimitPerMinute: 0 }));
  });
});
