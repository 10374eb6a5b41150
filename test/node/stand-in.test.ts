import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN_USER_ID,
  COMPANY_ID,
  createStandIn,
  SEEDED_HOSTS,
} from '../../src/stand-in/index.js';

const BASE = 'https://api.meetergo.com';
const KEY = 'Bearer test-key';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const [JOHN, EMILY, PRIYA] = SEEDED_HOSTS;

interface Call {
  body?: unknown;
  user?: string;
  auth?: string | null;
}

/** A stand-in with a movable "now", and a small JSON client over `standIn.fetch`. */
function setup(now = '2025-01-06T06:00:00Z', seed = false) {
  let current = new Date(now);
  const standIn = createStandIn({ now: () => current, seed });
  const api = async (method: string, path: string, call: Call = {}) => {
    const headers = new Headers();
    if (call.auth !== null) headers.set('authorization', call.auth ?? KEY);
    if (call.user) headers.set('x-meetergo-api-user-id', call.user);
    if (call.body !== undefined) headers.set('content-type', 'application/json');
    const response = await standIn.fetch(`${BASE}${path}`, {
      method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const windows = async (userId: string, query: string) => {
    const res = await api('GET', `/v4/user/${userId}/bookable-windows?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { windows: string[] }).windows;
  };
  const createUser = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/v4/user', {
      body: { givenName: 'Anna', familyName: 'Schmidt', timezone: 'Europe/Berlin', ...body },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as {
      userId: string;
      availabilityId: string;
      meetingTypeId: string;
      bookingUrl: string;
    };
  };
  const setNow = (iso: string) => {
    current = new Date(iso);
  };
  return { standIn, api, windows, createUser, setNow };
}

const error = (statusCode: number, message: string, name?: string) =>
  name ? { statusCode, message, error: name } : { statusCode, message };

const MONDAY_DEFAULTS = [
  '2025-01-06T08:00:00Z',
  '2025-01-06T08:30:00Z',
  '2025-01-06T09:00:00Z',
  '2025-01-06T09:30:00Z',
  '2025-01-06T10:00:00Z',
  '2025-01-06T10:30:00Z',
  '2025-01-06T11:00:00Z',
  '2025-01-06T11:30:00Z',
  '2025-01-06T12:00:00Z',
  '2025-01-06T12:30:00Z',
  '2025-01-06T13:00:00Z',
  '2025-01-06T13:30:00Z',
  '2025-01-06T14:00:00Z',
  '2025-01-06T14:30:00Z',
  '2025-01-06T15:00:00Z',
  '2025-01-06T15:30:00Z',
];

/** Monday–Friday 9:00–10:00, in the array format. */
const nineToTen = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((dayOfWeek) => ({
  dayOfWeek,
  intervals: [{ from: '09:00', to: '10:00' }],
}));

describe('stand-in: users', () => {
  it('creates a user with the defaults: Mon–Fri 9:00–17:00, "30min Meeting", a booking URL', async () => {
    const { api, createUser } = setup();
    const created = await createUser({ email: 'anna@example.com' });
    assert.match(created.userId, UUID);
    assert.match(created.availabilityId, UUID);
    assert.match(created.meetingTypeId, UUID);
    assert.equal(created.bookingUrl, 'https://cal.meetergo.com/anna-schmidt/30min-meeting');
    assert.equal((created as unknown as { companyId: string }).companyId, COMPANY_ID);

    const types = await api('GET', '/v4/meeting-type', { user: created.userId });
    assert.equal(types.status, 200);
    assert.deepEqual(
      (types.body as Record<string, unknown>[]).map((t) => ({
        id: t.id,
        userId: t.userId,
        name: t.name,
        slug: t.slug,
        duration: t.duration,
        bufferTimeBefore: t.bufferTimeBefore,
        bufferTimeAfter: t.bufferTimeAfter,
        minimumNotice: t.minimumNotice,
        bookingUrl: t.bookingUrl,
      })),
      [
        {
          id: created.meetingTypeId,
          userId: created.userId,
          name: '30min Meeting',
          slug: '30min-meeting',
          duration: 30,
          bufferTimeBefore: 0,
          bufferTimeAfter: 0,
          minimumNotice: 0,
          bookingUrl: 'https://cal.meetergo.com/anna-schmidt/30min-meeting',
        },
      ],
    );

    const availability = await api('GET', '/availability', { user: created.userId });
    const [a] = availability.body as { id: string; timezone: string; schedule: unknown }[];
    assert.equal(a.id, created.availabilityId);
    assert.equal(a.timezone, 'Europe/Berlin');
    const day = { enabled: true, hours: [{ start: '09:00', end: '17:00' }] };
    const off = { enabled: false, hours: [] };
    assert.deepEqual(a.schedule, {
      monday: day,
      tuesday: day,
      wednesday: day,
      thursday: day,
      friday: day,
      saturday: off,
      sunday: off,
    });
  });

  it('gives the defaults exact windows (weekend days empty)', async () => {
    const { windows, createUser } = setup();
    const { userId } = await createUser({ email: 'anna@example.com' });
    assert.deepEqual(
      await windows(userId, 'startDate=2025-01-04&endDate=2025-01-06'),
      MONDAY_DEFAULTS,
    );
  });

  it('rejects invalid fields and zones with 400', async () => {
    const { api } = setup();
    const valid = { email: 'a@example.com', givenName: 'A', familyName: 'B', timezone: 'UTC' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, email: 'not-an-email' }, 'email must be an email'],
      [
        { ...valid, givenName: ' ' },
        'givenName must be a non-empty string of at most 100 characters',
      ],
      [{ ...valid, timezone: 'Mars/Olympus' }, 'Invalid timezone: Mars/Olympus'],
      [{ ...valid, timezone: '+01:00' }, 'Invalid timezone: +01:00'],
      [{ ...valid, timezone: undefined }, 'timezone is required'],
      [
        {
          ...valid,
          availability: [{ dayOfWeek: 'monday', intervals: [{ from: '10:00', to: '09:00' }] }],
        },
        'schedule[0].intervals[0] must end after it starts',
      ],
      [
        { ...valid, availability: { schedule: { funday: { enabled: true, hours: [] } } } },
        'schedule.funday is not a weekday',
      ],
      [
        { ...valid, meetingType: { name: 'Quick', duration: 3 } },
        'meetingType.duration must be an integer between 5 and 480',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await api('POST', '/v4/user', { body });
      assert.deepEqual(res, { status: 400, body: error(400, message, 'Bad Request') }, message);
    }
    const broken = await setup().standIn.fetch(`${BASE}/v4/user`, {
      method: 'POST',
      headers: { authorization: KEY },
      body: '{"email":',
    });
    assert.equal(broken.status, 400);
    assert.deepEqual(await broken.json(), error(400, 'Invalid JSON body', 'Bad Request'));
  });

  it('answers 409 for a taken email, whatever its case', async () => {
    const { api, createUser } = setup();
    await createUser({ email: 'anna@example.com' });
    const res = await api('POST', '/v4/user', {
      body: { email: 'ANNA@example.com', givenName: 'A', familyName: 'B', timezone: 'UTC' },
    });
    assert.deepEqual(res, {
      status: 409,
      body: error(409, 'User with this email already exists', 'Conflict'),
    });
  });

  it('lists users and answers me from x-meetergo-api-user-id, else the key owner', async () => {
    const { api, createUser } = setup();
    const { userId } = await createUser({ email: 'anna@example.com' });
    const list = await api('GET', '/v4/user');
    assert.deepEqual(
      (list.body as { id: string; email: string }[]).map((u) => [u.id, u.email]),
      [
        [ADMIN_USER_ID, 'api-admin@example.com'],
        [userId, 'anna@example.com'],
      ],
    );
    const owner = await api('GET', '/v4/user/me');
    assert.equal((owner.body as { id: string }).id, ADMIN_USER_ID);
    const me = await api('GET', '/v4/user/me', { user: userId });
    assert.equal(me.status, 200);
    assert.deepEqual(
      (({ id, fullName, slug, timezone }) => ({ id, fullName, slug, timezone }))(
        me.body as Record<string, unknown>,
      ),
      { id: userId, fullName: 'Anna Schmidt', slug: 'anna-schmidt', timezone: 'Europe/Berlin' },
    );
  });

  it('edits names and slugs: min 5 characters, unique, normalized', async () => {
    const { api, createUser } = setup();
    const anna = await createUser({ email: 'anna@example.com' });
    await createUser({ email: 'ben@example.com', givenName: 'Ben', familyName: 'Berg' });
    const patch = (body: unknown) => api('PATCH', `/v4/user/${anna.userId}`, { body });

    assert.deepEqual(await patch({ slug: 'abcd' }), {
      status: 400,
      body: error(400, 'TOO_SHORT', 'Bad Request'),
    });
    assert.deepEqual(
      (await patch({ slug: ' a-b-!' })).body,
      error(400, 'TOO_SHORT', 'Bad Request'),
    );
    assert.deepEqual(await patch({ slug: 'Ben Berg' }), {
      status: 400,
      body: error(400, 'NOT_AVAILABLE', 'Bad Request'),
    });
    assert.deepEqual(await patch({}), {
      status: 400,
      body: error(400, 'No fields to update', 'Bad Request'),
    });
    assert.equal((await patch({ email: 'new@example.com' })).status, 400);

    const renamed = await patch({ slug: '  Jürgen Müller Coaching! ', givenName: 'Jürgen' });
    assert.equal(renamed.status, 200);
    const user = renamed.body as { slug: string; fullName: string };
    assert.equal(user.slug, 'jurgen-muller-coaching');
    assert.equal(user.fullName, 'Jürgen Schmidt');
    const types = await api('GET', '/v4/meeting-type', { user: anna.userId });
    assert.equal(
      (types.body as { bookingUrl: string }[])[0].bookingUrl,
      'https://cal.meetergo.com/jurgen-muller-coaching/30min-meeting',
    );
    // Its own slug again is fine.
    assert.equal((await patch({ slug: 'jurgen-muller-coaching' })).status, 200);
    assert.deepEqual(
      await api('PATCH', '/v4/user/00000000-0000-4000-8000-000000000000', {
        body: { slug: 'valid-slug' },
      }),
      {
        status: 404,
        body: error(404, 'User not found', 'Not Found'),
      },
    );
  });

  it('deletes a user: gone from the list and from the windows', async () => {
    const { api, createUser } = setup();
    const { userId } = await createUser({ email: 'anna@example.com' });
    assert.deepEqual(await api('DELETE', `/v4/user/${userId}`), { status: 204, body: undefined });
    assert.equal((await api('GET', `/v4/user/${userId}`)).status, 404);
    const res = await api(
      'GET',
      `/v4/user/${userId}/bookable-windows?startDate=2025-01-06&endDate=2025-01-06`,
    );
    assert.deepEqual(res, { status: 404, body: error(404, 'User not found', 'Not Found') });
    assert.equal((await api('DELETE', `/v4/user/${userId}`)).status, 404);
  });
});

describe('stand-in: windows', () => {
  const expected = [
    '2025-01-06T08:00:00Z',
    '2025-01-06T08:30:00Z',
    '2025-01-06T13:00:00Z',
    '2025-01-06T13:30:00Z',
    '2025-01-08T08:00:00Z',
    '2025-01-08T08:30:00Z',
  ];

  it('reads the array format', async () => {
    const { windows, createUser } = setup();
    const { userId } = await createUser({
      email: 'a@example.com',
      availability: {
        name: 'Hours',
        timezone: 'Europe/Berlin',
        schedule: [
          {
            dayOfWeek: 'monday',
            intervals: [
              { from: '14:00', to: '15:00' },
              { from: '09:00', to: '10:00' },
            ],
          },
          { dayOfWeek: 'Wednesday', intervals: [{ from: '09:00', to: '10:00' }] },
        ],
      },
    });
    assert.deepEqual(await windows(userId, 'startDate=2025-01-06&endDate=2025-01-08'), expected);
  });

  it('reads the object format', async () => {
    const { windows, createUser } = setup();
    const { userId } = await createUser({
      email: 'a@example.com',
      availability: {
        schedule: {
          monday: {
            enabled: true,
            hours: [
              { start: '09:00', end: '10:00' },
              { start: '14:00', end: '15:00' },
            ],
          },
          tuesday: { enabled: false, hours: [{ start: '09:00', end: '17:00' }] },
          wednesday: { enabled: true, hours: [{ start: '09:00', end: '10:00' }] },
        },
      },
    });
    assert.deepEqual(await windows(userId, 'startDate=2025-01-06&endDate=2025-01-08'), expected);
  });

  it('switches format and hours through PATCH /availability/{id}', async () => {
    const { api, windows, createUser } = setup();
    const { userId, availabilityId } = await createUser({ email: 'a@example.com' });
    const patch = (body: unknown) =>
      api('PATCH', `/availability/${availabilityId}`, { user: userId, body });
    const res = await patch({
      schedule: { monday: { enabled: true, hours: [{ start: '16:00', end: '17:00' }] } },
    });
    assert.equal(res.status, 200);
    assert.deepEqual((res.body as { schedule: { monday: unknown } }).schedule.monday, {
      enabled: true,
      hours: [{ start: '16:00', end: '17:00' }],
    });
    assert.deepEqual(await windows(userId, 'startDate=2025-01-06&endDate=2025-01-07'), [
      '2025-01-06T15:00:00Z',
      '2025-01-06T15:30:00Z',
    ]);
    assert.equal((await patch({ schedule: nineToTen })).status, 200);
    assert.deepEqual(await windows(userId, 'startDate=2025-01-06&endDate=2025-01-07'), [
      '2025-01-06T08:00:00Z',
      '2025-01-06T08:30:00Z',
      '2025-01-07T08:00:00Z',
      '2025-01-07T08:30:00Z',
    ]);
    assert.deepEqual(
      await patch({
        schedule: [{ dayOfWeek: 'monday', intervals: [{ from: '9:00', to: '10:00' }] }],
      }),
      {
        status: 400,
        body: error(400, 'schedule[0].intervals[0] must be times written HH:MM', 'Bad Request'),
      },
    );
    assert.deepEqual(await patch({}), {
      status: 400,
      body: error(400, 'No fields to update', 'Bad Request'),
    });
    assert.equal(
      (
        await api('PATCH', `/availability/${availabilityId}`, {
          user: ADMIN_USER_ID,
          body: { name: 'x' },
        })
      ).status,
      404,
    );
  });

  it('follows the host zone across its DST changes (Berlin, spring and autumn)', async () => {
    const { windows, createUser } = setup('2025-03-27T00:00:00Z');
    const { userId } = await createUser({
      email: 'a@example.com',
      availability: [
        { dayOfWeek: 'friday', intervals: [{ from: '09:00', to: '10:00' }] },
        { dayOfWeek: 'monday', intervals: [{ from: '09:00', to: '10:00' }] },
        // 2025-03-30: 02:00–03:00 does not exist, so 01:30–04:00 is 90 real minutes;
        // 2025-10-26: 02:00–03:00 happens twice, so 01:30–04:00 is 3.5 real hours.
        { dayOfWeek: 'sunday', intervals: [{ from: '01:30', to: '04:00' }] },
      ],
    });
    assert.deepEqual(await windows(userId, 'startDate=2025-03-28&endDate=2025-03-31'), [
      '2025-03-28T08:00:00Z',
      '2025-03-28T08:30:00Z',
      '2025-03-30T00:30:00Z',
      '2025-03-30T01:00:00Z',
      '2025-03-30T01:30:00Z',
      '2025-03-31T07:00:00Z',
      '2025-03-31T07:30:00Z',
    ]);
    assert.deepEqual(await windows(userId, 'startDate=2025-10-26&endDate=2025-10-26'), [
      '2025-10-25T23:30:00Z',
      '2025-10-26T00:00:00Z',
      '2025-10-26T00:30:00Z',
      '2025-10-26T01:00:00Z',
      '2025-10-26T01:30:00Z',
      '2025-10-26T02:00:00Z',
      '2025-10-26T02:30:00Z',
    ]);
  });

  it('follows a different zone’s DST date (New York, 2025-03-09)', async () => {
    const { windows, createUser } = setup('2025-03-01T00:00:00Z');
    const { userId } = await createUser({
      email: 'a@example.com',
      timezone: 'America/New_York',
      availability: nineToTen,
    });
    assert.deepEqual(await windows(userId, 'startDate=2025-03-07&endDate=2025-03-10'), [
      '2025-03-07T14:00:00Z',
      '2025-03-07T14:30:00Z',
      '2025-03-10T13:00:00Z',
      '2025-03-10T13:30:00Z',
    ]);
  });

  it('steps by the meeting duration, also after a PATCH', async () => {
    const { api, windows, createUser } = setup();
    const { userId, meetingTypeId } = await createUser({
      email: 'a@example.com',
      availability: [{ dayOfWeek: 'monday', intervals: [{ from: '09:00', to: '12:00' }] }],
      meetingType: { name: 'Consultation', duration: 45 },
    });
    const query = 'startDate=2025-01-06&endDate=2025-01-06';
    assert.deepEqual(await windows(userId, query), [
      '2025-01-06T08:00:00Z',
      '2025-01-06T08:45:00Z',
      '2025-01-06T09:30:00Z',
      '2025-01-06T10:15:00Z',
    ]);
    const res = await api('PATCH', `/v4/meeting-type/${meetingTypeId}`, {
      user: userId,
      body: { duration: 50 },
    });
    assert.equal(res.status, 200);
    assert.equal((res.body as { duration: number }).duration, 50);
    assert.deepEqual(await windows(userId, query), [
      '2025-01-06T08:00:00Z',
      '2025-01-06T08:50:00Z',
      '2025-01-06T09:40:00Z',
    ]);
  });

  it('keeps a booking and the meeting type’s buffers out of the windows', async () => {
    const { api, windows, createUser } = setup();
    const { userId, meetingTypeId } = await createUser({
      email: 'a@example.com',
      availability: [{ dayOfWeek: 'monday', intervals: [{ from: '09:00', to: '12:00' }] }],
    });
    const query = 'startDate=2025-01-06&endDate=2025-01-06';
    const booking = {
      meetingTypeId,
      start: '2025-01-06T10:00:00+01:00',
      attendee: { email: 'jane@example.com', firstname: 'Jane', lastname: 'Doe' },
    };
    const booked = await api('POST', '/v4/booking', { body: booking });
    assert.equal(booked.status, 201);
    assert.deepEqual(Object.keys(booked.body as object), ['appointmentId', 'secret']);
    assert.deepEqual(await windows(userId, query), [
      '2025-01-06T08:00:00Z',
      '2025-01-06T08:30:00Z',
      '2025-01-06T09:30:00Z',
      '2025-01-06T10:00:00Z',
      '2025-01-06T10:30:00Z',
    ]);
    const patched = await api('PATCH', `/v4/meeting-type/${meetingTypeId}`, {
      user: userId,
      body: { bufferTimeBefore: 15, bufferTimeAfter: 10 },
    });
    assert.equal(patched.status, 200);
    // 9:30 would end 10 minutes before the booking; 10:30 starts right after it.
    assert.deepEqual(await windows(userId, query), [
      '2025-01-06T08:00:00Z',
      '2025-01-06T10:00:00Z',
      '2025-01-06T10:30:00Z',
    ]);
  });

  it('honours a booking’s own buffers for the host’s other meeting types', async () => {
    const { api, windows, createUser } = setup();
    const { userId, meetingTypeId } = await createUser({
      email: 'a@example.com',
      availability: [{ dayOfWeek: 'monday', intervals: [{ from: '09:00', to: '12:00' }] }],
      meetingType: { name: 'Buffered', duration: 30, bufferTimeBefore: 15, bufferTimeAfter: 10 },
    });
    const plain = await api('POST', '/v4/meeting-type', {
      user: userId,
      body: { name: 'Plain', duration: 30 },
    });
    assert.equal(plain.status, 201);
    const plainId = (plain.body as { id: string }).id;
    const booked = await api('POST', '/v4/booking', {
      body: {
        meetingTypeId,
        start: '2025-01-06T09:00:00Z',
        attendee: { email: 'jane@example.com', fullname: 'Jane Doe' },
      },
    });
    assert.equal(booked.status, 201);
    assert.deepEqual(
      await windows(userId, `startDate=2025-01-06&endDate=2025-01-06&meetingTypeId=${plainId}`),
      ['2025-01-06T08:00:00Z', '2025-01-06T10:00:00Z', '2025-01-06T10:30:00Z'],
    );
  });

  it('answers 409 for a slot that is not free and 400/404 for bad bookings', async () => {
    const { api, createUser } = setup();
    const { meetingTypeId } = await createUser({ email: 'a@example.com' });
    const attendee = { email: 'jane@example.com', firstname: 'Jane', lastname: 'Doe' };
    const book = (start: string, extra: Record<string, unknown> = {}) =>
      api('POST', '/v4/booking', { body: { meetingTypeId, start, attendee, ...extra } });
    assert.equal((await book('2025-01-06T09:00:00Z')).status, 201);
    const conflict = {
      status: 409,
      body: error(409, 'The selected time slot is no longer available', 'Conflict'),
    };
    assert.deepEqual(await book('2025-01-06T10:00:00+01:00'), conflict); // the same instant
    assert.deepEqual(await book('2025-01-06T09:10:00Z'), conflict); // not on the grid
    assert.deepEqual(await book('2025-01-04T09:00:00Z'), conflict); // a Saturday
    assert.deepEqual(await book('2025-01-06T05:00:00Z'), conflict); // the past, off hours
    assert.deepEqual(await book('2025-01-06T09:30:00'), {
      status: 400,
      body: error(
        400,
        'start must be an ISO 8601 date-time with a time zone offset',
        'Bad Request',
      ),
    });
    assert.equal((await book('2025-01-06T09:30:00Z', { attendee: { email: 'nope' } })).status, 400);
    assert.deepEqual(
      await book('2025-01-06T09:30:00Z', { meetingTypeId: 'a3000000-0000-4000-8000-00000000ffff' }),
      {
        status: 404,
        body: error(404, 'Meeting type not found', 'Not Found'),
      },
    );
  });

  it('leaves out everything sooner than the minimum notice from now(), read per request', async () => {
    const { api, windows, createUser, setNow } = setup();
    const { userId, meetingTypeId } = await createUser({
      email: 'a@example.com',
      availability: nineToTen,
    });
    const query = 'startDate=2025-01-06&endDate=2025-01-06';
    const all = ['2025-01-06T08:00:00Z', '2025-01-06T08:30:00Z'];
    assert.deepEqual(await windows(userId, query), all);
    const res = await api('PATCH', `/v4/meeting-type/${meetingTypeId}`, {
      user: userId,
      body: { minimumNotice: 150 },
    });
    assert.equal((res.body as { minimumNotice: number }).minimumNotice, 150);
    // now + 150 min = 08:30Z exactly: that slot stays.
    assert.deepEqual(await windows(userId, query), ['2025-01-06T08:30:00Z']);
    setNow('2025-01-06T06:01:00Z');
    assert.deepEqual(await windows(userId, query), []);
    await api('PATCH', `/v4/meeting-type/${meetingTypeId}`, {
      user: userId,
      body: { minimumNotice: 0 },
    });
    setNow('2025-01-06T08:10:00Z');
    assert.deepEqual(await windows(userId, query), ['2025-01-06T08:30:00Z']);
  });

  it('has nothing on exception days (inclusive, in the host’s zone)', async () => {
    const { api, windows, createUser } = setup();
    const { userId } = await createUser({ email: 'a@example.com', availability: nineToTen });
    const res = await api('POST', '/availability-exception/user', {
      user: userId,
      body: { startDate: '2025-01-07', endDate: '2025-01-08', title: 'Holiday' },
    });
    assert.equal(res.status, 201);
    const body = res.body as Record<string, unknown>;
    assert.deepEqual(
      [body.ownerId, body.available, body.start, body.end],
      [userId, false, '2025-01-06T23:00:00Z', '2025-01-08T23:00:00Z'],
    );
    assert.deepEqual(await windows(userId, 'startDate=2025-01-06&endDate=2025-01-09'), [
      '2025-01-06T08:00:00Z',
      '2025-01-06T08:30:00Z',
      '2025-01-09T08:00:00Z',
      '2025-01-09T08:30:00Z',
    ]);
    const bad = await api('POST', '/availability-exception/user', {
      user: userId,
      body: { startDate: '2025-02-30', endDate: '2025-03-01' },
    });
    assert.deepEqual(bad, {
      status: 400,
      body: error(400, 'Invalid date format. Use YYYY-MM-DD', 'Bad Request'),
    });
    const headless = await api('POST', '/availability-exception/user', {
      body: { startDate: '2025-01-10', endDate: '2025-01-10' },
    });
    assert.equal(headless.status, 400);
  });

  it('reads startDate/endDate in the zone of the timezone parameter', async () => {
    const { api, windows, createUser } = setup();
    const { userId } = await createUser({
      email: 'a@example.com',
      availability: {
        schedule: {
          monday: {
            enabled: true,
            hours: [
              { start: '09:00', end: '10:00' },
              { start: '16:00', end: '17:00' },
            ],
          },
          tuesday: {
            enabled: true,
            hours: [
              { start: '09:00', end: '10:00' },
              { start: '16:00', end: '17:00' },
            ],
          },
        },
      },
    });
    assert.deepEqual(await windows(userId, 'startDate=2025-01-07&endDate=2025-01-07'), [
      '2025-01-07T08:00:00Z',
      '2025-01-07T08:30:00Z',
      '2025-01-07T15:00:00Z',
      '2025-01-07T15:30:00Z',
    ]);
    // 2025-01-07 in Tokyo is 2025-01-06T15:00Z – 2025-01-07T15:00Z.
    assert.deepEqual(
      await windows(userId, 'startDate=2025-01-07&endDate=2025-01-07&timezone=Asia/Tokyo'),
      [
        '2025-01-06T15:00:00Z',
        '2025-01-06T15:30:00Z',
        '2025-01-07T08:00:00Z',
        '2025-01-07T08:30:00Z',
      ],
    );
    const bad = await api(
      'GET',
      `/v4/user/${userId}/bookable-windows?startDate=2025-01-07&endDate=2025-01-07&timezone=Nowhere/Land`,
    );
    assert.deepEqual(bad, {
      status: 400,
      body: error(400, 'Invalid timezone: Nowhere/Land', 'Bad Request'),
    });
  });

  it('uses the first meeting type without meetingTypeId, and 404s foreign or unknown ones', async () => {
    const { api, windows, createUser } = setup();
    const anna = await createUser({ email: 'a@example.com', availability: nineToTen });
    const ben = await createUser({ email: 'b@example.com' });
    const hour = await api('POST', '/v4/meeting-type', {
      user: anna.userId,
      body: { meetingInfo: { name: 'One Hour', duration: 60 }, slug: 'hour' },
    });
    assert.equal(hour.status, 201);
    const hourType = hour.body as { id: string; bookingUrl: string; duration: number };
    assert.equal(hourType.bookingUrl, 'https://cal.meetergo.com/anna-schmidt/hour');
    const day = 'startDate=2025-01-06&endDate=2025-01-06';
    assert.deepEqual(await windows(anna.userId, day), [
      '2025-01-06T08:00:00Z',
      '2025-01-06T08:30:00Z',
    ]);
    assert.deepEqual(await windows(anna.userId, `${day}&meetingTypeId=${hourType.id}`), [
      '2025-01-06T08:00:00Z',
    ]);
    for (const id of [ben.meetingTypeId, 'a3000000-0000-4000-8000-00000000ffff']) {
      const res = await api(
        'GET',
        `/v4/user/${anna.userId}/bookable-windows?${day}&meetingTypeId=${id}`,
      );
      assert.deepEqual(res, {
        status: 404,
        body: error(404, 'Meeting type not found', 'Not Found'),
      });
    }
  });
});

describe('stand-in: errors and meeting types', () => {
  it('answers 401 without a bearer key', async () => {
    const { api } = setup();
    for (const auth of [null, 'Bearer ', 'Bearer', 'Basic dXNlcjpwYXNz', 'test-key']) {
      for (const path of [
        '/v4/user',
        `/v4/user/${JOHN.userId}/bookable-windows?startDate=2025-01-06&endDate=2025-01-06`,
      ]) {
        assert.deepEqual(await api('GET', path, { auth }), {
          status: 401,
          body: { statusCode: 401, message: 'Unauthorized' },
        });
      }
    }
    assert.equal((await api('GET', '/v4/user', { auth: 'bearer ak_live:x:y' })).status, 200);
  });

  it('validates the bookable-windows query', async () => {
    const { api, createUser } = setup();
    const { userId } = await createUser({ email: 'a@example.com' });
    const get = (query: string) => api('GET', `/v4/user/${userId}/bookable-windows?${query}`);
    const bad = (message: string) => ({ status: 400, body: error(400, message, 'Bad Request') });
    assert.deepEqual(await get('startDate=2025-01-06'), bad('startDate and endDate are required'));
    assert.deepEqual(
      await get('startDate=2025-1-6&endDate=2025-01-06'),
      bad('Invalid date format. Use YYYY-MM-DD'),
    );
    assert.deepEqual(
      await get('startDate=2025-02-29&endDate=2025-03-01'),
      bad('Invalid date format. Use YYYY-MM-DD'),
    );
    assert.deepEqual(
      await get('startDate=2025-01-07&endDate=2025-01-06'),
      bad('endDate must not be before startDate'),
    );
    assert.deepEqual(
      await get('startDate=2025-01-01&endDate=2026-01-02'),
      bad('The date range must not exceed 366 days'),
    );
    const unknown = await api(
      'GET',
      '/v4/user/00000000-0000-4000-8000-000000000000/bookable-windows?startDate=2025-01-06&endDate=2025-01-06',
    );
    assert.deepEqual(unknown, { status: 404, body: error(404, 'User not found', 'Not Found') });
  });

  it('answers unknown routes and methods with a 404 body', async () => {
    const { standIn, api } = setup();
    assert.deepEqual(await api('GET', '/v4/unknown'), {
      status: 404,
      body: error(404, 'Cannot GET /v4/unknown', 'Not Found'),
    });
    assert.deepEqual(await api('PUT', '/v4/user'), {
      status: 404,
      body: error(404, 'Cannot PUT /v4/user', 'Not Found'),
    });
    const elsewhere = await standIn.fetch('https://example.com/v4/user');
    assert.equal(elsewhere.status, 404);
    assert.deepEqual(await elsewhere.json(), error(404, 'Cannot GET /v4/user', 'Not Found'));
  });

  it('requires x-meetergo-api-user-id for meeting types and availability', async () => {
    const { api } = setup();
    const missing = {
      status: 400,
      body: error(
        400,
        "Missing required header 'x-meetergo-api-user-id' for API key authentication",
        'Bad Request',
      ),
    };
    assert.deepEqual(await api('GET', '/v4/meeting-type'), missing);
    assert.deepEqual(await api('GET', '/availability'), missing);
    assert.deepEqual(
      await api('POST', '/v4/meeting-type', { body: { name: 'x', duration: 30 } }),
      missing,
    );
    assert.deepEqual(
      await api('GET', '/v4/meeting-type', { user: '00000000-0000-4000-8000-000000000000' }),
      {
        status: 404,
        body: error(404, 'User not found', 'Not Found'),
      },
    );
  });

  it('creates and patches meeting types with their rules', async () => {
    const { api, createUser } = setup();
    const { userId, meetingTypeId } = await createUser({ email: 'a@example.com' });
    const create = (body: unknown) => api('POST', '/v4/meeting-type', { user: userId, body });
    assert.deepEqual(await create({ name: 'No duration' }), {
      status: 400,
      body: error(400, 'duration is required', 'Bad Request'),
    });
    assert.deepEqual(await create({ name: 'Taken', duration: 30, slug: '30min Meeting' }), {
      status: 409,
      body: error(409, 'Slug already exists', 'Conflict'),
    });
    const second = await create({ name: '30min Meeting', duration: 30, bufferTimeAfter: 5 });
    assert.equal(second.status, 201);
    assert.equal((second.body as { slug: string }).slug, '30min-meeting-2');
    assert.equal((second.body as { bufferTimeAfter: number }).bufferTimeAfter, 5);

    const patch = (body: unknown) =>
      api('PATCH', `/v4/meeting-type/${meetingTypeId}`, { user: userId, body });
    assert.deepEqual(await patch({}), {
      status: 400,
      body: error(400, 'No fields to update', 'Bad Request'),
    });
    assert.deepEqual(await patch({ bufferTimeBefore: -5 }), {
      status: 400,
      body: error(400, 'bufferTimeBefore must be an integer between 0 and 120', 'Bad Request'),
    });
    const ok = await patch({
      bufferTimeBefore: 10,
      bufferTimeAfter: 20,
      minimumNotice: 60,
      duration: 20,
    });
    assert.equal(ok.status, 200);
    const t = ok.body as Record<string, unknown>;
    assert.deepEqual(
      [t.duration, t.bufferTimeBefore, t.bufferTimeAfter, t.minimumNotice],
      [20, 10, 20, 60],
    );
    const foreign = await api('PATCH', `/v4/meeting-type/${meetingTypeId}`, {
      user: ADMIN_USER_ID,
      body: { duration: 20 },
    });
    assert.deepEqual(foreign, {
      status: 404,
      body: error(404, 'Meeting type not found', 'Not Found'),
    });
  });

  it('dispatches Request objects and URL inputs, and respects an aborted signal', async () => {
    const { standIn } = setup();
    const request = new Request(`${BASE}/v4/user/me`, { headers: { authorization: KEY } });
    assert.equal((await standIn.fetch(request)).status, 200);
    const viaUrl = await standIn.fetch(new URL(`${BASE}/v4/user/me`), {
      headers: { authorization: KEY },
    });
    assert.equal(viaUrl.status, 200);
    await assert.rejects(
      standIn.fetch(`${BASE}/v4/user/me`, {
        headers: { authorization: KEY },
        signal: AbortSignal.abort(),
      }),
      { name: 'AbortError' },
    );
  });

  it('answers for a custom baseUrl only', async () => {
    const standIn = createStandIn({
      baseUrl: 'http://localhost:4010/meetergo/',
      now: () => new Date('2025-01-06T06:00:00Z'),
    });
    assert.equal(standIn.baseUrl, 'http://localhost:4010/meetergo');
    const res = await standIn.fetch(
      `http://localhost:4010/meetergo/v4/user/${JOHN.userId}/bookable-windows?startDate=2025-01-06&endDate=2025-01-06`,
      { headers: { authorization: KEY } },
    );
    assert.deepEqual(await res.json(), { windows: MONDAY_DEFAULTS });
    const official = await standIn.fetch(`${BASE}/v4/user/me`, { headers: { authorization: KEY } });
    assert.equal(official.status, 404);
  });
});

describe('stand-in: seeded hosts', () => {
  it('exports the seeded hosts with fixed ids', () => {
    assert.deepEqual(
      SEEDED_HOSTS.map((h) => ({ ...h })),
      [
        {
          userId: '550e8400-e29b-41d4-a716-446655440000',
          meetingTypeId: '770e8400-e29b-41d4-a716-446655440002',
          availabilityId: '660e8400-e29b-41d4-a716-446655440001',
          name: 'John Smith',
          email: 'john.smith@example.com',
          slug: 'john-smith',
          meetingTypeSlug: '30min-meeting',
          timezone: 'Europe/Berlin',
          duration: 30,
          bookingUrl: 'https://cal.meetergo.com/john-smith/30min-meeting',
        },
        {
          userId: '550e8400-e29b-41d4-a716-446655440010',
          meetingTypeId: '770e8400-e29b-41d4-a716-446655440012',
          availabilityId: '660e8400-e29b-41d4-a716-446655440011',
          name: 'Emily Johnson',
          email: 'emily.johnson@example.com',
          slug: 'emily-johnson',
          meetingTypeSlug: 'discovery-call',
          timezone: 'America/New_York',
          duration: 30,
          bookingUrl: 'https://cal.meetergo.com/emily-johnson/discovery-call',
        },
        {
          userId: '550e8400-e29b-41d4-a716-446655440020',
          meetingTypeId: '770e8400-e29b-41d4-a716-446655440022',
          availabilityId: '660e8400-e29b-41d4-a716-446655440021',
          name: 'Priya Sharma',
          email: 'priya.sharma@example.com',
          slug: 'priya-sharma',
          meetingTypeSlug: 'consultation',
          timezone: 'Asia/Kolkata',
          duration: 45,
          bookingUrl: 'https://cal.meetergo.com/priya-sharma/consultation',
        },
      ],
    );
  });

  it('serves the seeded hosts as the state describes them', async () => {
    const { api } = setup(undefined, true);
    for (const host of SEEDED_HOSTS) {
      const me = await api('GET', '/v4/user/me', { user: host.userId });
      const user = me.body as Record<string, unknown>;
      assert.deepEqual(
        [user.fullName, user.slug, user.timezone, user.email],
        [host.name, host.slug, host.timezone, host.email],
      );
      const types = (await api('GET', '/v4/meeting-type', { user: host.userId })).body as Record<
        string,
        unknown
      >[];
      assert.deepEqual(
        types.map((t) => [t.id, t.slug, t.duration, t.bookingUrl, t.availabilityId]),
        [
          [
            host.meetingTypeId,
            host.meetingTypeSlug,
            host.duration,
            host.bookingUrl,
            host.availabilityId,
          ],
        ],
      );
    }
  });

  it('gives each seeded host its own windows', async () => {
    const { windows } = setup(undefined, true);
    const monday = 'startDate=2025-01-06&endDate=2025-01-06';
    assert.deepEqual(await windows(JOHN.userId, monday), MONDAY_DEFAULTS);
    // New York (UTC−5): 8:00–12:00 and 13:00–16:00.
    assert.deepEqual(
      await windows(EMILY.userId, `${monday}&meetingTypeId=${EMILY.meetingTypeId}`),
      [
        '2025-01-06T13:00:00Z',
        '2025-01-06T13:30:00Z',
        '2025-01-06T14:00:00Z',
        '2025-01-06T14:30:00Z',
        '2025-01-06T15:00:00Z',
        '2025-01-06T15:30:00Z',
        '2025-01-06T16:00:00Z',
        '2025-01-06T16:30:00Z',
        '2025-01-06T18:00:00Z',
        '2025-01-06T18:30:00Z',
        '2025-01-06T19:00:00Z',
        '2025-01-06T19:30:00Z',
        '2025-01-06T20:00:00Z',
        '2025-01-06T20:30:00Z',
      ],
    );
    // Kolkata (UTC+5:30), 45 minutes from 10:00 and 14:00; it is 11:30 there, so 10:00 and
    // 10:45 are past and 11:30 (= now) is the first.
    assert.deepEqual(await windows(PRIYA.userId, monday), [
      '2025-01-06T06:00:00Z',
      '2025-01-06T06:45:00Z',
      '2025-01-06T08:30:00Z',
      '2025-01-06T09:15:00Z',
      '2025-01-06T10:00:00Z',
      '2025-01-06T10:45:00Z',
      '2025-01-06T11:30:00Z',
    ]);
    // Saturday and Sunday in Kolkata: only Saturday 10:00–13:00.
    assert.deepEqual(await windows(PRIYA.userId, 'startDate=2025-01-11&endDate=2025-01-12'), [
      '2025-01-11T04:30:00Z',
      '2025-01-11T05:15:00Z',
      '2025-01-11T06:00:00Z',
      '2025-01-11T06:45:00Z',
    ]);
    assert.deepEqual(await windows(EMILY.userId, 'startDate=2025-01-11&endDate=2025-01-12'), []);
  });

  it('starts empty with seed: false and comes back with reset()', async () => {
    const seeded = setup(undefined, true);
    await seeded.api('PATCH', `/v4/user/${JOHN.userId}`, { body: { slug: 'johnny-smith' } });
    const renamed = (await seeded.api('GET', `/v4/user/${JOHN.userId}`)).body as { slug: string };
    assert.equal(renamed.slug, 'johnny-smith');
    seeded.standIn.reset();
    const john = (await seeded.api('GET', `/v4/user/${JOHN.userId}`)).body as { slug: string };
    assert.equal(john.slug, 'john-smith');

    const { api } = setup();
    const users = (await api('GET', '/v4/user')).body as { id: string }[];
    assert.deepEqual(
      users.map((u) => u.id),
      [ADMIN_USER_ID],
    );
    assert.equal((await api('GET', `/v4/user/${JOHN.userId}`)).status, 404);
  });
});
