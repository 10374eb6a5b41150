import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createStandIn, SEEDED_HOSTS } from '../../src/stand-in/index.js';

const BASE = 'https://api.meetergo.com';
const [JOHN] = SEEDED_HOSTS;
const headers = { authorization: 'Bearer test-key', 'content-type': 'application/json' };

interface Answer {
  status: number;
  body: unknown;
}

/**
 * Sends requests to a fresh stand-in in a worker thread, so that a request that never returns
 * (a loop that does not end blocks its thread for good) fails the test after `timeout` ms
 * instead of hanging it: the worker is terminated.
 */
async function inWorker(
  requests: { method: string; path: string; body?: unknown }[],
  timeout = 10_000,
): Promise<Answer[]> {
  const url = new URL('../../src/stand-in/index.ts', import.meta.url).href;
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
    import('tsx/esm/api').then(({ register }) => {
      register();
      return import(workerData.url);
    }).then(async ({ createStandIn }) => {
      const standIn = createStandIn({ now: () => new Date('2025-01-06T06:00:00Z') });
      const answers = [];
      for (const { method, path, body } of workerData.requests) {
        const response = await standIn.fetch(workerData.base + path, {
          method,
          headers: workerData.headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        answers.push({ status: response.status, body: await response.json() });
      }
      parentPort.postMessage(answers);
    });`,
    { eval: true, workerData: { url, requests, base: BASE, headers } },
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Answer[]>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${timeout} ms: the stand-in hangs`)),
        timeout,
      );
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

const windowsPath = (query: string) => `/v4/user/${JOHN.userId}/bookable-windows?${query}`;
const bad = (message: string) => ({
  status: 400,
  body: { statusCode: 400, message, error: 'Bad Request' },
});

describe('stand-in: hostile ranges end', () => {
  it('answers ranges that reach 9999-12-31 or start at 0000-01-01 (they used to loop forever)', async () => {
    const answers = await inWorker([
      { method: 'GET', path: windowsPath('startDate=9999-12-31&endDate=9999-12-31') },
      {
        method: 'GET',
        path: windowsPath('startDate=9999-12-01&endDate=9999-12-31&timezone=Pacific/Kiritimati'),
      },
      {
        method: 'GET',
        path: windowsPath('startDate=0000-01-01&endDate=0000-01-03&timezone=America/Adak'),
      },
      { method: 'GET', path: windowsPath('startDate=9999-12-31&endDate=+10000-01-01') },
      { method: 'GET', path: windowsPath('startDate=9998-12-30&endDate=9999-12-31') },
    ]);
    const [last, month, first, beyond, year] = answers;
    // 9999-12-31 is a Friday: John's 9:00–17:00 in Berlin (UTC+1 then, by today's rules).
    assert.equal(last.status, 200);
    const lastDay = (last.body as { windows: string[] }).windows;
    assert.equal(lastDay.length, 16);
    assert.equal(lastDay[0], '9999-12-31T08:00:00Z');
    assert.equal(month.status, 200);
    assert.equal((month.body as { windows: string[] }).windows.length, 16 * 23);
    assert.equal(first.status, 200);
    assert.deepEqual(beyond, bad('Invalid date format. Use YYYY-MM-DD'));
    assert.deepEqual(year, bad('The date range must not exceed 366 days'));
  });

  it('keeps exceptions and bookings at the end of time working', async () => {
    const [exception, booking, windows] = await inWorker([
      {
        method: 'POST',
        path: '/availability-exception/user',
        body: { userId: JOHN.userId, startDate: '0000-01-01', endDate: '9999-12-30' },
      },
      {
        method: 'POST',
        path: '/v4/booking',
        body: {
          meetingTypeId: JOHN.meetingTypeId,
          start: '9999-12-31T16:30:00+01:00',
          attendee: { email: 'a@example.com', firstname: 'A', lastname: 'B' },
        },
      },
      { method: 'GET', path: windowsPath('startDate=9999-12-30&endDate=9999-12-31') },
    ]);
    assert.equal(exception.status, 201);
    assert.equal((exception.body as { end: string }).end, '9999-12-30T23:00:00Z');
    assert.equal(booking.status, 201);
    const left = (windows.body as { windows: string[] }).windows;
    assert.equal(left.length, 15);
    assert.equal(left.at(-1), '9999-12-31T15:00:00Z');
  });
});

