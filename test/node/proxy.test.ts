// The reference proxy's handler, with a counting fake of meetergo's API as its `fetch` (the
// network boundary) and an injected clock. Real HTTP round trips: proxy-server.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMeetergoProxy, type MeetergoProxyOptions } from '../../src/proxy/index.js';
import { weekInBlock } from '../blocks.js';

const KEY = 'mg_live_SECRET-key-0123456789';
const USER = '550e8400-e29b-41d4-a716-446655440000';
const OTHER_USER = '550e8400-e29b-41d4-a716-446655440099';
const TYPE = '770e8400-e29b-41d4-a716-446655440002';
const OTHER_TYPE = '770e8400-e29b-41d4-a716-446655440003';
const WINDOWS = ['2025-01-14T09:00:00Z', '2025-01-14T09:30:00Z', '2025-01-15T10:00:00+01:00'];
/** WINDOWS as the proxy sends them: canonical instants (UTC, `Z`), sorted. */
const CANONICAL = ['2025-01-14T09:00:00Z', '2025-01-14T09:30:00Z', '2025-01-15T09:00:00Z'];
const BOOKING = 'https://cal.meetergo.com/john-smith/30min-meeting';
// A week whose days, padded by one for every zone, lie in one block (block 0: 2025-01-03…30).
const RANGE = 'startDate=2025-01-14&endDate=2025-01-20';
/** The upstream query of that block: its days padded by one, no zone. */
const BLOCK_QUERY = 'startDate=2025-01-04&endDate=2025-01-31';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });

type Upstream = (request: Request) => Response | Promise<Response>;

/** meetergo as the docs describe it: windows, and one meeting type with a booking URL. */
const meetergo: Upstream = (request) =>
  new URL(request.url).pathname === '/v4/meeting-type'
    ? json([{ id: TYPE, name: '30min Meeting', bookingUrl: BOOKING }])
    : json({ windows: WINDOWS });

function setup(options: Partial<MeetergoProxyOptions> = {}, upstream: Upstream = meetergo) {
  const calls: Request[] = [];
  const lines: string[] = [];
  let clock = Date.parse('2025-01-06T06:00:00Z');
  const handle = createMeetergoProxy({
    apiKey: KEY,
    fetch: async (request) => {
      calls.push(request);
      return upstream(request);
    },
    logger: (line) => lines.push(line),
    now: () => clock,
    ...options,
  });
  return {
    handle,
    calls,
    lines,
    windowsCalls: () => calls.filter((c) => c.url.includes('/bookable-windows')),
    advance: (ms: number) => (clock += ms),
    get: (target: string, init: RequestInit = {}, clientAddress = '203.0.113.7') =>
      handle(new Request(`https://shop.example${target}`, init), { clientAddress }),
  };
}

const windowsPath = (query = RANGE, user = USER) => `/v4/user/${user}/bookable-windows?${query}`;

async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe('createMeetergoProxy: options', () => {
  const bad: [string, Partial<MeetergoProxyOptions>, RegExp][] = [
    ['missing apiKey', { apiKey: undefined }, /apiKey is required/],
    ['blank apiKey', { apiKey: '  ' }, /apiKey is required/],
    ['apiKey with a line break', { apiKey: `${KEY}\r\nX-Evil: 1` }, /apiKey contains/],
    ['relative upstreamUrl', { upstreamUrl: '/v4' }, /upstreamUrl must be an absolute/],
    ['ftp upstreamUrl', { upstreamUrl: 'ftp://api.meetergo.com' }, /http: or https:/],
    ['upstreamUrl with credentials', { upstreamUrl: 'https://u:p@x.example' }, /credentials/],
    ['upstreamUrl with a query', { upstreamUrl: 'https://x.example/?a=1' }, /query/],
    ['basePath without a slash', { basePath: 'api' }, /basePath must start with/],
    ['allowedUserIds not UUIDs', { allowedUserIds: ['admin'] }, /allowedUserIds: admin/],
    ['empty allowedUserIds', { allowedUserIds: [] }, /allowedUserIds is empty/],
    ['allowedMeetingTypeIds not UUIDs', { allowedMeetingTypeIds: ['x'] }, /not a UUID/],
    ['origin with a path', { allowedOrigins: ['https://shop.example/'] }, /not an origin/],
    ['origin without a scheme', { allowedOrigins: ['shop.example'] }, /not an origin/],
    ['maxRangeDays 0', { maxRangeDays: 0 }, /maxRangeDays must be an integer from 1/],
    ['cacheSeconds negative', { cacheSeconds: -1 }, /cacheSeconds/],
    ['timeoutMs fractional', { timeoutMs: 1.5 }, /timeoutMs/],
    ['maxBodyBytes 0', { maxBodyBytes: 0 }, /maxBodyBytes/],
    ['rateLimitPerMinute NaN', { rateLimitPerMinute: Number.NaN }, /rateLimitPerMinute/],
    ['trustProxy not a header', { trustProxy: 'x forwarded' }, /trustProxy must be a header/],
    ['bookingUrls key', { bookingUrls: { john: BOOKING } }, /not a UUID/],
    ['bookingUrls http:', { bookingUrls: { [USER]: 'http://cal.example/x' } }, /https:/],
    ['bookingUrls javascript:', { bookingUrls: { [USER]: 'javascript:alert(1)' } }, /https:/],
  ];
  for (const [name, options, message] of bad) {
    it(`throws at creation for ${name}, without the key in the message`, () => {
      assert.throws(
        () => createMeetergoProxy({ apiKey: KEY, ...options } as MeetergoProxyOptions),
        (err: Error) => {
          assert.match(err.message, message);
          assert.match(err.message, /^meetergo-slots proxy: /);
          assert.ok(!err.message.includes('SECRET'), err.message);
          return true;
        },
      );
    });
  }

  it('accepts a full set of valid options', () => {
    const handle = createMeetergoProxy({
      apiKey: KEY,
      upstreamUrl: 'http://127.0.0.1:9/base/',
      basePath: '/api/meetergo/',
      allowedUserIds: [USER.toUpperCase()],
      allowedMeetingTypeIds: [TYPE],
      allowedOrigins: ['https://shop.example', 'http://localhost:5173'],
      maxRangeDays: 62,
      cacheSeconds: 0,
      timeoutMs: 500,
      maxBodyBytes: 4096,
      rateLimitPerMinute: 0,
      trustProxy: 'CF-Connecting-IP',
      bookingUrls: { [TYPE]: BOOKING },
      bookingUrlLookup: false,
    });
    assert.equal(typeof handle, 'function');
  });
});

