/**
 * The stand-in's in-memory company: platform users, their availability, meeting types,
 * exceptions and bookings, with the validation and error bodies of meetergo's docs.
 * Every operation returns a `Reply` (status and JSON body); the handlers only translate.
 */
import { canonicalZone, isUuid, parseDay, parseInstant } from '../protocol.js';
import {
  computeWindows,
  defaultSchedule,
  endOfDays,
  formatInstant,
  looksLikeSchedule,
  parseSchedule,
  startOfDay,
  toDayMap,
} from './windows.js';
import type { WeeklySchedule } from './windows.js';
import { ADMIN_USER_ID, COMPANY_ID } from './seed.js';

/** A meetergo-style error body. */
export interface ApiError {
  statusCode: number;
  message: string;
  error?: string;
}

/** What an operation answers: a status and a JSON body (none for 204). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Ids to use instead of generated ones (the seeded hosts). */
export interface FixedIds {
  userId: string;
  availabilityId: string;
  meetingTypeId: string;
}

interface UserRecord {
  id: string;
  email: string;
  givenName: string;
  familyName: string;
  slug: string;
  timezone: string;
  isAdmin: boolean;
  defaultAvailabilityId: string | null;
  createdAt: string;
  updatedAt: string;
}

interface AvailabilityRecord {
  id: string;
  userId: string;
  name: string;
  timezone: string;
  schedule: WeeklySchedule;
  createdAt: string;
  updatedAt: string;
}

interface MeetingTypeRecord {
  id: string;
  userId: string;
  name: string;
  description: string;
  slug: string;
  duration: number;
  bufferTimeBefore: number;
  bufferTimeAfter: number;
  minimumNotice: number;
  channel: string;
  availabilityId: string;
  createdAt: string;
  updatedAt: string;
}

interface ExceptionRecord {
  id: number;
  userId: string;
  startDate: string;
  endDate: string;
  title: string;
  note: string;
  createdAt: string;
}

interface BookingRecord {
  id: string;
  secret: string;
  meetingTypeId: string;
  hostId: string;
  start: number;
  end: number;
  bufferBefore: number;
  bufferAfter: number;
}

/** The fields a meeting type may be created or patched with. */
type MeetingTypeFields = Partial<
  Pick<
    MeetingTypeRecord,
    | 'name'
    | 'description'
    | 'slug'
    | 'duration'
    | 'bufferTimeBefore'
    | 'bufferTimeAfter'
    | 'minimumNotice'
    | 'channel'
    | 'availabilityId'
  >
>;

const BOOKING_HOST = 'https://cal.meetergo.com';
/** The most days one `bookable-windows` request may span, both ends counted. */
export const MAX_RANGE_DAYS = 366;
/** Longest texts accepted (RFC 5321 for addresses); longer ones get a 400 before any other check. */
export const MAX_LENGTHS = {
  email: 254,
  emailLocalPart: 64,
  name: 100,
  title: 200,
  slug: 100,
  text: 5000,
} as const;
const WHITE_SPACE = /\s/;

const errorNames: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
};

/** A meetergo-style error reply: `{ statusCode, message, error }` (401: no `error`). */
export function fail(status: number, message: string): Reply {
  const body: ApiError = { statusCode: status, message };
  if (errorNames[status]) body.error = errorNames[status];
  return { status, body };
}

const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** The message of class-validator's `MaxLength`, as meetergo's validation answers it. */
const tooLong = (field: string, max: number) =>
  `${field} must be shorter than or equal to ${max} characters`;

/**
 * An address `local@domain.tld`: one `@` after at most 64 characters, no white space, a dot with
 * something on both sides in the domain; at most 254 characters. Linear in the length.
 */
export function isEmail(value: string): boolean {
  if (value.length > MAX_LENGTHS.email || WHITE_SPACE.test(value)) return false;
  const at = value.indexOf('@');
  if (at < 1 || at > MAX_LENGTHS.emailLocalPart || value.includes('@', at + 1)) return false;
  const domain = value.slice(at + 1);
  return domain.lastIndexOf('.', domain.length - 2) >= 1;
}

