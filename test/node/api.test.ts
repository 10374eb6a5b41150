import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MAX_WINDOWS,
  SharedRequests,
  SlotsRequestError,
  fetchWindows,
  markPhase,
  parseWindowsAnswer,
  sameAnswer,
  servesPage,
  windowsUrl,
  type WindowsAnswer,
} from '../../src/api.js';

const USER = '550e8400-e29b-41d4-a716-446655440000';
const TYPE = '770e8400-e29b-41d4-a716-446655440002';

describe('windowsUrl', () => {
  const base = 'https://shop.example/pages/book.html';
  const query = {
    proxyUrl: '/api/meetergo',
    userId: USER,
    startDate: '2025-01-05',
    endDate: '2025-01-13',
  };
  const cases: [string, Parameters<typeof windowsUrl>[0], string][] = [
    [
      'ranges are read in UTC unless told otherwise',
      query,
      `https://shop.example/api/meetergo/v4/user/${USER}/bookable-windows?startDate=2025-01-05&endDate=2025-01-13&timezone=UTC`,
    ],
    [
      'a trailing slash makes no difference; the meeting type is sent',
      { ...query, proxyUrl: '/api/meetergo/', meetingTypeId: TYPE },
      `https://shop.example/api/meetergo/v4/user/${USER}/bookable-windows?startDate=2025-01-05&endDate=2025-01-13&meetingTypeId=${TYPE}&timezone=UTC`,
    ],
    [
      'a zone named on purpose is sent',
      { ...query, timezone: 'Europe/Berlin' },
      `https://shop.example/api/meetergo/v4/user/${USER}/bookable-windows?startDate=2025-01-05&endDate=2025-01-13&timezone=Europe%2FBerlin`,
    ],
    [
      'an absolute proxy keeps its own query and drops its hash',
      { ...query, proxyUrl: 'https://proxy.example/m?key=shop#x' },
      `https://proxy.example/m/v4/user/${USER}/bookable-windows?key=shop&startDate=2025-01-05&endDate=2025-01-13&timezone=UTC`,
    ],
  ];
  for (const [name, q, expected] of cases) {
    test(name, () => assert.equal(windowsUrl(q, base).href, expected));
  }
  test('the URL does not depend on the display zone', () => {
    assert.equal(windowsUrl(query, base).href, windowsUrl({ ...query }, base).href);
  });
  test('refuses an unknown zone and an unusable proxy URL', () => {
    assert.throws(() => windowsUrl({ ...query, timezone: 'Mars/Olympus' }, base), RangeError);
    assert.throws(() => windowsUrl({ ...query, proxyUrl: 'http://[' }, base), TypeError);
  });
});

describe('servesPage: an answer already loaded, for a new zone or page', () => {
  const base = 'https://shop.example/';
  const query = { proxyUrl: '/api', userId: USER, startDate: '2024-01-14', endDate: '2024-01-22' };
  const loaded = windowsUrl(query, base);
  const week = (first: string) =>
    Array.from({ length: 7 }, (_, i) =>
      new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10),
    );
  const wanted = (
    days: string[],
    extra: Partial<typeof query> & { meetingTypeId?: string; timezone?: string } = {},
  ) => {
    const first = days[0];
    const last = days.at(-1)!;
    const pad = (day: string, n: number) =>
      new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);
    return windowsUrl(
      { ...query, startDate: pad(first, -1), endDate: pad(last, 1), ...extra },
      base,
    );
  };
  const cases: [string, URL | string, string[], string, boolean][] = [
    [
      'the same page in another zone',
      wanted(week('2024-01-15')),
      week('2024-01-15'),
      'America/New_York',
      true,
    ],
    [
      'a day later in +14 (today moved on there)',
      wanted(week('2024-01-16')),
      week('2024-01-16'),
      'Pacific/Kiritimati',
      true,
    ],
    ['a day later in −12', wanted(week('2024-01-16')), week('2024-01-16'), 'Etc/GMT+12', false],
    ['the next page', wanted(week('2024-01-22')), week('2024-01-22'), 'UTC', false],
    [
      'another host',
      wanted(week('2024-01-15'), { userId: '550e8400-e29b-41d4-a716-446655440010' }),
      week('2024-01-15'),
      'UTC',
      false,
    ],
    [
      'another meeting type',
      wanted(week('2024-01-15'), { meetingTypeId: TYPE }),
      week('2024-01-15'),
      'UTC',
      false,
    ],
    [
      'another proxy',
      wanted(week('2024-01-15'), { proxyUrl: 'https://other.example/api' }),
      week('2024-01-15'),
      'UTC',
      false,
    ],
    [
      'a range read in another zone',
      wanted(week('2024-01-15'), { timezone: 'Europe/Berlin' }),
      week('2024-01-15'),
      'Europe/Berlin',
      false,
    ],
    ['no URL at all', 'not a url', week('2024-01-15'), 'UTC', false],
  ];
  for (const [name, url, days, zone, expected] of cases) {
    test(`${name} → ${expected}`, () =>
      assert.equal(servesPage(loaded, url, days, zone), expected));
  }
  test('an answer loaded for a range read in another zone serves nothing', () => {
    const berlin = windowsUrl({ ...query, timezone: 'Europe/Berlin' }, base);
    assert.equal(servesPage(berlin, berlin, week('2024-01-15'), 'Europe/Berlin'), false);
  });
});