describe('createMeetergoProxy: the one route', () => {
  it('calls exactly the documented upstream URL with only the key, user id and Accept', async () => {
    const { get, calls } = setup();
    const response = await get(windowsPath(), {
      headers: {
        Cookie: 'session=abc',
        Authorization: 'Bearer the-visitors-own-token',
        'x-meetergo-api-user-id': OTHER_USER,
        'X-Forwarded-Host': 'evil.example',
        'X-Custom': 'smuggled',
      },
    });
    assert.equal(response.status, 200);
    const windows = calls.find((c) => c.url.includes('bookable-windows'));
    assert.ok(windows);
    assert.equal(
      windows.url,
      `https://api.meetergo.com/v4/user/${USER}/bookable-windows?${BLOCK_QUERY}`,
    );
    assert.equal(windows.method, 'GET');
    assert.equal(windows.redirect, 'manual');
    assert.ok(windows.signal instanceof AbortSignal);
    assert.deepEqual([...windows.headers].sort(), [
      ['accept', 'application/json'],
      ['authorization', `Bearer ${KEY}`],
      ['x-meetergo-api-user-id', USER],
    ]);
    const lookup = calls.find((c) => c.url.endsWith('/v4/meeting-type'));
    assert.ok(lookup);
    assert.equal(lookup.url, 'https://api.meetergo.com/v4/meeting-type');
    assert.deepEqual([...lookup.headers].sort(), [...windows.headers].sort());
  });

  it('answers the windows and the booking URL, as JSON with the documented headers', async () => {
    const { get } = setup();
    const response = await get(windowsPath());
    assert.equal(response.status, 200);
    assert.deepEqual(await body(response), { windows: CANONICAL, bookingUrl: BOOKING });
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const cacheControl =
      'public, max-age=0, s-maxage=60, stale-while-revalidate=3600, stale-if-error=3600';
    assert.equal(response.headers.get('cache-control'), cacheControl);
    assert.equal(response.headers.get('cdn-cache-control'), cacheControl);
    assert.equal(response.headers.get('x-cache'), 'MISS');
    assert.equal(response.headers.get('age'), '0');
    assert.match(response.headers.get('x-request-id') ?? '', UUID);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });

  it('passes meetingTypeId upstream and never the zone (blocks are zone-agnostic), ids in lower case', async () => {
    for (const [zone, canonical] of [
      ['US/Eastern', 'America/New_York'],
      ['utc', 'UTC'],
      ['europe/berlin', 'Europe/Berlin'],
      ['ETC/GMT+5', 'Etc/GMT+5'],
    ]) {
      const { get, windowsCalls } = setup();
      const query = `${RANGE}&meetingTypeId=${TYPE.toUpperCase()}&timezone=${encodeURIComponent(zone)}`;
      const response = await get(windowsPath(query, USER.toUpperCase()));
      assert.equal(response.status, 200, zone);
      const url = new URL(windowsCalls()[0].url);
      assert.equal(url.pathname, `/v4/user/${USER}/bookable-windows`);
      assert.deepEqual(
        [...url.searchParams],
        [
          ['startDate', '2025-01-04'],
          ['endDate', '2025-01-31'],
          ['meetingTypeId', TYPE],
        ],
        canonical,
      );
      assert.equal(windowsCalls()[0].headers.get('x-meetergo-api-user-id'), USER);
    }
  });

  it('serves under a basePath and an upstream path prefix', async () => {
    const { get, calls } = setup({
      basePath: '/api/meetergo',
      upstreamUrl: 'https://gateway.example/meetergo/',
    });
    assert.equal((await get(`/api/meetergo${windowsPath()}`)).status, 200);
    assert.ok(calls[0].url.startsWith(`https://gateway.example/meetergo/v4/`), calls[0].url);
    const before = calls.length;
    assert.equal((await get(windowsPath())).status, 404);
    assert.equal(calls.length, before);
  });

  it('answers HEAD like GET without a body', async () => {
    const { get } = setup();
    const head = await get(windowsPath(), { method: 'HEAD' });
    const getResponse = await get(windowsPath());
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    for (const name of ['content-type', 'x-content-type-options']) {
      assert.equal(head.headers.get(name), getResponse.headers.get(name));
    }
    assert.match(head.headers.get('cache-control') ?? '', /^public, max-age=0, s-maxage=60/);
  });

  const otherPaths = [
    '/',
    '/v4/user',
    `/v4/user/${USER}`,
    `/v4/user/${USER}/bookable-windows/`,
    `/v4/user/${USER}/bookable-windows/extra`,
    `/v4/user/${USER}/bookings`,
    '/v4/meeting-type',
    `/v4/user/${USER}/x/bookable-windows`,
    `//v4/user/${USER}/bookable-windows`,
    `/v4/user//bookable-windows`,
    `/v4/user/bookable-windows`,
    `/v4/user/${USER}/../../meeting-type`,
    `/v4/user/${USER}/%2e%2e/%2e%2e/meeting-type`,
    `/V4/USER/${USER}/BOOKABLE-WINDOWS`,
  ];
  for (const path of otherPaths) {
    it(`answers 404 for ${path}, with no upstream call`, async () => {
      const { get, calls } = setup();
      const response = await get(`${path}?${RANGE}`);
      assert.equal(response.status, 404);
      assert.deepEqual(await body(response), { statusCode: 404, message: 'Not found' });
      assert.equal(calls.length, 0);
    });
  }

  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    it(`answers 405 with Allow for ${method} on the route, 404 elsewhere`, async () => {
      const { get, calls } = setup();
      const response = await get(windowsPath(), { method, body: 'x' });
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('allow'), 'GET, HEAD, OPTIONS');
      assert.equal((await body(response)).statusCode, 405);
      assert.equal((await get('/v4/meeting-type', { method, body: 'x' })).status, 404);
      assert.equal(calls.length, 0);
    });
  }
});

