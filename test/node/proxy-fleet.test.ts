// The proxy at fleet scale, through its handler: zone-agnostic blocks, stale-while-revalidate and
// stale-if-error, the fleet's budget and pause through a shared store, and a store that fails.
// meetergo is a counting fake at the network boundary (the proxy's `fetch`); the clock is injected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createMeetergoProxy,
  memoryStore,
  type MeetergoProxyOptions,
  type ProxyStore,
} from '../../src/proxy/index.js';
import { durableObjectStore, ProxyStoreObject } from '../../examples/durable-object-store.js';
import { weekInBlock } from '../blocks.js';

const KEY = 'mg_live_FLEET-key-0123456789';
const USER = '550e8400-e29b-41d4-a716-446655440000';
const OTHER_USER = '550e8400-e29b-41d4-a716-446655440099';
const START = Date.parse('2025-01-06T06:00:00Z');
const RANGE = 'startDate=2025-01-14&endDate=2025-01-20';

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });

/** A slot every day at 09:00 and 21:00 UTC from 2024-12-01 to 2025-03-31, whatever was asked. */
const EVERY_DAY = (() => {
  const out: string[] = [];
  for (let t = Date.parse('2024-12-01T09:00:00Z'); t < Date.parse('2025-04-01'); t += 43_200_000) {
    out.push(new Date(t).toISOString().replace('.000Z', 'Z'));
  }
  return out;
})();

type Upstream = (request: Request) => Response | Promise<Response>;
const meetergo: Upstream = () => json({ windows: EVERY_DAY });

/** A clock shared by the instances of one test, and a counting upstream. */
function fleet(upstream: Upstream = meetergo) {
  let clock = START;
  const calls: Request[] = [];
  const lines: string[] = [];
  const now = () => clock;
  const make = (options: Partial<MeetergoProxyOptions> = {}) =>
    createMeetergoProxy({
      apiKey: KEY,
      bookingUrlLookup: false,
      fetch: async (request) => {
        calls.push(request);
        return upstream(request);
      },
      logger: (line) => lines.push(line),
      now,
      ...options,
    });
  return {
    make,
    now,
    calls,
    lines,
    advance: (ms: number) => (clock += ms),
    windowsCalls: () => calls.filter((c) => c.url.includes('/bookable-windows')),
  };
}

const get = (
  handle: ReturnType<typeof createMeetergoProxy>,
  query = RANGE,
  user = USER,
  client = '203.0.113.7',
) =>
  handle(new Request(`https://proxy.example/v4/user/${user}/bookable-windows?${query}`), {
    clientAddress: client,
  });

const windowsOf = async (response: Response) =>
  ((await response.json()) as { windows: string[] }).windows;

/** Waits for background work (a refresh) that runs on real timers and promises. */
const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

const ZONES = [
  'Pacific/Kiritimati',
  'Pacific/Auckland',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Europe/Moscow',
  'Europe/Berlin',
  'UTC',
  'America/Sao_Paulo',
  'America/New_York',
  'America/Denver',
  'Pacific/Honolulu',
  'Pacific/Pago_Pago',
];

/** The range the element asks for a week page from today in `zone`: one day padded each side. */
function pageRange(zone: string, now: number, pageOffset = 0): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(now);
  const day = (offset: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const first = pageOffset * 7;
  return `startDate=${day(first - 1)}&endDate=${day(first + 7)}&timezone=${zone}`;
}