describe('parseWindowsAnswer', () => {
  const cases: [string, unknown, Partial<WindowsAnswer> | 'error'][] = [
    ['no body', null, 'error'],
    ['a list, not an object', [], 'error'],
    ['no windows', { bookingUrl: 'https://x.example' }, 'error'],
    ['windows that are no list', { windows: '2025-01-06T09:00:00Z' }, 'error'],
    ['nothing', { windows: [] }, { windows: [], bookingUrl: null, dropped: 0, capped: 0 }],
    [
      'instants made canonical, sorted and deduplicated; the rest counted',
      {
        windows: [
          '2025-01-06T10:00:00+01:00',
          '2025-01-06T08:30:00.000Z',
          'garbage',
          42,
          '2025-01-06T09:00:00Z',
          '2025-01-06T09:00',
          null,
          '2025-01-06t08:30:00z',
        ],
        bookingUrl: 'https://cal.meetergo.com/x/y',
      },
      {
        windows: ['2025-01-06T08:30:00Z', '2025-01-06T09:00:00Z'],
        bookingUrl: 'https://cal.meetergo.com/x/y',
        dropped: 4,
        capped: 0,
      },
    ],
    ['a booking URL that is no string', { windows: [], bookingUrl: 7 }, { bookingUrl: null }],
  ];
  for (const [name, body, expected] of cases) {
    test(name, () => {
      if (expected === 'error') {
        assert.throws(() => parseWindowsAnswer(body), SlotsRequestError);
        return;
      }
      const answer = parseWindowsAnswer(body);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(answer[key as keyof WindowsAnswer], value, key);
      }
    });
  }
  test(`keeps the earliest ${MAX_WINDOWS} instants of a larger answer`, () => {
    const start = Date.parse('2025-01-06T00:00:00Z');
    const all = Array.from({ length: MAX_WINDOWS + 1500 }, (_, i) =>
      new Date(start + i * 60_000).toISOString(),
    );
    const shuffled = all.map((_, i) => all[(i * 7919) % all.length]); // 7919 is prime: a permutation
    assert.equal(new Set(shuffled).size, all.length);
    const answer = parseWindowsAnswer({ windows: [...shuffled, shuffled[0], 'x'] });
    assert.equal(answer.windows.length, MAX_WINDOWS);
    assert.equal(answer.windows[0], '2025-01-06T00:00:00Z');
    assert.equal(
      answer.windows.at(-1),
      new Date(start + (MAX_WINDOWS - 1) * 60_000).toISOString().replace('.000Z', 'Z'),
    );
    assert.equal(answer.capped, 1500);
    assert.equal(answer.dropped, 1);
  });
});

describe('sameAnswer', () => {
  const a = parseWindowsAnswer({
    windows: ['2025-01-06T09:00:00Z'],
    bookingUrl: 'https://x.example',
  });
  const cases: [string, WindowsAnswer | null, WindowsAnswer | null, boolean][] = [
    ['itself', a, a, true],
    [
      'the same written otherwise',
      a,
      parseWindowsAnswer({ windows: ['2025-01-06T10:00+01:00'], bookingUrl: 'https://x.example' }),
      true,
    ],
    [
      'another instant',
      a,
      parseWindowsAnswer({ windows: ['2025-01-06T09:30:00Z'], bookingUrl: 'https://x.example' }),
      false,
    ],
    ['another booking URL', a, parseWindowsAnswer({ windows: ['2025-01-06T09:00:00Z'] }), false],
    [
      'one more instant',
      a,
      parseWindowsAnswer({
        windows: ['2025-01-06T09:00:00Z', '2025-01-06T09:30:00Z'],
        bookingUrl: 'https://x.example',
      }),
      false,
    ],
    ['nothing', a, null, false],
  ];
  for (const [name, x, y, expected] of cases)
    test(name, () => assert.equal(sameAnswer(x, y), expected));
});