describe('createMeetergoProxy: bad input is 400 without an upstream call', () => {
  const cases: [string, string, RegExp][] = [
    ['traversal in the user id', windowsPath(RANGE, '..%2F..%2Fmeeting-type'), /userId.*UUID/],
    ['an encoded slash in the user id', windowsPath(RANGE, `${USER}%2Fx`), /userId.*UUID/],
    ['an encoded dot-dot user id', windowsPath(RANGE, '%2e%2e%2fadmin'), /userId.*UUID/],
    ['a user id that is not a UUID', windowsPath(RANGE, 'me'), /userId.*UUID/],
    ['a user id in braces', windowsPath(RANGE, `{${USER}}`), /userId.*UUID/],
    ['no startDate', windowsPath('endDate=2025-01-20'), /startDate is required/],
    ['no endDate', windowsPath('startDate=2025-01-14'), /endDate is required/],
    ['2025-02-30', windowsPath('startDate=2025-02-30&endDate=2025-03-01'), /startDate.*real day/],
    ['2025-02-29', windowsPath('startDate=2025-02-28&endDate=2025-02-29'), /endDate.*real day/],
    ['a week date', windowsPath('startDate=2025-W02-1&endDate=2025-01-12'), /startDate.*real/],
    ['an expanded year', windowsPath('startDate=+002025-01-06&endDate=2025-01-12'), /startDate/],
    ['a date-time', windowsPath('startDate=2025-01-06T00:00&endDate=2025-01-12'), /startDate/],
    ['single digits', windowsPath('startDate=2025-1-6&endDate=2025-01-12'), /startDate/],
    ['month 13', windowsPath('startDate=2025-13-01&endDate=2025-01-12'), /startDate/],
    ['end before start', windowsPath('startDate=2025-01-12&endDate=2025-01-06'), /before/],
    ['32 days', windowsPath('startDate=2025-01-05&endDate=2025-02-05'), /exceed 31 days/],
    ['a cache buster', windowsPath(`${RANGE}&_=1736150400000`), /Unknown query parameter "_"/],
    ['an unknown parameter', windowsPath(`${RANGE}&userId=${OTHER_USER}`), /Unknown.*"userId"/],
    ['a differently cased name', windowsPath(`${RANGE}&startdate=x`), /Unknown.*"startdate"/],
    ['a repeated startDate', windowsPath(`${RANGE}&startDate=2025-01-15`), /Repeated.*startDate/],
    ['a repeated timezone', windowsPath(`${RANGE}&timezone=UTC&timezone=UTC`), /Repeated/],
    ['a bad meetingTypeId', windowsPath(`${RANGE}&meetingTypeId=30min`), /meetingTypeId.*UUID/],
    ['an empty meetingTypeId', windowsPath(`${RANGE}&meetingTypeId=`), /meetingTypeId.*UUID/],
    ['an unknown zone', windowsPath(`${RANGE}&timezone=Mars/Olympus`), /IANA time zone/],
    ['an offset zone', windowsPath(`${RANGE}&timezone=%2B01:00`), /IANA time zone/],
    ['an empty zone', windowsPath(`${RANGE}&timezone=`), /IANA time zone/],
    ['a zone path', windowsPath(`${RANGE}&timezone=../../etc/passwd`), /IANA time zone/],
  ];
  for (const [name, target, message] of cases) {
    it(`refuses ${name}`, async () => {
      const { get, calls } = setup();
      const response = await get(target);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const answer = await body(response);
      assert.equal(answer.statusCode, 400);
      assert.match(String(answer.message), message);
      assert.equal(calls.length, 0);
    });
  }

  it('accepts a leap day, 31 days both ends counted, and a custom limit', async () => {
    const { get } = setup({ horizonDays: 1200 });
    assert.equal((await get(windowsPath('startDate=2028-02-29&endDate=2028-02-29'))).status, 200);
    assert.equal((await get(windowsPath('startDate=2025-01-05&endDate=2025-02-04'))).status, 200);
    const narrow = setup({ maxRangeDays: 7 });
    const week = await narrow.get(windowsPath('startDate=2025-01-06&endDate=2025-01-13'));
    assert.equal(week.status, 400);
    assert.match(String((await body(week)).message), /exceed 7 days/);
  });
});