describe('proxy fleet: zone-agnostic blocks', () => {
  it('answers 12 zones viewing one page with one upstream call, each from its block', async () => {
    const { make, windowsCalls, now } = fleet();
    const handle = make();
    for (const zone of ZONES) {
      const response = await get(handle, pageRange(zone, now()));
      assert.equal(response.status, 200, zone);
      const windows = await windowsOf(response);
      const [, start, end] = /startDate=([\d-]+)&endDate=([\d-]+)/.exec(pageRange(zone, now()))!;
      // Every slot of the zone's requested days is in its answer.
      for (const slot of EVERY_DAY) {
        const local = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(Date.parse(slot));
        if (local >= start && local <= end) assert.ok(windows.includes(slot), `${zone} ${slot}`);
      }
    }
    assert.equal(windowsCalls().length, 1, 'one block: block 0, from three days back');
    for (const call of windowsCalls()) {
      const url = new URL(call.url);
      assert.equal(url.searchParams.get('timezone'), null, 'no zone upstream');
    }
  });

  it('serves three pages in twelve zones from one block, never per viewer', async () => {
    const { make, windowsCalls, now } = fleet();
    const handle = make();
    for (let page = 0; page < 3; page += 1) {
      for (const zone of ZONES) {
        assert.equal((await get(handle, pageRange(zone, now(), page))).status, 200);
      }
    }
    // Three weeks from today in any zone, padded, fall in block 0 (28 days from three days back).
    assert.equal(windowsCalls().length, 1, `${windowsCalls().length} upstream calls`);
    // The fourth page reaches into block 1.
    assert.equal((await get(handle, pageRange('Pacific/Kiritimati', now(), 3))).status, 200);
    assert.equal(windowsCalls().length, 2);
  });

  it('keeps 12 zones on one block at every hour of a day, and a day later too', async () => {
    for (let hour = 0; hour < 48; hour += 1) {
      const { make, windowsCalls, now, advance } = fleet();
      advance(hour * 3_600_000 - 6 * 3_600_000);
      const handle = make();
      for (const zone of ZONES) {
        for (let page = 0; page < 3; page += 1) {
          assert.equal((await get(handle, pageRange(zone, now(), page))).status, 200);
        }
      }
      assert.equal(windowsCalls().length, 1, `at ${new Date(now()).toISOString()}`);
    }
  });

  it("serves the day before's blocks just after midnight (UTC) while today's are fetched", async () => {
    let windows = EVERY_DAY;
    const { make, windowsCalls, advance, now } = fleet(() => json({ windows }));
    const handle = make({ freshSeconds: 60, staleSeconds: 600 });
    // 23:59:30 UTC: the block from three days back is cached.
    advance(Date.parse('2025-01-06T23:59:30Z') - now());
    assert.equal(
      (await get(handle, pageRange('Europe/Berlin', now()))).headers.get('x-cache'),
      'MISS',
    );
    const [first] = windowsCalls();
    assert.equal(new URL(first!.url).searchParams.get('endDate'), '2025-01-31');
    windows = EVERY_DAY.slice(2);
    // 00:00:10: today's block 0 starts a day later; the day before's still covers the page.
    advance(40_000);
    const page = pageRange('Europe/Berlin', now());
    const fresh = await get(handle, page);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers.get('x-cache'), 'HIT', 'the day before’s block is still fresh');
    assert.equal(windowsCalls().length, 1, 'nothing fetched while it is fresh');
    // Once it is stale, it is served at once while today's block is fetched in the background.
    advance(30_000);
    const stale = await get(handle, page);
    assert.equal(stale.status, 200);
    assert.equal(stale.headers.get('x-cache'), 'STALE');
    await settle();
    assert.equal(windowsCalls().length, 2);
    assert.equal(new URL(windowsCalls()[1]!.url).searchParams.get('endDate'), '2025-02-01');
    const today = await get(handle, page);
    assert.equal(today.headers.get('x-cache'), 'HIT');
    assert.deepEqual(
      await windowsOf(today),
      (await windowsOf(fresh)).filter((w) => windows.includes(w)),
    );
  });

  it('asks upstream for aligned blocks padded by a day, and cuts answers to the days asked', async () => {
    const { make, windowsCalls } = fleet();
    const handle = make();
    const windows = await windowsOf(await get(handle, 'startDate=2025-01-14&endDate=2025-01-14'));
    // Block 0 (2025-01-03 to 01-30, from three days before today): its days padded by one, but
    // from no earlier than the day before yesterday (older days have no bookable times).
    assert.deepEqual(
      windowsCalls().map((call) => new URL(call.url).search),
      ['?startDate=2025-01-04&endDate=2025-01-31'],
    );
    // The day asked, padded by one day each side for any zone.
    assert.equal(windows[0], '2025-01-13T09:00:00Z');
    assert.equal(windows.at(-1), '2025-01-15T21:00:00Z');
    // A day in block 1 (2025-01-31 to 02-27): padded by one on both sides; a day in block 0 is cut
    // from the block already held.
    await get(handle, 'startDate=2025-02-10&endDate=2025-02-10');
    await get(handle, 'startDate=2025-01-30&endDate=2025-01-30');
    assert.deepEqual(
      windowsCalls().map((call) => new URL(call.url).search),
      ['?startDate=2025-01-04&endDate=2025-01-31', '?startDate=2025-01-30&endDate=2025-02-28'],
    );
  });

  it('shares blocks between instances through the store', async () => {
    const { make, windowsCalls } = fleet();
    const store = memoryStore();
    const [a, b] = [make({ store }), make({ store })];
    assert.equal((await get(a)).headers.get('x-cache'), 'MISS');
    const fromB = await get(b, `${RANGE}&timezone=Asia/Tokyo`);
    assert.equal(fromB.headers.get('x-cache'), 'HIT');
    assert.equal(windowsCalls().length, 1);
  });
});