// ───────────── Against a real HTTP server on 127.0.0.1 ─────────────

interface Seen {
  path: string;
  /** Resolves when the client went away before the answer (an aborted fetch). */
  gone: Promise<void>;
  answer: (status: number, body: string) => void;
}

/** A proxy stand-in whose answers the test releases by hand, recording every request. */
function proxyServer() {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let goneResolve!: () => void;
    const gone = new Promise<void>((resolve) => (goneResolve = resolve));
    res.on('close', () => {
      if (!res.writableEnded) goneResolve();
    });
    const entry: Seen = {
      path: req.url ?? '',
      gone,
      answer: (status, body) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
      },
    };
    seen.push(entry);
  });
  return { server, seen };
}

describe('fetchWindows and SharedRequests against a real server', () => {
  const proxy = proxyServer();
  let origin = '';
  const url = (days = '2025-01-05', extra = '') =>
    `${origin}/api/v4/user/${USER}/bookable-windows?startDate=${days}&endDate=2025-01-13&timezone=UTC${extra}`;
  const body = JSON.stringify({
    windows: ['2025-01-06T09:00:00Z'],
    bookingUrl: 'https://x.example',
  });
  /** Waits until the server has seen `n` requests in all (bounded). */
  async function seenCount(n: number): Promise<void> {
    for (let i = 0; i < 200 && proxy.seen.length < n; i++)
      await new Promise((r) => setTimeout(r, 5));
    assert.equal(proxy.seen.length, n);
  }
  let clock = 0;
  let shared: SharedRequests;

  before(async () => {
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    proxy.server.closeAllConnections();
    await new Promise((resolve) => proxy.server.close(resolve));
  });
  beforeEach(() => {
    proxy.seen.length = 0;
    clock = 0;
    shared = new SharedRequests({ now: () => clock, memoMs: 5_000, timeoutMs: 2_000 });
  });

  test('20 instances asking for one URL make one request and get one answer', async () => {
    const answers = Array.from({ length: 20 }, () => shared.get(url()));
    await seenCount(1);
    proxy.seen[0].answer(200, body);
    const got = await Promise.all(answers);
    assert.equal(proxy.seen.length, 1);
    assert.ok(got.every((answer) => answer === got[0]));
    assert.deepEqual(got[0].windows, ['2025-01-06T09:00:00Z']);
    assert.equal(shared.inFlight, 0);
  });

  test('different URLs fetch in parallel', async () => {
    const answers = ['2025-01-05', '2025-01-06', '2025-01-07'].map((day) => shared.get(url(day)));
    await seenCount(3); // all three reached the server before any was answered
    assert.equal(shared.inFlight, 3);
    for (const seen of proxy.seen) seen.answer(200, body);
    assert.equal((await Promise.all(answers)).length, 3);
  });

  test('one instance aborting never aborts another’s shared fetch', async () => {
    const first = new AbortController();
    const a = shared.get(url(), first.signal);
    const b = shared.get(url(), new AbortController().signal);
    await seenCount(1);
    first.abort();
    await assert.rejects(a, { name: 'AbortError' });
    let gone = false;
    void proxy.seen[0].gone.then(() => (gone = true));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(gone, false, 'the fetch is still open');
    proxy.seen[0].answer(200, body);
    assert.deepEqual((await b).windows, ['2025-01-06T09:00:00Z']);
    assert.equal(proxy.seen.length, 1);
  });

  test('the shared fetch aborts when every instance has gone; the next one fetches anew', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const waits = controllers.map((c) => shared.get(url(), c.signal));
    await seenCount(1);
    for (const c of controllers) c.abort();
    for (const wait of waits) await assert.rejects(wait, { name: 'AbortError' });
    await proxy.seen[0].gone; // the server saw the request go away
    assert.equal(shared.inFlight, 0);
    const again = shared.get(url());
    await seenCount(2);
    proxy.seen[1].answer(200, body);
    assert.equal((await again).windows.length, 1);
  });

  test('an instance connecting just after the answer arrived shares it, for a few seconds', async () => {
    const first = shared.get(url());
    await seenCount(1);
    proxy.seen[0].answer(200, body);
    const answer = await first;
    clock = 4_999;
    assert.equal(await shared.get(url()), answer);
    assert.equal(proxy.seen.length, 1);
    clock = 5_000;
    const later = shared.get(url());
    await seenCount(2);
    proxy.seen[1].answer(200, body);
    assert.notEqual(await later, answer);
  });

  test('fresh skips the remembered answer (Retry, refresh())', async () => {
    const first = shared.get(url());
    await seenCount(1);
    proxy.seen[0].answer(200, body);
    await first;
    const fresh = shared.get(url(), undefined, { fresh: true });
    await seenCount(2);
    proxy.seen[1].answer(200, JSON.stringify({ windows: [] }));
    assert.deepEqual((await fresh).windows, []);
    assert.deepEqual((await shared.get(url())).windows, [], 'the fresh answer is remembered');
  });

  test('a failure reaches every waiting instance and is not remembered', async () => {
    const waits = [shared.get(url()), shared.get(url())];
    await seenCount(1);
    proxy.seen[0].answer(503, JSON.stringify({ statusCode: 503, message: 'Upstream is busy.' }));
    for (const wait of waits) {
      await assert.rejects(wait, (error: unknown) => {
        assert.ok(error instanceof SlotsRequestError);
        assert.equal(error.message, 'Upstream is busy.');
        assert.equal(error.status, 503);
        return true;
      });
    }
    const retry = shared.get(url());
    await seenCount(2);
    proxy.seen[1].answer(200, body);
    assert.equal((await retry).windows.length, 1);
  });

  test('an already aborted signal makes no request', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(shared.get(url(), controller.signal), { name: 'AbortError' });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(proxy.seen.length, 0);
  });

  const failures: [string, (seen: Seen) => void, string, number | null][] = [
    [
      'an error status with a message',
      (s) => s.answer(404, '{"statusCode":404,"message":"Not found."}'),
      'Not found.',
      404,
    ],
    [
      'an error status without JSON',
      (s) => s.answer(500, '<html>'),
      'The server answered 500.',
      500,
    ],
    ['a 200 that is no JSON', (s) => s.answer(200, 'nope'), 'The answer was not JSON.', null],
    [
      'a 200 without windows',
      (s) => s.answer(200, '{"slots":[]}'),
      'The answer has no list of windows.',
      null,
    ],
  ];
  for (const [name, respond, message, status] of failures) {
    test(`fetchWindows: ${name}`, async () => {
      const wait = fetchWindows(new URL(url()), new AbortController().signal);
      await seenCount(1);
      respond(proxy.seen[0]);
      await assert.rejects(wait, (error: unknown) => {
        assert.ok(error instanceof SlotsRequestError);
        assert.deepEqual([error.message, error.status], [message, status]);
        return true;
      });
    });
  }
  test('fetchWindows: a timeout', async () => {
    const wait = fetchWindows(new URL(url()), new AbortController().signal, 50);
    await assert.rejects(wait, { message: 'The request timed out.' });
  });
  test('fetchWindows: nobody listening', async () => {
    const wait = fetchWindows(new URL(`http://127.0.0.1:9/x`), new AbortController().signal);
    await assert.rejects(wait, { message: 'The network request failed.' });
  });

  test('performance entries: meetergo-slots:request, :answer and :rendered', async () => {
    performance.clearMarks();
    performance.clearMeasures();
    const wait = shared.get(url('2025-01-09'));
    await seenCount(1);
    proxy.seen[0].answer(200, body);
    await wait;
    markPhase('rendered', { count: 1 });
    const [request] = performance.getEntriesByName('meetergo-slots:request', 'mark');
    const [answer] = performance.getEntriesByName('meetergo-slots:answer', 'measure');
    const [rendered] = performance.getEntriesByName('meetergo-slots:rendered', 'mark');
    assert.ok(request && answer && rendered);
    assert.deepEqual((request as PerformanceMark).detail, { url: url('2025-01-09') });
    assert.deepEqual((answer as PerformanceMeasure).detail, { url: url('2025-01-09'), windows: 1 });
    assert.equal(answer.startTime, request.startTime);
    assert.ok(rendered.startTime >= answer.startTime + answer.duration);
    assert.deepEqual((rendered as PerformanceMark).detail, { count: 1 });
    performance.clearMarks();
    performance.clearMeasures();
  });
});