describe('createMeetergoProxy: allowlists', () => {
  const headersOf = (response: Response) =>
    [...response.headers].filter(([name]) => name !== 'x-request-id');

  it('answers an allowlist miss with a 404 identical to an upstream 404', async () => {
    const upstream404 = setup({}, () =>
      json({ statusCode: 404, message: 'User not found', error: 'Not Found' }, { status: 404 }),
    );
    const fromUpstream = await upstream404.get(windowsPath());
    assert.equal(upstream404.windowsCalls().length, 1);

    const listed = setup({ allowedUserIds: [USER], allowedMeetingTypeIds: [TYPE] });
    const userMiss = await listed.get(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`, OTHER_USER));
    const typeMiss = await listed.get(windowsPath(`${RANGE}&meetingTypeId=${OTHER_TYPE}`));
    const pathMiss = await listed.get('/v4/user');
    assert.equal(listed.calls.length, 0);

    const reference = await fromUpstream.text();
    assert.equal(fromUpstream.status, 404);
    for (const response of [userMiss, typeMiss, pathMiss]) {
      assert.equal(response.status, 404);
      assert.equal(await response.text(), reference);
      assert.deepEqual(headersOf(response), headersOf(fromUpstream));
    }
  });

  it('serves listed ids in any letter case, and requires a meeting type when those are listed', async () => {
    const { get, windowsCalls } = setup({
      allowedUserIds: [USER],
      allowedMeetingTypeIds: [TYPE.toUpperCase()],
    });
    const ok = await get(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`, USER.toUpperCase()));
    assert.equal(ok.status, 200);
    const missing = await get(windowsPath());
    assert.equal(missing.status, 400);
    assert.match(String((await body(missing)).message), /meetingTypeId is required/);
    assert.equal(windowsCalls().length, 1);
  });
});