describe('proxy fleet: stale-while-revalidate and stale-if-error', () => {
  it('serves a stale block at once while one refresh runs, then the fresh one', async () => {
    let windows = ['2025-01-14T09:00:00Z'];
    const { make, windowsCalls, advance } = fleet(() => json({ windows }));
    const handle = make();
    await get(handle);
    windows = ['2025-01-14T10:00:00Z'];
    advance(90_000);
    const stale = await Promise.all([get(handle), get(handle), get(handle)]);
    for (const response of stale) {
      assert.equal(response.headers.get('x-cache'), 'STALE');
      assert.equal(response.headers.get('age'), '90');
      assert.deepEqual(await windowsOf(response), ['2025-01-14T09:00:00Z']);
    }
    await settle();
    assert.equal(windowsCalls().length, 2, 'one refresh for three stale answers');
    const fresh = await get(handle);
    assert.equal(fresh.headers.get('x-cache'), 'HIT');
    assert.deepEqual(await windowsOf(fresh), ['2025-01-14T10:00:00Z']);
  });

  for (const [name, failure] of [
    ['a 500', () => json({}, { status: 500 })],
    ['a 429', () => json({}, { status: 429, headers: { 'Retry-After': '120' } })],
    ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
  ] as [string, Upstream][]) {
    it(`serves a block up to staleSeconds old instead of ${name}, and then the error`, async () => {
      let failing = false;
      const { make, advance } = fleet((request) =>
        failing ? failure(request) : meetergo(request),
      );
      const handle = make({ freshSeconds: 60, staleSeconds: 600 });
      assert.equal((await get(handle)).status, 200);
      failing = true;
      advance(300_000);
      const stale = await get(handle);
      assert.equal(stale.status, 200);
      assert.equal(stale.headers.get('x-cache'), 'STALE');
      await settle();
      const still = await get(handle);
      assert.equal(still.status, 200, 'still stale after the failed refresh');
      advance(400_000);
      const tooOld = await get(handle);
      assert.ok([429, 502].includes(tooOld.status), String(tooOld.status));
      assert.equal(tooOld.headers.get('cache-control'), 'no-store');
    });
  }

  it('tries a failing refresh again only after 10 s, serving stale meanwhile', async () => {
    let failing = false;
    const { make, windowsCalls, advance } = fleet((request) =>
      failing ? json({}, { status: 503 }) : meetergo(request),
    );
    const handle = make();
    await get(handle);
    failing = true;
    advance(61_000);
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await get(handle)).headers.get('x-cache'), 'STALE');
      await settle(5);
    }
    assert.equal(windowsCalls().length, 2, 'one failed refresh, then none for a while');
    advance(10_000);
    await get(handle);
    await settle();
    assert.equal(windowsCalls().length, 3);
  });

  it('answers 504 after a timeout only when nothing usable is cached', async () => {
    const { make } = fleet(() => new Promise<Response>(() => undefined));
    const handle = make({ timeoutMs: 20 });
    assert.equal((await get(handle)).status, 504);
  });
});

