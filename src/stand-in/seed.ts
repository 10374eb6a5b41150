/**
 * The stand-in's seeded hosts: fixed ids in three zones, used by the demo and the README.
 * Each is created through the same path as `POST /v4/user`.
 */

/** A seeded host, as the demo and the README name it. */
export interface SeededHost {
  readonly userId: string;
  readonly meetingTypeId: string;
  readonly availabilityId: string;
  readonly name: string;
  readonly email: string;
  readonly slug: string;
  readonly meetingTypeSlug: string;
  readonly timezone: string;
  /** Meeting duration in minutes. */
  readonly duration: number;
  readonly bookingUrl: string;
}

/** The id of the company every stand-in user belongs to. */
export const COMPANY_ID = '880e8400-e29b-41d4-a716-446655440003';

/** The id of the API key's own user (an admin with no meeting types): `GET /v4/user/me`. */
export const ADMIN_USER_ID = '990e8400-e29b-41d4-a716-446655440004';

/** The seeded hosts, in order. */
export const SEEDED_HOSTS: readonly SeededHost[] = Object.freeze([
  Object.freeze({
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
  }),
  Object.freeze({
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
  }),
  Object.freeze({
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
  }),
]);

const weekdays = (from: string, to: string) =>
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((dayOfWeek) => ({
    dayOfWeek,
    intervals:
      dayOfWeek === 'friday'
        ? [{ from, to: '12:00' }]
        : [
            { from, to: '12:00' },
            { from: '13:00', to },
          ],
  }));

const kolkataDay = {
  enabled: true,
  hours: [
    { start: '10:00', end: '13:00' },
    { start: '14:00', end: '18:00' },
  ],
};

/** The `POST /v4/user` bodies of the seeded hosts, in the order of `SEEDED_HOSTS`. */
export const SEED_BODIES: readonly Record<string, unknown>[] = [
  // Defaults: Monday–Friday 9:00–17:00, "30min Meeting".
  {
    email: 'john.smith@example.com',
    givenName: 'John',
    familyName: 'Smith',
    timezone: 'Europe/Berlin',
  },
  // The array format: Monday–Thursday 8:00–12:00 and 13:00–16:00, Friday 8:00–12:00.
  {
    email: 'emily.johnson@example.com',
    givenName: 'Emily',
    familyName: 'Johnson',
    timezone: 'America/New_York',
    availability: {
      name: 'Emily’s Hours',
      timezone: 'America/New_York',
      schedule: weekdays('08:00', '16:00'),
    },
    meetingType: { name: 'Discovery Call', duration: 30 },
  },
  // The object format: Monday–Friday 10:00–13:00 and 14:00–18:00, Saturday 10:00–13:00.
  {
    email: 'priya.sharma@example.com',
    givenName: 'Priya',
    familyName: 'Sharma',
    timezone: 'Asia/Kolkata',
    availability: {
      name: 'Priya’s Hours',
      timezone: 'Asia/Kolkata',
      schedule: {
        monday: kolkataDay,
        tuesday: kolkataDay,
        wednesday: kolkataDay,
        thursday: kolkataDay,
        friday: kolkataDay,
        saturday: { enabled: true, hours: [{ start: '10:00', end: '13:00' }] },
        sunday: { enabled: false, hours: [] },
      },
    },
    meetingType: { name: 'Consultation', duration: 45 },
  },
];