describe('createMeetergoProxy: upstream faults', () => {
  const faults: [string, Upstream, number, string][] = [
    ['401', () => json({ message: 'Unauthorized' }, { status: 401 }), 502, 'upstream=401'],
    ['403', () => json({ message: 'Forbidden' }, { status: 403 }), 502, 'upstream=403'],
    ['500', () => new Response('boom', { status: 500 }), 502, 'upstream=500'],
    ['503', () => new Response(null, { status: 503 }), 502, 'upstream=503'],
    ['400', () => json({ statusCode: 400 }, { status: 400 }), 502, 'upstream=400'],
    ['204', () => new Response(null, { status: 204 }), 502, 'upstream=204'],
    [
      'a redirect',
      () => new Response(null, { status: 302, headers: { Location: 'http://169.254.169.254/' } }),
      502,
      'upstream=302',
    ],
    ['invalid JSON', () => new Response('<html>', { status: 200 }), 502, 'upstream=invalid-json'],
    ['invalid UTF-8', () => new Response(new Uint8Array([0xff, 0xfe])), 502, 'invalid-json'],
    ['an array', () => json(WINDOWS), 502, 'upstream=unexpected-shape'],
    ['no windows', () => json({ slots: WINDOWS }), 502, 'upstream=unexpected-shape'],
    ['a network error', () => Promise.reject(new TypeError('fetch failed')), 502, 'network'],
  ];
  for (const [name, upstream, status, note] of faults) {
    it(`maps ${name} to ${status} with a generic message and the request id`, async () => {
      const { get, lines, windowsCalls } = setup({}, upstream);
      const response = await get(windowsPath());
      assert.equal(response.status, status);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const requestId = response.headers.get('x-request-id') ?? '';
      assert.match(requestId, UUID);
      const answer = await body(response);
      assert.deepEqual(Object.keys(answer).sort(), ['message', 'requestId', 'statusCode']);
      assert.equal(answer.statusCode, status);
      assert.equal(answer.requestId, requestId);
      assert.ok(String(answer.message).includes(requestId));
      assert.doesNotMatch(String(answer.message), /Unauthorized|Forbidden|boom|html|fetch failed/);
      assert.equal(windowsCalls().length, 1, 'no retry, no redirect followed');
      assert.ok(
        lines.some((line) => line.includes(note)),
        lines.join('\n'),
      );
    });
  }

  it('answers 504 when upstream never answers, even when its fetch ignores the signal', async () => {
    const hanging = setup({ timeoutMs: 30 }, () => new Promise<Response>(() => undefined));
    const response = await hanging.get(windowsPath());
    assert.equal(response.status, 504);
    const answer = await body(response);
    assert.equal(answer.requestId, response.headers.get('x-request-id'));

    let aborted = false;
    const polite = setup(
      { timeoutMs: 30 },
      (request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener('abort', () => {
            aborted = true;
            reject(request.signal.reason);
          });
        }),
    );
    assert.equal((await polite.get(windowsPath())).status, 504);
    assert.ok(aborted, 'the upstream request is aborted');
  });

  it('answers 504 when the body stalls after the headers', async () => {
    const { get } = setup(
      { timeoutMs: 30 },
      () => new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([123])) })),
    );
    assert.equal((await get(windowsPath())).status, 504);
  });

  it('cuts off bodies over the cap, declared or streamed', async () => {
    const big = JSON.stringify({ windows: Array(200).fill(WINDOWS[0]) });
    const declared = setup({ maxBodyBytes: 1000 }, () =>
      json({ windows: WINDOWS }, { headers: { 'Content-Length': '5000000' } }),
    );
    assert.equal((await declared.get(windowsPath())).status, 502);
    assert.ok(declared.lines.some((l) => l.includes('upstream=body-too-large')));

    let pulled = 0;
    const streamed = setup({ maxBodyBytes: 1000 }, () => {
      const chunk = new TextEncoder().encode(big.slice(0, 400));
      return new Response(
        new ReadableStream({
          pull(controller) {
            pulled += 1;
            controller.enqueue(chunk);
          },
        }),
      );
    });
    assert.equal((await streamed.get(windowsPath())).status, 502);
    assert.ok(pulled < 10, `stopped reading after ${pulled} chunks`);

    const fits = setup({ maxBodyBytes: big.length }, () => new Response(big));
    assert.equal((await fits.get(windowsPath())).status, 200);
  });

  it('never lets the key out: not from an echoing upstream, not into answers or logs', async () => {
    const echo: Upstream = (request) => {
      const auth = request.headers.get('authorization') ?? '';
      const path = new URL(request.url).pathname;
      if (path === '/v4/meeting-type') {
        return json([{ id: TYPE, bookingUrl: `https://cal.meetergo.com/x?k=${KEY}` }]);
      }
      return json(
        { windows: [...WINDOWS, `2025-01-14T09:00:00Z ${auth}`, auth], debug: auth },
        { headers: { 'X-Echo': auth } },
      );
    };
    const leaky = setup({}, echo);
    const ok = await leaky.get(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`));
    const okText = await ok.text();
    assert.deepEqual(JSON.parse(okText), { windows: CANONICAL });

    const failing = setup({}, (request) =>
      json(
        { statusCode: 401, message: `Invalid key ${request.headers.get('authorization')}` },
        { status: 401, headers: { 'WWW-Authenticate': `Bearer ${KEY}` } },
      ),
    );
    const failed = await failing.get(windowsPath());
    assert.equal(failed.status, 502);
    const failedText = await failed.text();
    for (const [response, text] of [
      [ok, okText],
      [failed, failedText],
    ] as const) {
      assert.ok(!text.includes(KEY));
      for (const [, value] of response.headers) assert.ok(!value.includes(KEY), value);
    }
    const throwing = setup({}, () => {
      const failure = new Error(`refused ${KEY}`);
      failure.name = `AuthError ${KEY}`;
      throw failure;
    });
    const thrown = await throwing.get(windowsPath());
    assert.equal(thrown.status, 502);
    assert.ok(!(await thrown.text()).includes(KEY));
    assert.ok(throwing.lines[0].includes('[redacted]'), throwing.lines[0]);
    for (const line of [...leaky.lines, ...failing.lines, ...throwing.lines]) {
      assert.ok(!line.includes(KEY), line);
    }
  });

  it('passes an upstream 429 on with its Retry-After and pauses upstream calls meanwhile', async () => {
    let status = 429;
    const { get, windowsCalls, advance } = setup({}, (request) =>
      request.url.includes('meeting-type')
        ? json([])
        : status === 429
          ? json({ message: 'slow down' }, { status: 429, headers: { 'Retry-After': '30' } })
          : json({ windows: WINDOWS }),
    );
    const first = await get(windowsPath());
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '30');
    assert.equal((await body(first)).statusCode, 429);

    advance(10_000);
    const other = await get(
      windowsPath('startDate=2025-01-13&endDate=2025-01-19'),
      {},
      '198.51.100.1',
    );
    assert.equal(other.status, 429);
    assert.equal(other.headers.get('retry-after'), '20');
    assert.equal(windowsCalls().length, 1, 'no retry burst upstream');

    status = 200;
    advance(20_000);
    assert.equal((await get(windowsPath())).status, 200);
    assert.equal(windowsCalls().length, 2);
  });

  const retryAfters: [string | null, string][] = [
    [null, '60'],
    ['soon', '60'],
    ['0', '1'],
    ['999999', '3600'],
    ['Mon, 06 Jan 2025 06:02:00 GMT', '120'],
  ];
  for (const [header, expected] of retryAfters) {
    it(`turns an upstream Retry-After of ${String(header)} into ${expected}`, async () => {
      const { get } = setup({}, () =>
        json({}, { status: 429, headers: header === null ? {} : { 'Retry-After': header } }),
      );
      assert.equal((await get(windowsPath())).headers.get('retry-after'), expected);
    });
  }
});

describe('createMeetergoProxy: what reaches the client', () => {
  it('keeps only windows that are ISO 8601 instants, and nothing else of the body', async () => {
    const items = [
      ...WINDOWS,
      '2025-01-14T09:00Z',
      '2025-01-14T09:00:00.123456Z',
      '2025-01-14T09:00:00-09:30',
      '2025-01-14T09:00:00',
      '2025-01-14',
      '2025-02-30T09:00:00Z',
      '2025-01-14T24:00:00Z',
      '2025-01-14T09:60:00Z',
      '2025-01-14T09:00:00+25:00',
      '2025-01-16t09:00:00z',
      ' 2025-01-14T09:00:00Z',
      '<img src=x onerror=alert(1)>',
      1736154000000,
      null,
      { start: '2025-01-14T09:00:00Z' },
      ['2025-01-14T09:00:00Z'],
    ];
    const { get } = setup({}, (request) =>
      request.url.includes('meeting-type')
        ? json([])
        : json({ windows: items, internalNotes: 'secret', bookingUrl: 'https://evil.example' }),
    );
    assert.deepEqual(await body(await get(windowsPath())), {
      // Canonical (UTC, `Z`, milliseconds at most), sorted, each instant once.
      windows: [
        '2025-01-14T09:00:00Z',
        '2025-01-14T09:00:00.123Z',
        '2025-01-14T09:30:00Z',
        '2025-01-14T18:30:00Z',
        '2025-01-15T09:00:00Z',
        '2025-01-16T09:00:00Z',
      ],
    });
  });

  it('takes the booking URL from the options, by meeting type, then by user', async () => {
    const byType = 'https://cal.meetergo.com/john/type';
    const byUser = 'https://cal.meetergo.com/john';
    const { get, calls } = setup({ bookingUrls: { [TYPE.toUpperCase()]: byType, [USER]: byUser } });
    const typed = await body(await get(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`)));
    assert.equal(typed.bookingUrl, byType);
    const untyped = await body(await get(windowsPath()));
    assert.equal(untyped.bookingUrl, byUser);
    assert.equal(calls.filter((c) => c.url.includes('meeting-type')).length, 0);
  });

  for (const [shape, listing] of [
    ['an array', (types: unknown[]) => types],
    ['{ data }', (types: unknown[]) => ({ data: types })],
    ['{ meetingTypes }', (types: unknown[]) => ({ meetingTypes: types })],
  ] as const) {
    it(`looks the booking URL up in meeting types shaped as ${shape}`, async () => {
      const types = [
        { id: OTHER_TYPE, bookingUrl: 'https://cal.meetergo.com/john/other' },
        { id: TYPE.toUpperCase(), bookingUrl: BOOKING },
      ];
      const { get } = setup({}, (request) =>
        request.url.endsWith('/v4/meeting-type')
          ? json(listing(types))
          : json({ windows: WINDOWS }),
      );
      const typed = await body(await get(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`)));
      assert.equal(typed.bookingUrl, BOOKING);
      const first = await body(await get(windowsPath()));
      assert.equal(first.bookingUrl, 'https://cal.meetergo.com/john/other');
      const unknown = await body(await get(windowsPath(`${RANGE}&meetingTypeId=${USER}`)));
      assert.equal(unknown.bookingUrl, undefined);
    });
  }

  const unusable: [string, unknown][] = [
    ['http:', 'http://cal.meetergo.com/john'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['relative', '/john/30min'],
    ['credentials', 'https://user:pass@cal.meetergo.com/john'],
    ['malformed', 'https://'],
    ['not a string', 42],
  ];
  for (const [name, url] of unusable) {
    it(`omits a looked-up booking URL that is ${name}`, async () => {
      const { get } = setup({}, (request) =>
        request.url.endsWith('/v4/meeting-type')
          ? json([{ id: TYPE, bookingUrl: url }])
          : json({ windows: WINDOWS }),
      );
      assert.deepEqual(await body(await get(windowsPath())), { windows: CANONICAL });
    });
  }

  it('answers without a booking URL when the lookup fails, and caches the lookup', async () => {
    let lookups = 0;
    let lookupStatus = 500;
    const { get, advance } = setup({}, (request) => {
      if (!request.url.endsWith('/v4/meeting-type')) return json({ windows: WINDOWS });
      lookups += 1;
      return lookupStatus === 200
        ? json([{ id: TYPE, bookingUrl: BOOKING }])
        : json({}, { status: 500 });
    });
    assert.deepEqual(await body(await get(windowsPath())), { windows: CANONICAL });
    assert.equal(lookups, 1);
    lookupStatus = 200;
    await get(windowsPath('startDate=2025-01-13&endDate=2025-01-19'));
    assert.equal(lookups, 1, 'a failed lookup is retried after a minute, not at once');
    advance(61_000);
    const later = await body(await get(windowsPath('startDate=2025-01-20&endDate=2025-01-26')));
    assert.equal(later.bookingUrl, BOOKING);
    assert.equal(lookups, 2);
    advance(50 * 60_000);
    const cached = await body(await get(windowsPath('startDate=2025-01-27&endDate=2025-02-02')));
    assert.equal(cached.bookingUrl, BOOKING);
    assert.equal(lookups, 2, 'a found booking URL is kept for an hour');
    advance(11 * 60_000);
    await get(windowsPath('startDate=2025-02-03&endDate=2025-02-09'));
    await new Promise((resolve) => setTimeout(resolve, 10)); // in the background: the URL is known
    assert.equal(lookups, 3);
  });

  it('keeps the booking URL it knows while it is looked up again, and when that lookup fails', async () => {
    let lookupStatus = 200;
    let release: () => void = () => undefined;
    let lookups = 0;
    const { get, advance } = setup({}, async (request) => {
      if (!request.url.endsWith('/v4/meeting-type')) return json({ windows: WINDOWS });
      lookups += 1;
      if (lookups === 2) await new Promise<void>((resolve) => (release = resolve));
      return lookupStatus === 200
        ? json([{ id: TYPE, bookingUrl: BOOKING }])
        : json({}, { status: 503 });
    });
    await get(windowsPath());
    assert.equal((await body(await get(windowsPath()))).bookingUrl, BOOKING);
    // An hour on, the next answer looks it up again and carries the old URL meanwhile, at once.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    advance(61 * 60_000);
    assert.equal((await body(await get(windowsPath()))).bookingUrl, BOOKING);
    await settle();
    assert.equal(lookups, 2, 'looked up again, in the background');
    lookupStatus = 503;
    release();
    await settle();
    // That lookup failed: the known URL stays (and is tried again a minute later).
    assert.equal((await body(await get(windowsPath()))).bookingUrl, BOOKING);
    assert.equal(lookups, 2);
    advance(61_000);
    assert.equal((await body(await get(windowsPath()))).bookingUrl, BOOKING);
    await settle();
    assert.equal(lookups, 3);
  });

  it('makes no lookup when bookingUrlLookup is false', async () => {
    const { get, calls } = setup({ bookingUrlLookup: false });
    assert.deepEqual(await body(await get(windowsPath())), { windows: CANONICAL });
    assert.equal(calls.length, 1);
  });

  it('answers 200 even when the lookup throws or hangs past the timeout', async () => {
    const throwing = setup({}, (request) =>
      request.url.endsWith('/v4/meeting-type')
        ? Promise.reject(new Error('down'))
        : json({ windows: WINDOWS }),
    );
    assert.deepEqual(await body(await throwing.get(windowsPath())), { windows: CANONICAL });
    const hanging = setup({ timeoutMs: 30 }, (request) =>
      request.url.endsWith('/v4/meeting-type')
        ? new Promise<Response>(() => undefined)
        : json({ windows: WINDOWS }),
    );
    assert.deepEqual(await body(await hanging.get(windowsPath())), { windows: CANONICAL });
  });
});

describe('createMeetergoProxy: single-flight and cache', () => {
  it('makes one upstream call for identical concurrent requests', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { get, windowsCalls, calls } = setup({}, async (request) => {
      await gate;
      return meetergo(request);
    });
    const pending = Array.from({ length: 10 }, (_, i) =>
      get(windowsPath(), { method: i % 2 ? 'HEAD' : 'GET' }, `198.51.100.${i}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const responses = await Promise.all(pending);
    assert.equal(windowsCalls().length, 1);
    assert.equal(calls.length, 2, 'one windows call, one lookup');
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(10).fill(200),
    );
    const ids = new Set(responses.map((r) => r.headers.get('x-request-id')));
    assert.equal(ids.size, 10, 'every answer has its own request id');
    assert.deepEqual(await body(responses[0]), { windows: CANONICAL, bookingUrl: BOOKING });
  });

  it('lets requests that join a running call pass the rate limit for free', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { get, windowsCalls } = setup({ rateLimitPerMinute: 1 }, async (request) => {
      await gate;
      return meetergo(request);
    });
    const pending = Array.from({ length: 5 }, () => get(windowsPath()));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    assert.deepEqual(
      (await Promise.all(pending)).map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    assert.equal(windowsCalls().length, 1);
  });

  it('shares a failure among concurrent requests too, and does not cache it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { get, windowsCalls } = setup({}, async () => {
      await gate;
      return json({}, { status: 500 });
    });
    const pending = [get(windowsPath()), get(windowsPath()), get(windowsPath())];
    release();
    assert.deepEqual(
      (await Promise.all(pending)).map((r) => r.status),
      [502, 502, 502],
    );
    assert.equal(windowsCalls().length, 1);
    await get(windowsPath());
    assert.equal(windowsCalls().length, 2);
  });

  it('makes separate calls for different requests', async () => {
    const { get, windowsCalls } = setup();
    await Promise.all([
      get(windowsPath()),
      get(windowsPath(`${RANGE}&timezone=UTC`)),
      get(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`)),
      get(windowsPath(RANGE, OTHER_USER)),
    ]);
    assert.equal(windowsCalls().length, 3, 'the zone is no part of a block');
  });

  it('serves fresh blocks from the cache with their Age, then stale while one refresh runs', async () => {
    const { get, windowsCalls, advance, lines } = setup();
    await get(windowsPath());
    advance(20_000);
    const hit = await get(windowsPath(), { method: 'HEAD' });
    assert.equal(hit.headers.get('x-cache'), 'HIT');
    assert.equal(hit.headers.get('age'), '20');
    const aliased = await get(windowsPath(`${RANGE}&timezone=UTC`));
    await get(windowsPath(`timezone=Etc/UTC&endDate=2025-01-20&startDate=2025-01-14`));
    assert.equal(aliased.status, 200);
    assert.equal(windowsCalls().length, 1, 'zones and parameter order share a block');
    assert.ok(lines[1].includes('cache=hit'), lines[1]);
    advance(40_000);
    const stale = await get(windowsPath());
    assert.equal(stale.headers.get('x-cache'), 'STALE');
    assert.equal(stale.headers.get('age'), '60');
    assert.deepEqual(await body(stale), { windows: CANONICAL, bookingUrl: BOOKING });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(windowsCalls().length, 2, 'one refresh in the background');
    const refreshed = await get(windowsPath());
    assert.equal(refreshed.headers.get('x-cache'), 'HIT');
    assert.equal(refreshed.headers.get('age'), '0');
    assert.equal(windowsCalls().length, 2);
  });

  it('does not cache with cacheSeconds 0, and says no-store', async () => {
    const { get, windowsCalls } = setup({ cacheSeconds: 0 });
    const first = await get(windowsPath());
    await get(windowsPath());
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.equal(windowsCalls().length, 2);
  });

  it('uses freshSeconds (or its former name cacheSeconds) and staleSeconds in Cache-Control', async () => {
    const expected =
      'public, max-age=0, s-maxage=300, stale-while-revalidate=900, stale-if-error=900';
    for (const options of [
      { freshSeconds: 300, staleSeconds: 900 },
      { cacheSeconds: 300, staleSeconds: 900 },
    ]) {
      const response = await setup(options).get(windowsPath());
      assert.equal(response.headers.get('cache-control'), expected);
      assert.equal(response.headers.get('cdn-cache-control'), expected);
    }
  });
});

describe('createMeetergoProxy: CORS', () => {
  const ORIGIN = 'https://shop.example';

  it('echoes a configured origin exactly, with Vary and never credentials', async () => {
    const { get } = setup({ allowedOrigins: [ORIGIN, 'http://localhost:5173'] });
    const response = await get(windowsPath(), { headers: { Origin: ORIGIN } });
    assert.equal(response.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    const refused = await get(windowsPath('x=1'), { headers: { Origin: ORIGIN } });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get('access-control-allow-origin'), ORIGIN, 'errors are readable');
  });

  it('grants nothing to other origins, look-alikes included', async () => {
    const { get } = setup({ allowedOrigins: [ORIGIN] });
    for (const origin of [
      'https://evil.example',
      'https://shop.example.evil.example',
      'http://shop.example',
      'https://shop.example:8443',
      'null',
    ]) {
      const response = await get(windowsPath(), { headers: { Origin: origin } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(response.headers.get('vary'), 'Origin');
    }
  });

  it('sends no CORS headers at all when no origins are configured', async () => {
    const { get } = setup();
    const response = await get(windowsPath(), { headers: { Origin: ORIGIN } });
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const preflight = await get(windowsPath(), {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(preflight.status, 403);
  });

  it('answers preflights 204 for configured origins alone', async () => {
    const { get, calls } = setup({ allowedOrigins: [ORIGIN] });
    const preflight = (origin: string) =>
      get(windowsPath(), {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
      });
    const allowed = await preflight(ORIGIN);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(allowed.headers.get('access-control-allow-methods'), 'GET, HEAD');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), null);
    assert.equal(allowed.headers.get('vary'), 'Origin');
    assert.equal(await allowed.text(), '');
    const denied = await preflight('https://evil.example');
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
    assert.equal((await get('/v4/meeting-type', { method: 'OPTIONS' })).status, 404);
    assert.equal(calls.length, 0);
  });

  it("grants every origin with '*' as '*', without Vary, so a CDN shares one answer", async () => {
    const { get } = setup({ allowedOrigins: ['*'] });
    for (const headers of [{ Origin: 'https://a.example' }, {}] as Record<string, string>[]) {
      const response = await get(windowsPath(), { headers });
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.equal(response.headers.get('vary'), null);
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
    }
  });

  it('says Vary: Origin on every answer with a list, with an Origin or without', async () => {
    const { get } = setup({ allowedOrigins: [ORIGIN] });
    for (const target of [windowsPath(), windowsPath('x=1'), '/nowhere', '/healthz']) {
      for (const headers of [{ Origin: ORIGIN }, {}] as Record<string, string>[]) {
        const response = await get(target, { headers });
        assert.equal(
          response.headers.get('vary'),
          'Origin',
          `${target} ${JSON.stringify(headers)}`,
        );
      }
    }
  });
});

describe('createMeetergoProxy: rate limit', () => {
  /** A week in the n-th block: one upstream call each. */
  const week = (n: number) => windowsPath(weekInBlock(n));

  it('answers 429 with Retry-After past the limit, keeps cache hits free, and recovers', async () => {
    const { get, windowsCalls, advance, lines } = setup({ rateLimitPerMinute: 2 });
    assert.equal((await get(week(0))).status, 200);
    assert.equal((await get(week(1))).status, 200);
    advance(15_000);
    const limited = await get(week(2));
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '45');
    assert.equal((await body(limited)).statusCode, 429);
    assert.equal(windowsCalls().length, 2);
    assert.ok(lines.at(-1)?.includes(' 429 '));

    assert.equal((await get(week(0))).status, 200, 'a cache hit is free');
    assert.equal((await get(week(2), {}, '198.51.100.2')).status, 200, 'another client');

    advance(45_000);
    assert.equal((await get(week(3))).status, 200, 'recovered after the window');
    assert.equal(windowsCalls().length, 4);
  });

  it('counts clients by a trusted header, using its last entry', async () => {
    const { get } = setup({ rateLimitPerMinute: 1, trustProxy: 'x-forwarded-for' });
    const as = (xff: string, n: number) => get(week(n), { headers: { 'X-Forwarded-For': xff } });
    assert.equal((await as('203.0.113.1', 0)).status, 200);
    assert.equal((await as('spoofed, 203.0.113.1', 1)).status, 429);
    assert.equal((await as('203.0.113.2', 2)).status, 200);
  });

  it('ignores forwarding headers unless trusted, and counts an unknown client as one', async () => {
    const untrusted = setup({ rateLimitPerMinute: 1 });
    const spoof = (n: number) =>
      untrusted.get(week(n), { headers: { 'X-Forwarded-For': `10.0.0.${n}` } });
    assert.equal((await spoof(0)).status, 200);
    assert.equal((await spoof(1)).status, 429);

    const anonymous = setup({ rateLimitPerMinute: 1 });
    const request = (n: number) => anonymous.handle(new Request(`https://shop.example${week(n)}`));
    assert.equal((await request(0)).status, 200);
    assert.equal((await request(1)).status, 429);
  });

  it('is off with rateLimitPerMinute 0', async () => {
    const { get } = setup({ rateLimitPerMinute: 0 });
    for (let n = 0; n < 70; n += 1) assert.equal((await get(week(n % 20))).status, 200);
  });
});

describe('createMeetergoProxy: logs', () => {
  it('logs one line per request: method, route shape, status, time, request id', async () => {
    const { get, lines } = setup({ basePath: '/api/meetergo' });
    const ok = await get(`/api/meetergo${windowsPath(`${RANGE}&meetingTypeId=${TYPE}`)}`);
    await get('/api/meetergo/v4/meeting-type?token=abc');
    await get(`/api/meetergo${windowsPath('x=%0D%0Ainjected')}`);
    assert.equal(lines.length, 3);
    assert.match(
      lines[0],
      /^GET \/api\/meetergo\/v4\/user\/:userId\/bookable-windows 200 \d+ms cache=miss upstream=200 id=[0-9a-f-]{36}$/,
    );
    assert.ok(lines[0].endsWith(`id=${ok.headers.get('x-request-id')}`));
    assert.match(lines[1], /^GET \(other\) 404 \d+ms id=/);
    assert.match(lines[2], / 400 /);
    for (const line of lines) {
      assert.ok(!line.includes(USER) && !line.includes(TYPE) && !line.includes('2025-'), line);
      assert.ok(!line.includes('token') && !line.includes('injected') && !line.includes('\n'));
    }
  });

  it('keeps answering when the logger throws', async () => {
    const { get } = setup({
      logger: () => {
        throw new Error('disk full');
      },
    });
    assert.equal((await get(windowsPath())).status, 200);
  });
});