describe('proxy fleet: the upstream budget and the pause', () => {
  it('shares upstreamPerMinute across instances: no token, no call, a 503 with Retry-After', async () => {
    const { make, windowsCalls, advance } = fleet();
    const store = memoryStore();
    const [a, b] = [
      make({ store, upstreamPerMinute: 3, rateLimitPerMinute: 0 }),
      make({ store, upstreamPerMinute: 3, rateLimitPerMinute: 0 }),
    ];
    assert.equal((await get(a, weekInBlock(0))).status, 200);
    assert.equal((await get(b, weekInBlock(1))).status, 200);
    assert.equal((await get(a, weekInBlock(2))).status, 200);
    const spent = await get(b, weekInBlock(3));
    assert.equal(spent.status, 503);
    assert.match(spent.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(windowsCalls().length, 3, 'the budget is never exceeded');
    assert.equal((await get(b, weekInBlock(0))).status, 200, 'cached blocks need no token');
    // A minute later is not enough: a token counts for a minute and a second of slack.
    advance(60_001);
    assert.equal((await get(b, weekInBlock(3))).status, 503, 'the slack second');
    advance(1000);
    assert.equal((await get(b, weekInBlock(3))).status, 200, 'a new window, new tokens');
    assert.equal(windowsCalls().length, 4);
  });

  it('serves stale rather than spend a token it does not have', async () => {
    const { make, windowsCalls, advance } = fleet();
    const handle = make({ upstreamPerMinute: 1 });
    await get(handle);
    advance(30_000);
    await get(handle, weekInBlock(1));
    assert.equal(windowsCalls().length, 1, 'no token for the second block');
    advance(40_000);
    const stale = await get(handle);
    assert.equal(stale.status, 200);
    assert.equal(stale.headers.get('x-cache'), 'STALE');
  });

  it("pauses every instance after meetergo's 429 until its Retry-After", async () => {
    let limited = true;
    const { make, windowsCalls, advance } = fleet((request) =>
      limited ? json({}, { status: 429, headers: { 'Retry-After': '30' } }) : meetergo(request),
    );
    const store = memoryStore();
    const [a, b] = [make({ store }), make({ store })];
    assert.equal((await get(a)).status, 429);
    advance(10_000);
    const paused = await get(b, weekInBlock(3), OTHER_USER);
    assert.equal(paused.status, 429);
    assert.equal(paused.headers.get('retry-after'), '20');
    assert.equal(windowsCalls().length, 1, 'no instance calls meetergo during the pause');
    limited = false;
    advance(20_000);
    assert.equal((await get(b)).status, 200);
  });

  it('takes one refresh per block across the fleet: the store lock', async () => {
    let release: () => void = () => undefined;
    const { make, windowsCalls } = fleet(async (request) => {
      await new Promise<void>((resolve) => (release = resolve));
      return meetergo(request);
    });
    const store = memoryStore();
    const [a, b] = [make({ store }), make({ store })];
    const first = get(a);
    await settle();
    const second = get(b, `${RANGE}&timezone=America/New_York`);
    await settle();
    release();
    const [ra, rb] = await Promise.all([first, second]);
    assert.equal(ra.status, 200);
    assert.equal(rb.status, 200);
    assert.deepEqual(await windowsOf(ra), await windowsOf(rb));
    assert.equal(windowsCalls().length, 1);
  });
});

/** A store whose every method rejects or hangs while `down` is set; it counts its calls. */
function flakyStore(mode: 'reject' | 'hang') {
  const inner = memoryStore();
  const state = { down: true, calls: 0, seen: [] as string[] };
  const store = Object.fromEntries(
    Object.entries(inner).map(([name, method]) => [
      name,
      (...args: unknown[]) => {
        state.calls += 1;
        state.seen.push(JSON.stringify(args));
        if (state.down) {
          return mode === 'reject'
            ? Promise.reject(new Error('ECONNREFUSED redis://:password@10.0.0.5'))
            : new Promise(() => undefined);
        }
        return (method as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as ProxyStore;
  return { store, state };
}

describe('proxy fleet: a store that fails', () => {
  for (const mode of ['reject', 'hang'] as const) {
    it(`keeps answering from memory when the store methods ${mode}, says so once, recovers`, async () => {
      const { make, windowsCalls, lines, advance } = fleet();
      const { store, state } = flakyStore(mode);
      const handle = make({ store, storeTimeoutMs: 20, instances: 3, upstreamPerMinute: 9 });
      const first = await get(handle);
      assert.equal(first.status, 200);
      assert.equal((await get(handle)).headers.get('x-cache'), 'HIT');
      const notes = () =>
        lines.filter((line) => line.startsWith('meetergo-slots proxy: the store'));
      assert.equal(notes().length, 1, notes().join('\n'));
      assert.match(notes()[0], /unreachable.*memory.*1\/3/);
      assert.ok(!notes()[0].includes('password'));

      // Its share of the budget: 9 a minute over 3 instances is 3 (one is spent).
      assert.equal((await get(handle, weekInBlock(1))).status, 200);
      assert.equal((await get(handle, weekInBlock(2))).status, 200);
      assert.equal((await get(handle, weekInBlock(3))).status, 503);
      assert.equal(windowsCalls().length, 3);
      assert.equal(notes().length, 1, 'logged once');

      state.down = false;
      advance(61_000);
      assert.equal((await get(handle, weekInBlock(3))).status, 200);
      assert.equal(notes().length, 2);
      assert.match(notes()[1], /answers again/);
      const calls = state.calls;
      assert.equal((await get(handle, weekInBlock(4))).status, 200);
      assert.ok(state.calls > calls, 'the store is used again');
    });
  }

  it('counts the calls it made on memory tokens in the shared budget once the store is back', async () => {
    const { make, windowsCalls, advance } = fleet();
    const { store, state } = flakyStore('reject');
    const handle = make({ store, storeTimeoutMs: 20, instances: 2, upstreamPerMinute: 4 });
    assert.equal((await get(handle, weekInBlock(0))).status, 200);
    assert.equal((await get(handle, weekInBlock(1))).status, 200);
    assert.equal((await get(handle, weekInBlock(2))).status, 503, 'its share: 4 over 2 instances');
    state.down = false;
    advance(6000);
    assert.equal((await get(handle, weekInBlock(2))).status, 200);
    await settle();
    assert.equal((await get(handle, weekInBlock(3))).status, 200);
    assert.equal((await get(handle, weekInBlock(4))).status, 503, 'two memory calls + two = the 4');
    assert.equal(windowsCalls().length, 4);
  });

  it('does not take a busy event loop for a store that hangs', async () => {
    const { make, lines } = fleet();
    const memory = memoryStore();
    // Every answer is ready at the next turn of the loop, but the loop is busy past the timeout.
    const busy = new Proxy(memory, {
      get: (target, name) => {
        const method = target[name as keyof ProxyStore] as (...a: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) =>
          new Promise((resolve) => {
            const answer = method.apply(target, args);
            setImmediate(() => resolve(answer));
            const until = performance.now() + 40;
            while (performance.now() < until);
          });
      },
    });
    const handle = make({ store: busy, storeTimeoutMs: 20 });
    assert.equal((await get(handle)).status, 200);
    assert.equal((await get(handle, weekInBlock(1))).status, 200);
    assert.deepEqual(
      lines.filter((line) => line.includes('unreachable')),
      [],
      'a slow loop is not an outage',
    );
  });

  it('going to memory hands out no new share: calls made through the store count', async () => {
    const { make, windowsCalls, lines } = fleet();
    const { store, state } = flakyStore('reject');
    state.down = false;
    const handle = make({ store, storeTimeoutMs: 20, instances: 2, upstreamPerMinute: 4 });
    assert.equal((await get(handle, weekInBlock(0))).status, 200);
    assert.equal((await get(handle, weekInBlock(1))).status, 200);
    state.down = true;
    // Its share is 2 (4 over 2 instances), and it made 2 calls this minute already.
    assert.equal((await get(handle, weekInBlock(2))).status, 503);
    assert.equal(windowsCalls().length, 2);
    assert.ok(lines.some((line) => line.includes('unreachable')));
  });

  it('never puts the API key into a store key or value, nor a log line', async () => {
    const { make, lines } = fleet();
    const { store, state } = flakyStore('reject');
    state.down = false;
    const handle = make({ store, bookingUrlLookup: true });
    await get(handle);
    await get(handle, 'startDate=2025-02-14&endDate=2025-02-20');
    assert.ok(state.seen.length > 5);
    for (const text of [...state.seen, ...lines]) {
      assert.ok(!text.toLowerCase().includes(KEY.toLowerCase()), text);
      assert.ok(!text.includes('FLEET'), text);
    }
  });
});

describe('proxy fleet: the Durable Object store of the examples', () => {
  it('shares blocks and an exact budget between isolates through one object', async () => {
    const { make, windowsCalls } = fleet();
    const object = new ProxyStoreObject();
    const namespace = {
      idFromName: (name: string) => name,
      get: () => ({ fetch: (request: Request) => object.fetch(request) }),
    };
    const [a, b] = [
      make({ store: durableObjectStore(namespace), upstreamPerMinute: 2 }),
      make({ store: durableObjectStore(namespace), upstreamPerMinute: 2 }),
    ];
    assert.equal((await get(a)).headers.get('x-cache'), 'MISS');
    assert.equal((await get(b)).headers.get('x-cache'), 'HIT');
    assert.equal((await get(b, 'startDate=2025-02-11&endDate=2025-02-17')).status, 200);
    assert.equal((await get(a, 'startDate=2025-03-11&endDate=2025-03-17')).status, 503);
    assert.equal(windowsCalls().length, 2);
  });
});

describe('proxy fleet: unknown hosts', () => {
  it('remembers a 404 for freshSeconds, so repeating it spends no budget', async () => {
    const { make, windowsCalls, advance } = fleet(() => json({}, { status: 404 }));
    const handle = make({ freshSeconds: 60 });
    assert.equal((await get(handle)).status, 404);
    assert.equal((await get(handle, `${RANGE}&timezone=Asia/Tokyo`)).status, 404);
    assert.equal(windowsCalls().length, 1);
    advance(60_000);
    assert.equal((await get(handle)).status, 404);
    assert.equal(windowsCalls().length, 2);
  });
});

describe('proxy fleet: what the lock holder learns, the others learn', () => {
  it("answers the instances waiting on a refresh with the holder's failure, at once", async () => {
    let release: () => void = () => undefined;
    const { make, windowsCalls } = fleet(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return json({}, { status: 500 });
    });
    const store = memoryStore();
    const [a, b] = [make({ store, timeoutMs: 5000 }), make({ store, timeoutMs: 5000 })];
    const first = get(a);
    await settle();
    const waiting = get(b);
    await settle();
    release();
    const late = Symbol('late');
    const answer = await Promise.race([
      waiting,
      new Promise<typeof late>((resolve) => setTimeout(() => resolve(late), 2000)),
    ]);
    assert.notEqual(answer, late, 'the waiter waited for the timeout');
    assert.equal((answer as Response).status, 502);
    assert.equal((await first).status, 502);
    assert.equal(windowsCalls().length, 1);
  });

  it('looks a booking URL up once for the fleet, through the store', async () => {
    const booking = 'https://cal.meetergo.com/john-smith/30min-meeting';
    const { make, calls } = fleet((request) =>
      new URL(request.url).pathname === '/v4/meeting-type'
        ? json([{ id: '770e8400-e29b-41d4-a716-446655440002', bookingUrl: booking }])
        : meetergo(request),
    );
    const store = memoryStore();
    const instances = [1, 2, 3, 4].map(() => make({ store, bookingUrlLookup: true }));
    for (const handle of instances) {
      const answer = (await (await get(handle)).json()) as { bookingUrl?: string };
      assert.equal(answer.bookingUrl, booking);
    }
    const lookups = calls.filter((call) => call.url.endsWith('/v4/meeting-type'));
    assert.equal(lookups.length, 1);
  });
});