/** The reply for a bad email field, or `undefined` when it is an email. */
function emailProblem(value: unknown, field: string): Reply | undefined {
  if (typeof value === 'string' && value.length > MAX_LENGTHS.email) {
    return fail(400, tooLong(field, MAX_LENGTHS.email));
  }
  return typeof value === 'string' && isEmail(value.trim())
    ? undefined
    : fail(400, `${field} must be an email`);
}

/** The lookup key of an id: UUIDs in any case name the same record. */
export function idKey(value: string): string {
  return isUuid(value) ? value.toLowerCase() : value;
}

export const MISSING_USER_HEADER =
  "Missing required header 'x-meetergo-api-user-id' for API key authentication";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** Lowercase, hyphenated, ASCII: `"  Jürgen Müller!"` → `"jurgen-muller"`. */
export function normalizeSlug(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The first of a list of names that is present (aliases of one field). */
function pick(body: Record<string, unknown>, ...names: string[]): [string, unknown] | undefined {
  for (const name of names) {
    if (body[name] !== undefined) return [name, body[name]];
  }
  return undefined;
}

/**
 * Reads meeting-type fields, flat (`duration`, `bufferTimeBefore`, `bufferTimeAfter`,
 * `minimumNotice`) or as the docs' `meetingInfo` object (`bufferBefore`, `bufferAfter`,
 * `bookingMinimum`).
 */
function readMeetingTypeFields(
  input: unknown,
  where: string,
): { fields: MeetingTypeFields } | { error: string } {
  if (!isRecord(input)) return { error: `${where} must be an object` };
  const info = isRecord(input.meetingInfo) ? input.meetingInfo : {};
  const body = { ...info, ...input };
  const fields: MeetingTypeFields = {};

  const name = pick(body, 'name', 'title');
  if (name) {
    if (!nonEmpty(name[1]) || name[1].length > 200) {
      return { error: `${where}.${name[0]} must be a non-empty string of at most 200 characters` };
    }
    fields.name = name[1].trim();
  }
  if (body.description !== undefined) {
    if (typeof body.description !== 'string')
      return { error: `${where}.description must be a string` };
    if (body.description.length > MAX_LENGTHS.text) {
      return { error: tooLong(`${where}.description`, MAX_LENGTHS.text) };
    }
    fields.description = body.description;
  }
  if (body.channel !== undefined) {
    if (!nonEmpty(body.channel)) return { error: `${where}.channel must be a string` };
    if (body.channel.length > MAX_LENGTHS.name) {
      return { error: tooLong(`${where}.channel`, MAX_LENGTHS.name) };
    }
    fields.channel = body.channel;
  }
  if (body.slug !== undefined) {
    if (typeof body.slug === 'string' && body.slug.length > MAX_LENGTHS.slug) {
      return { error: tooLong(`${where}.slug`, MAX_LENGTHS.slug) };
    }
    const slug = typeof body.slug === 'string' ? normalizeSlug(body.slug) : '';
    if (!slug) return { error: `${where}.slug must contain letters or digits` };
    fields.slug = slug;
  }
  if (body.availabilityId !== undefined) {
    if (!nonEmpty(body.availabilityId))
      return { error: `${where}.availabilityId must be a string` };
    fields.availabilityId = body.availabilityId;
  }
  const numbers: [keyof MeetingTypeFields, string[], number, number][] = [
    ['duration', ['duration'], 5, 480],
    ['bufferTimeBefore', ['bufferTimeBefore', 'bufferBefore'], 0, 120],
    ['bufferTimeAfter', ['bufferTimeAfter', 'bufferAfter'], 0, 120],
    ['minimumNotice', ['minimumNotice', 'bookingMinimum'], 0, 525_600],
  ];
  for (const [key, names, min, max] of numbers) {
    const found = pick(body, ...names);
    if (!found) continue;
    if (!isIntIn(found[1], min, max)) {
      return { error: `${where}.${found[0]} must be an integer between ${min} and ${max}` };
    }
    (fields as Record<string, number>)[key] = found[1];
  }
  return { fields };
}

/** The in-memory company behind one stand-in. */
export class Company {
  private readonly users = new Map<string, UserRecord>();
  /** Slug → user id and email → user id, so a new user costs no scan of all users. */
  private readonly slugOwners = new Map<string, string>();
  private readonly emailOwners = new Map<string, string>();
  private readonly availabilities = new Map<string, AvailabilityRecord>();
  private readonly meetingTypes = new Map<string, MeetingTypeRecord>();
  /** Each user's meeting types in creation order (the first is the default of the windows). */
  private readonly typesByUser = new Map<string, MeetingTypeRecord[]>();
  private readonly exceptions: ExceptionRecord[] = [];
  private readonly bookings: BookingRecord[] = [];
  private counter = 0;

  constructor(private readonly now: () => Date) {
    const at = '2025-01-01T00:00:00.000Z';
    this.addUser({
      id: ADMIN_USER_ID,
      email: 'api-admin@example.com',
      givenName: 'API',
      familyName: 'Admin',
      slug: 'api-admin',
      timezone: 'Europe/Berlin',
      isAdmin: true,
      defaultAvailabilityId: null,
      createdAt: at,
      updatedAt: at,
    });
  }

  // ---- helpers ------------------------------------------------------------------------

  /** A deterministic, well-formed UUID (v4 layout) per kind and creation order. */
  private nextId(kind: number): string {
    this.counter += 1;
    return `a${kind}000000-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}`;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private bookingUrl(type: MeetingTypeRecord): string {
    const user = this.users.get(type.userId);
    return `${BOOKING_HOST}/${user?.slug ?? 'unknown'}/${type.slug}`;
  }

  private typesOf(userId: string): MeetingTypeRecord[] {
    return this.typesByUser.get(userId) ?? [];
  }

  private addMeetingType(type: MeetingTypeRecord): void {
    this.meetingTypes.set(type.id, type);
    this.typesByUser.set(type.userId, [...this.typesOf(type.userId), type]);
  }

  private uniqueSlug(base: string, taken: (slug: string) => boolean): string {
    let slug = base || 'user';
    for (let n = 2; taken(slug); n++) slug = `${base}-${n}`;
    return slug;
  }

  private slugTaken(slug: string, exceptUserId?: string): boolean {
    const owner = this.slugOwners.get(slug);
    return owner !== undefined && owner !== exceptUserId;
  }

  private addUser(user: UserRecord): void {
    this.users.set(user.id, user);
    this.slugOwners.set(user.slug, user.id);
    this.emailOwners.set(user.email, user.id);
  }

  /** The acting user named by `x-meetergo-api-user-id`, or the reply to give instead. */
  private acting(header: string | null): UserRecord | Reply {
    if (!header) return fail(400, MISSING_USER_HEADER);
    return this.users.get(header) ?? fail(404, 'User not found');
  }

  private userJson(user: UserRecord) {
    return {
      id: user.id,
      email: user.email,
      givenName: user.givenName,
      familyName: user.familyName,
      fullName: `${user.givenName} ${user.familyName}`,
      slug: user.slug,
      timezone: user.timezone,
      companyId: COMPANY_ID,
      isAdmin: user.isAdmin,
      userType: user.isAdmin ? 'standard' : 'api-platform',
      defaultAvailabilityId: user.defaultAvailabilityId,
      meetingTypeIds: this.typesOf(user.id).map((t) => t.id),
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    };
  }

  private availabilityJson(a: AvailabilityRecord) {
    const user = this.users.get(a.userId);
    return {
      id: a.id,
      userId: a.userId,
      name: a.name,
      timezone: a.timezone,
      isDefault: user?.defaultAvailabilityId === a.id,
      schedule: toDayMap(a.schedule),
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    };
  }

  private meetingTypeJson(t: MeetingTypeRecord) {
    return {
      id: t.id,
      userId: t.userId,
      slug: t.slug,
      name: t.name,
      title: t.name,
      description: t.description,
      duration: t.duration,
      bufferTimeBefore: t.bufferTimeBefore,
      bufferTimeAfter: t.bufferTimeAfter,
      minimumNotice: t.minimumNotice,
      availabilityId: t.availabilityId,
      meetingInfo: {
        name: t.name,
        description: t.description,
        duration: t.duration,
        channel: t.channel,
        bufferBefore: t.bufferTimeBefore,
        bufferAfter: t.bufferTimeAfter,
      },
      bookingUrl: this.bookingUrl(t),
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }

  /** Reads `availability` of `POST /v4/user`: a bare schedule or `{ name, timezone, schedule }`. */
  private readAvailability(
    input: unknown,
    userZone: string,
  ): { name: string; timezone: string; schedule: WeeklySchedule } | { error: string } {
    const fallback = { name: 'Business Hours', timezone: userZone, schedule: defaultSchedule() };
    if (input === undefined) return fallback;
    if (looksLikeSchedule(input)) {
      const parsed = parseSchedule(input);
      return 'error' in parsed ? parsed : { ...fallback, schedule: parsed.schedule };
    }
    if (!isRecord(input)) return { error: 'availability must be an object' };
    if (input.name !== undefined && !nonEmpty(input.name)) {
      return { error: 'availability.name must be a non-empty string' };
    }
    if (typeof input.name === 'string' && input.name.length > MAX_LENGTHS.title) {
      return { error: tooLong('availability.name', MAX_LENGTHS.title) };
    }
    const timezone = input.timezone === undefined ? userZone : canonicalZone(input.timezone);
    if (timezone === undefined) return { error: `Invalid timezone: ${String(input.timezone)}` };
    const out = {
      name: (input.name as string | undefined)?.trim() ?? fallback.name,
      timezone,
      schedule: fallback.schedule,
    };
    if (input.schedule === undefined) return out;
    const parsed = parseSchedule(input.schedule);
    return 'error' in parsed ? parsed : { ...out, schedule: parsed.schedule };
  }

  // ---- users --------------------------------------------------------------------------

  /** `POST /v4/user`: a platform user with availability, a meeting type and a booking URL. */
  createUser(body: unknown, fixed?: FixedIds): Reply {
    if (!isRecord(body)) return fail(400, 'Request body must be a JSON object');
    const badEmail = emailProblem(body.email, 'email');
    if (badEmail) return badEmail;
    for (const field of ['givenName', 'familyName'] as const) {
      if (!nonEmpty(body[field]) || body[field].length > 100) {
        return fail(400, `${field} must be a non-empty string of at most 100 characters`);
      }
    }
    if (body.timezone === undefined) return fail(400, 'timezone is required');
    const zone = canonicalZone(body.timezone);
    if (zone === undefined) return fail(400, `Invalid timezone: ${String(body.timezone)}`);
    const availability = this.readAvailability(body.availability, zone);
    if ('error' in availability) return fail(400, availability.error);
    let typeFields: MeetingTypeFields = {};
    if (body.meetingType !== undefined) {
      const read = readMeetingTypeFields(body.meetingType, 'meetingType');
      if ('error' in read) return fail(400, read.error);
      typeFields = read.fields;
      delete typeFields.availabilityId;
    }
    const email = (body.email as string).trim().toLowerCase();
    if (this.emailOwners.has(email)) {
      return fail(409, 'User with this email already exists');
    }

    const at = this.stamp();
    const givenName = (body.givenName as string).trim();
    const familyName = (body.familyName as string).trim();
    const user: UserRecord = {
      id: fixed?.userId ?? this.nextId(1),
      email,
      givenName,
      familyName,
      slug: this.uniqueSlug(normalizeSlug(`${givenName} ${familyName}`), (s) => this.slugTaken(s)),
      timezone: zone,
      isAdmin: false,
      defaultAvailabilityId: null,
      createdAt: at,
      updatedAt: at,
    };
    const avail: AvailabilityRecord = {
      id: fixed?.availabilityId ?? this.nextId(2),
      userId: user.id,
      ...availability,
      createdAt: at,
      updatedAt: at,
    };
    user.defaultAvailabilityId = avail.id;
    const name = typeFields.name ?? '30min Meeting';
    const type: MeetingTypeRecord = {
      id: fixed?.meetingTypeId ?? this.nextId(3),
      userId: user.id,
      name,
      description: '',
      duration: 30,
      bufferTimeBefore: 0,
      bufferTimeAfter: 0,
      minimumNotice: 0,
      channel: 'google',
      ...typeFields,
      slug: typeFields.slug ?? (normalizeSlug(name) || 'meeting'),
      availabilityId: avail.id,
      createdAt: at,
      updatedAt: at,
    };
    this.addUser(user);
    this.availabilities.set(avail.id, avail);
    this.addMeetingType(type);
    return ok(
      {
        userId: user.id,
        availabilityId: avail.id,
        meetingTypeId: type.id,
        bookingUrl: this.bookingUrl(type),
        companyId: COMPANY_ID,
      },
      201,
    );
  }

  /** `GET /v4/user`: every user of the company. */
  listUsers(): Reply {
    return ok([...this.users.values()].map((u) => this.userJson(u)));
  }

  /** `GET /v4/user/me`: the acting user, else the API key's own user. */
  me(header: string | null): Reply {
    const user = this.users.get(header ?? ADMIN_USER_ID);
    return user ? ok(this.userJson(user)) : fail(404, 'User not found');
  }

  /** `GET /v4/user/{id}`. */
  getUser(id: string): Reply {
    const user = this.users.get(id);
    return user ? ok(this.userJson(user)) : fail(404, 'User not found');
  }

  /** `PATCH /v4/user/{id}`: `givenName`, `familyName`, `slug` (min 5, unique, normalized). */
  updateUser(id: string, body: unknown): Reply {
    const user = this.users.get(id);
    if (!user) return fail(404, 'User not found');
    if (!isRecord(body)) return fail(400, 'Request body must be a JSON object');
    const { givenName, familyName, slug } = body;
    if (givenName === undefined && familyName === undefined && slug === undefined) {
      return fail(400, 'No fields to update');
    }
    for (const [field, value] of [
      ['givenName', givenName],
      ['familyName', familyName],
    ] as const) {
      if (value !== undefined && (!nonEmpty(value) || value.length > 100)) {
        return fail(400, `${field} must be a non-empty string of at most 100 characters`);
      }
    }
    let nextSlug: string | undefined;
    if (slug !== undefined) {
      if (typeof slug !== 'string') return fail(400, 'slug must be a string');
      if (slug.length > MAX_LENGTHS.slug) return fail(400, tooLong('slug', MAX_LENGTHS.slug));
      nextSlug = normalizeSlug(slug);
      if (nextSlug.length < 5) return fail(400, 'TOO_SHORT');
      if (this.slugTaken(nextSlug, id)) return fail(400, 'NOT_AVAILABLE');
    }
    if (typeof givenName === 'string') user.givenName = givenName.trim();
    if (typeof familyName === 'string') user.familyName = familyName.trim();
    if (nextSlug) {
      this.slugOwners.delete(user.slug);
      user.slug = nextSlug;
      this.slugOwners.set(nextSlug, id);
    }
    user.updatedAt = this.stamp();
    return ok(this.userJson(user));
  }

  /** `DELETE /v4/user/{id}`: the user and everything of theirs leave the company. */
  deleteUser(id: string): Reply {
    const user = this.users.get(id);
    if (!user) return fail(404, 'User not found');
    if (user.isAdmin) return fail(403, 'The API key owner cannot be deleted');
    this.users.delete(id);
    this.slugOwners.delete(user.slug);
    this.emailOwners.delete(user.email);
    for (const [key, a] of this.availabilities)
      if (a.userId === id) this.availabilities.delete(key);
    for (const t of this.typesOf(id)) this.meetingTypes.delete(t.id);
    this.typesByUser.delete(id);
    this.exceptions.splice(
      0,
      this.exceptions.length,
      ...this.exceptions.filter((e) => e.userId !== id),
    );
    this.bookings.splice(0, this.bookings.length, ...this.bookings.filter((b) => b.hostId !== id));
    return { status: 204 };
  }

  // ---- meeting types ------------------------------------------------------------------

  /** `GET /v4/meeting-type`: the acting user's meeting types, an array. */
  listMeetingTypes(header: string | null): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    return ok(this.typesOf(user.id).map((t) => this.meetingTypeJson(t)));
  }

  /** `GET /v4/meeting-type/{id}`. */
  getMeetingType(header: string | null, id: string): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    const type = this.meetingTypes.get(id);
    if (!type || type.userId !== user.id) return fail(404, 'Meeting type not found');
    return ok(this.meetingTypeJson(type));
  }

  /** `POST /v4/meeting-type`: `name` and `duration` required (flat or in `meetingInfo`). */
  createMeetingType(header: string | null, body: unknown): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    const read = readMeetingTypeFields(body, 'body');
    if ('error' in read) return fail(400, read.error.replace(/^body\./, ''));
    const fields = read.fields;
    if (fields.name === undefined) return fail(400, 'name is required');
    if (fields.duration === undefined) return fail(400, 'duration is required');
    const availabilityId = fields.availabilityId ?? user.defaultAvailabilityId;
    const availability = availabilityId ? this.availabilities.get(availabilityId) : undefined;
    if (!availability || availability.userId !== user.id) {
      return fail(404, 'Availability not found');
    }
    const taken = (slug: string) => this.typesOf(user.id).some((t) => t.slug === slug);
    if (fields.slug !== undefined && taken(fields.slug)) return fail(409, 'Slug already exists');
    const at = this.stamp();
    const type: MeetingTypeRecord = {
      id: this.nextId(3),
      userId: user.id,
      description: '',
      bufferTimeBefore: 0,
      bufferTimeAfter: 0,
      minimumNotice: 0,
      channel: 'google',
      ...fields,
      name: fields.name,
      duration: fields.duration,
      slug: fields.slug ?? this.uniqueSlug(normalizeSlug(fields.name) || 'meeting', taken),
      availabilityId: availability.id,
      createdAt: at,
      updatedAt: at,
    };
    this.addMeetingType(type);
    return ok(this.meetingTypeJson(type), 201);
  }

  /** `PATCH /v4/meeting-type/{id}`: `duration`, `bufferTimeBefore`, `bufferTimeAfter`, `minimumNotice`, … */
  updateMeetingType(header: string | null, id: string, body: unknown): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    const type = this.meetingTypes.get(id);
    if (!type || type.userId !== user.id) return fail(404, 'Meeting type not found');
    const read = readMeetingTypeFields(body, 'body');
    if ('error' in read) return fail(400, read.error.replace(/^body\./, ''));
    const fields = read.fields;
    if (Object.keys(fields).length === 0) return fail(400, 'No fields to update');
    if (fields.availabilityId !== undefined) {
      const a = this.availabilities.get(fields.availabilityId);
      if (!a || a.userId !== user.id) return fail(404, 'Availability not found');
    }
    if (
      fields.slug !== undefined &&
      this.typesOf(user.id).some((t) => t.slug === fields.slug && t.id !== id)
    ) {
      return fail(409, 'Slug already exists');
    }
    Object.assign(type, fields, { updatedAt: this.stamp() });
    return ok(this.meetingTypeJson(type));
  }

  // ---- availability -------------------------------------------------------------------

  /** `GET /availability`: the acting user's availabilities, an array. */
  listAvailabilities(header: string | null): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    const own = [...this.availabilities.values()].filter((a) => a.userId === user.id);
    return ok(own.map((a) => this.availabilityJson(a)));
  }

  /** `GET /availability/{id}`. */
  getAvailability(header: string | null, id: string): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    const a = this.availabilities.get(id);
    if (!a || a.userId !== user.id) return fail(404, 'Availability not found');
    return ok(this.availabilityJson(a));
  }

  /** `PATCH /availability/{id}`: `name`, `timezone`, `schedule` (either format). */
  updateAvailability(header: string | null, id: string, body: unknown): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    const a = this.availabilities.get(id);
    if (!a || a.userId !== user.id) return fail(404, 'Availability not found');
    if (!isRecord(body)) return fail(400, 'Request body must be a JSON object');
    const { name, timezone, schedule } = body;
    if (name === undefined && timezone === undefined && schedule === undefined) {
      return fail(400, 'No fields to update');
    }
    if (name !== undefined && !nonEmpty(name)) return fail(400, 'name must be a non-empty string');
    if (typeof name === 'string' && name.length > MAX_LENGTHS.title) {
      return fail(400, tooLong('name', MAX_LENGTHS.title));
    }
    const zone = timezone === undefined ? undefined : canonicalZone(timezone);
    if (timezone !== undefined && zone === undefined) {
      return fail(400, `Invalid timezone: ${String(timezone)}`);
    }
    const parsed = schedule === undefined ? undefined : parseSchedule(schedule);
    if (parsed && 'error' in parsed) return fail(400, parsed.error);
    if (typeof name === 'string') a.name = name.trim();
    if (zone !== undefined) a.timezone = zone;
    if (parsed) a.schedule = parsed.schedule;
    a.updatedAt = this.stamp();
    return ok(this.availabilityJson(a));
  }

  // ---- exceptions ---------------------------------------------------------------------

  private exceptionJson(e: ExceptionRecord) {
    const zone = this.users.get(e.userId)?.timezone ?? 'UTC';
    return {
      id: e.id,
      ownerId: e.userId,
      ownerType: 'user',
      available: false,
      startDate: e.startDate,
      endDate: e.endDate,
      start: formatInstant(startOfDay(zone, parseDay(e.startDate) as number)),
      end: formatInstant(endOfDays(zone, parseDay(e.endDate) as number)),
      title: e.title,
      note: e.note,
      createdAt: e.createdAt,
    };
  }

  /**
   * `POST /availability-exception/user`: `{ startDate, endDate, title?, note?, userId? }`,
   * inclusive days in the host's zone with no availability. The user is `userId` or the acting user.
   */
  createException(header: string | null, body: unknown): Reply {
    if (!isRecord(body)) return fail(400, 'Request body must be a JSON object');
    const userId = nonEmpty(body.userId) ? body.userId : header;
    const user = this.acting(userId);
    if ('status' in user) return user;
    const { startDate, endDate, title, note, available } = body;
    const [first, last] = [parseDay(startDate), parseDay(endDate)];
    if (first === undefined || last === undefined) {
      return fail(400, 'Invalid date format. Use YYYY-MM-DD');
    }
    if (last < first) return fail(400, 'endDate must not be before startDate');
    if (available !== undefined && available !== false) {
      return fail(400, 'Only unavailable exceptions (available: false) are supported');
    }
    if (title !== undefined && typeof title !== 'string')
      return fail(400, 'title must be a string');
    if (note !== undefined && typeof note !== 'string') return fail(400, 'note must be a string');
    if (title && title.length > MAX_LENGTHS.title) {
      return fail(400, tooLong('title', MAX_LENGTHS.title));
    }
    if (note && note.length > MAX_LENGTHS.text) return fail(400, tooLong('note', MAX_LENGTHS.text));
    const record: ExceptionRecord = {
      id: this.exceptions.length + 1,
      userId: user.id,
      startDate: startDate as string,
      endDate: endDate as string,
      title: title ?? '',
      note: note ?? '',
      createdAt: this.stamp(),
    };
    this.exceptions.push(record);
    return ok(this.exceptionJson(record), 201);
  }

  /** `GET /availability-exception/user`: the acting user's exceptions. */
  listExceptions(header: string | null): Reply {
    const user = this.acting(header);
    if ('status' in user) return user;
    return ok(
      this.exceptions.filter((e) => e.userId === user.id).map((e) => this.exceptionJson(e)),
    );
  }

  // ---- windows and bookings -----------------------------------------------------------

  private windows(type: MeetingTypeRecord, from: number, to: number): string[] {
    const user = this.users.get(type.userId) as UserRecord;
    const availability =
      this.availabilities.get(type.availabilityId) ??
      this.availabilities.get(user.defaultAvailabilityId ?? '');
    if (!availability) return [];
    return computeWindows({
      schedule: availability.schedule,
      zone: availability.timezone,
      from,
      to,
      duration: type.duration,
      bufferBefore: type.bufferTimeBefore,
      bufferAfter: type.bufferTimeAfter,
      earliest: this.now().getTime() + type.minimumNotice * 60_000,
      bookings: this.bookings.filter((b) => b.hostId === user.id),
      blocked: this.exceptions
        .filter((e) => e.userId === user.id)
        .map((e) => ({
          start: startOfDay(user.timezone, parseDay(e.startDate) as number),
          end: endOfDays(user.timezone, parseDay(e.endDate) as number),
        })),
    });
  }

  /** `GET /v4/user/{id}/bookable-windows?startDate&endDate[&meetingTypeId][&timezone]`. */
  bookableWindows(userId: string, query: URLSearchParams): Reply {
    const startDate = query.get('startDate');
    const endDate = query.get('endDate');
    if (!startDate || !endDate) return fail(400, 'startDate and endDate are required');
    const [first, last] = [parseDay(startDate), parseDay(endDate)];
    if (first === undefined || last === undefined) {
      return fail(400, 'Invalid date format. Use YYYY-MM-DD');
    }
    if (last < first) return fail(400, 'endDate must not be before startDate');
    if (last - first + 1 > MAX_RANGE_DAYS) {
      return fail(400, `The date range must not exceed ${MAX_RANGE_DAYS} days`);
    }
    const timezone = query.get('timezone');
    const zone = timezone === null ? undefined : canonicalZone(timezone);
    if (timezone !== null && zone === undefined) return fail(400, `Invalid timezone: ${timezone}`);
    const user = this.users.get(userId);
    if (!user) return fail(404, 'User not found');
    const meetingTypeId = query.get('meetingTypeId');
    const type =
      meetingTypeId !== null
        ? this.meetingTypes.get(idKey(meetingTypeId))
        : this.typesOf(user.id)[0];
    if (meetingTypeId !== null && (!type || type.userId !== user.id)) {
      return fail(404, 'Meeting type not found');
    }
    if (!type) return ok({ windows: [] });
    const dayZone = zone ?? user.timezone;
    return ok({
      windows: this.windows(type, startOfDay(dayZone, first), endOfDays(dayZone, last)),
    });
  }

  /** `POST /v4/booking`: `{ meetingTypeId, start, attendee: { email, firstname, lastname } }`. */
  createBooking(body: unknown): Reply {
    if (!isRecord(body)) return fail(400, 'Request body must be a JSON object');
    if (!nonEmpty(body.meetingTypeId)) return fail(400, 'meetingTypeId is required');
    const start = parseInstant(body.start);
    if (Number.isNaN(start)) {
      return fail(400, 'start must be an ISO 8601 date-time with a time zone offset');
    }
    const attendee = body.attendee;
    if (!isRecord(attendee)) return fail(400, 'attendee is required');
    const badEmail = emailProblem(attendee.email, 'attendee.email');
    if (badEmail) return badEmail;
    for (const field of ['firstname', 'lastname', 'fullname'] as const) {
      const value = attendee[field];
      if (typeof value === 'string' && value.length > MAX_LENGTHS.name) {
        return fail(400, tooLong(`attendee.${field}`, MAX_LENGTHS.name));
      }
    }
    if (
      !nonEmpty(attendee.fullname) &&
      !(nonEmpty(attendee.firstname) && nonEmpty(attendee.lastname))
    ) {
      return fail(400, 'attendee needs firstname and lastname, or fullname');
    }
    const type = this.meetingTypes.get(idKey(body.meetingTypeId));
    if (!type) return fail(404, 'Meeting type not found');
    if (!this.windows(type, start, start + 1).includes(formatInstant(start))) {
      return fail(409, 'The selected time slot is no longer available');
    }
    const id = this.nextId(4);
    const secret = `sec_${id.replace(/-/g, '').slice(-16)}${this.counter.toString(36)}`;
    this.bookings.push({
      id,
      secret,
      meetingTypeId: type.id,
      hostId: type.userId,
      start,
      end: start + type.duration * 60_000,
      bufferBefore: type.bufferTimeBefore,
      bufferAfter: type.bufferTimeAfter,
    });
    return ok({ appointmentId: id, secret }, 201);
  }
}