describe('stand-in: long texts', () => {
  const standIn = createStandIn({ now: () => new Date('2025-01-06T06:00:00Z') });
  const post = async (path: string, body: unknown): Promise<Answer> => {
    const response = await standIn.fetch(`${BASE}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const user = { givenName: 'Anna', familyName: 'Berg', timezone: 'Europe/Berlin' };

  it('caps an email at 254 characters before reading it (a 64,000-character one took 6.7 s)', async () => {
    const long = `${'a'.repeat(32_000)}@${'b'.repeat(32_000)}`;
    assert.deepEqual(
      await post('/v4/user', { ...user, email: long }),
      bad('email must be shorter than or equal to 254 characters'),
    );
    const booking = await post('/v4/booking', {
      meetingTypeId: JOHN.meetingTypeId,
      start: '2025-01-06T09:00:00Z',
      attendee: { email: `x@${'y.'.repeat(32_000)}z`, firstname: 'A', lastname: 'B' },
    });
    assert.deepEqual(
      booking,
      bad('attendee.email must be shorter than or equal to 254 characters'),
    );
  });

  it('checks an email in one pass: one @ after at most 64 characters, a dot inside the domain', async () => {
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.de`;
    assert.equal(`${local}@${domain}`.length, 254);
    const cases: [string, boolean][] = [
      [`${local}@${domain}`, true],
      [`${local}a@example.com`, false],
      ['anna@example', false],
      ['anna@.example', false],
      ['anna@example.', false],
      ['anna@exa.mple.', true],
      ['@example.com', false],
      ['anna@@example.com', false],
      ['an na@example.com', false],
      [`${'@'.repeat(100)}`, false],
    ];
    for (const [i, [email, ok]] of cases.entries()) {
      const answer = await post('/v4/user', { ...user, email: email.replace('anna', `anna${i}`) });
      if (ok) assert.equal(answer.status, 201, email);
      else assert.deepEqual(answer, bad('email must be an email'), email);
    }
  });

  it('caps the other free texts with a 400 that names the field and its limit', async () => {
    const cases: [string, unknown, string][] = [
      [
        '/v4/user',
        { ...user, email: 'x1@example.com', availability: { name: 'n'.repeat(201) } },
        'availability.name must be shorter than or equal to 200 characters',
      ],
      [
        '/v4/user',
        { ...user, email: 'x2@example.com', meetingType: { description: 'd'.repeat(5001) } },
        'meetingType.description must be shorter than or equal to 5000 characters',
      ],
      [
        '/v4/user',
        { ...user, email: 'x3@example.com', meetingType: { slug: 's'.repeat(101) } },
        'meetingType.slug must be shorter than or equal to 100 characters',
      ],
      [
        '/availability-exception/user',
        {
          userId: JOHN.userId,
          startDate: '2025-01-06',
          endDate: '2025-01-06',
          note: 'n'.repeat(5001),
        },
        'note must be shorter than or equal to 5000 characters',
      ],
      [
        '/v4/booking',
        {
          meetingTypeId: JOHN.meetingTypeId,
          start: '2025-01-06T09:00:00Z',
          attendee: { email: 'a@example.com', firstname: 'f'.repeat(101), lastname: 'B' },
        },
        'attendee.firstname must be shorter than or equal to 100 characters',
      ],
    ];
    for (const [path, body, message] of cases) {
      assert.deepEqual(await post(path, body), bad(message), message);
    }
  });
});

describe('stand-in: the protocol’s words', () => {
  it('accepts a zone alias and keeps its current name; seeded hosts use current names', async () => {
    const standIn = createStandIn({ now: () => new Date('2025-01-06T06:00:00Z'), seed: false });
    const response = await standIn.fetch(`${BASE}/v4/user`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        email: 'a@example.com',
        givenName: 'A',
        familyName: 'B',
        timezone: 'Asia/Calcutta',
      }),
    });
    assert.equal(response.status, 201);
    const { userId } = (await response.json()) as { userId: string };
    const me = await standIn.fetch(`${BASE}/v4/user/me`, {
      headers: { ...headers, 'x-meetergo-api-user-id': userId },
    });
    assert.equal(((await me.json()) as { timezone: string }).timezone, 'Asia/Kolkata');
    const windows = await standIn.fetch(
      `${BASE}/v4/user/${userId.toUpperCase()}/bookable-windows?startDate=2025-01-07&endDate=2025-01-07&timezone=US/Eastern`,
      { headers },
    );
    assert.equal(windows.status, 200);
    assert.equal(
      ((await windows.json()) as { windows: string[] }).windows[0],
      '2025-01-07T05:00:00Z',
    );
    assert.deepEqual(
      SEEDED_HOSTS.map((h) => h.timezone),
      ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'],
    );
  });
});
