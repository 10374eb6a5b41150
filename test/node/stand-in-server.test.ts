import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { createStandIn, SEEDED_HOSTS } from '../../src/stand-in/index.js';

const BASE = 'https://api.meetergo.com';
const [JOHN] = SEEDED_HOSTS;

/** The quickstart of meetergo's docs, with real `fetch` calls intercepted by `setupServer`. */
describe('stand-in under setupServer (msw/node)', () => {
  let now = new Date('2025-01-06T06:00:00Z');
  const standIn = createStandIn({ now: () => now });
  const server = setupServer(...standIn.handlers);
  const headers = (user?: string): Record<string, string> => ({
    authorization: 'Bearer ak_live:01234567-89ab-cdef-1234-567890abcdef:secret',
    'content-type': 'application/json',
    ...(user ? { 'x-meetergo-api-user-id': user } : {}),
  });

  before(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    standIn.reset();
    now = new Date('2025-01-06T06:00:00Z');
  });
  after(() => server.close());

  it('verifies the key, creates a user, reads windows, books, and sees the slot go', async () => {
    const me = await fetch(`${BASE}/v4/user/me`, { headers: headers() });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { isAdmin: boolean }).isAdmin, true);

    const created = await fetch(`${BASE}/v4/user`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        email: 'jane.doe@example.com',
        givenName: 'Jane',
        familyName: 'Doe',
        timezone: 'Europe/London',
        availability: {
          name: 'Mornings',
          timezone: 'Europe/London',
          schedule: [{ dayOfWeek: 'tuesday', intervals: [{ from: '09:00', to: '10:30' }] }],
        },
        meetingType: { name: 'Intro', duration: 30 },
      }),
    });
    assert.equal(created.status, 201);
    const user = (await created.json()) as {
      userId: string;
      meetingTypeId: string;
      bookingUrl: string;
    };
    assert.equal(user.bookingUrl, 'https://cal.meetergo.com/jane-doe/intro');

    const windowsUrl = `${BASE}/v4/user/${user.userId}/bookable-windows?startDate=2025-01-06&endDate=2025-01-08`;
    const first = await fetch(windowsUrl, { headers: headers(user.userId) });
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), {
      windows: ['2025-01-07T09:00:00Z', '2025-01-07T09:30:00Z', '2025-01-07T10:00:00Z'],
    });

    const booked = await fetch(`${BASE}/v4/booking`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        meetingTypeId: user.meetingTypeId,
        start: '2025-01-07T09:30:00Z',
        hostIds: [user.userId],
        attendee: { email: 'customer@example.com', firstname: 'Max', lastname: 'Muster' },
      }),
    });
    assert.equal(booked.status, 201);
    const { appointmentId, secret } = (await booked.json()) as Record<string, string>;
    assert.equal(typeof appointmentId, 'string');
    assert.equal(typeof secret, 'string');

    const second = await fetch(windowsUrl, { headers: headers(user.userId) });
    assert.deepEqual(await second.json(), {
      windows: ['2025-01-07T09:00:00Z', '2025-01-07T10:00:00Z'],
    });
  });

  it('reads now() on every request', async () => {
    const url = `${BASE}/v4/user/${JOHN.userId}/bookable-windows?startDate=2025-01-06&endDate=2025-01-06`;
    now = new Date('2025-01-06T15:00:00Z');
    const res = await fetch(url, { headers: headers() });
    assert.deepEqual(await res.json(), {
      windows: ['2025-01-06T15:00:00Z', '2025-01-06T15:30:00Z'],
    });
  });

  it('serves the seeded meeting types as the JSON array the proxy reads', async () => {
    const res = await fetch(`${BASE}/v4/meeting-type`, { headers: headers(JOHN.userId) });
    const types = (await res.json()) as { id: string; bookingUrl: string }[];
    assert.deepEqual(
      types.map((t) => [t.id, t.bookingUrl]),
      [[JOHN.meetingTypeId, JOHN.bookingUrl]],
    );
  });

  it('answers 401 and 404 bodies through real fetch', async () => {
    const unauthorized = await fetch(`${BASE}/v4/user`);
    assert.equal(unauthorized.status, 401);
    assert.deepEqual(await unauthorized.json(), { statusCode: 401, message: 'Unauthorized' });
    const missing = await fetch(`${BASE}/v4/appointments`, { headers: headers() });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {
      statusCode: 404,
      message: 'Cannot GET /v4/appointments',
      error: 'Not Found',
    });
  });
});
