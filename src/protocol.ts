/**
 * The protocol's vocabulary, checked in one place: UUIDs, calendar days (`YYYY-MM-DD`), ISO 8601
 * instants, IANA zones and booking URLs. The element, the proxy and the stand-in all call these,
 * so what one of them accepts the others accept too. No DOM, no dependencies (the proxy runs on
 * Workers), nothing but the platform's `Intl`, `Date` and `URL`.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * Extended calendar date, `T`, hh:mm[:ss[.fraction]], then `Z` or an offset (±hh, ±hhmm, ±hh:mm);
 * `t`/`z` in either case and a `,` fraction, as ISO 8601 allows.
 */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:[.,](\d{1,30}))?)?(?:Z|([+-])([01]\d|2[0-3])(?::?([0-5]\d))?)$/i;
/** Longest instant text read at all: a 30-digit fraction and a `±hh:mm` offset. */
const MAX_INSTANT_LENGTH = 56;
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** The largest distance of a JavaScript Date from 1970: 10⁸ days. */
const MAX_TIME = 8.64e15;

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// ───────────────────────────── UUIDs ─────────────────────────────

/** Whether `value` is a UUID (any version, either case), as meetergo's ids are. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

// ───────────────────────────── Days ─────────────────────────────

/** Whether year, month and day name a real day of the proleptic Gregorian calendar. */
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : MONTH_LENGTHS[month - 1]);
}

/** Epoch milliseconds of a UTC calendar time; years 0–99 are not read as 1900–1999. */
export function utcTime(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (year < 0 || year >= 100) return time;
  const date = new Date(time);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** Days since 1970-01-01 of a real `YYYY-MM-DD` day (`2025-02-30` is none), else `undefined`. */
export function parseDay(value: unknown): number | undefined {
  const match = typeof value === 'string' ? DAY.exec(value) : null;
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? utcTime(year, month, day) / DAY_MS : undefined;
}

/** Whether `value` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(value: unknown): value is string {
  return parseDay(value) !== undefined;
}

/** The `YYYY-MM-DD` of a day number (days since 1970-01-01); a RangeError outside years 0–9999. */
export function formatDay(day: number): string {
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear();
  if (!Number.isInteger(day) || !(year >= 0 && year <= 9999)) {
    throw new RangeError(`Not a day of the years 0–9999: ${day}`);
  }
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

// ───────────────────────────── Instants ─────────────────────────────

/**
 * Epoch milliseconds of an ISO 8601 instant (a real day, a real time, `Z` or an offset), else NaN.
 * Accepts `+01:00`, `+0100`, `+01`, lower-case `t`/`z`, `.` or `,` fractions of up to 30 digits
 * (rounded down to the millisecond). A time without a zone is no instant.
 */
export function parseInstant(value: unknown): number {
  if (typeof value !== 'string' || value.length > MAX_INSTANT_LENGTH) return Number.NaN;
  const match = INSTANT.exec(value);
  if (match === null) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isRealDate(year, month, day)) return Number.NaN;
  const fraction = match[7];
  const millisecond = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const offset =
    (match[8] === '-' ? -1 : 1) * (Number(match[9] ?? 0) * 60 + Number(match[10] ?? 0));
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  const epoch = utcTime(year, month, day, hour, minute, second, millisecond) - offset * MINUTE_MS;
  return Math.abs(epoch) <= MAX_TIME ? epoch : Number.NaN;
}

/** The canonical text of an instant: UTC, `Z`, milliseconds only when not zero. */
export function formatInstant(epoch: number): string {
  const text = new Date(epoch).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/** The canonical text (`formatInstant`) of an instant `parseInstant` accepts, else `undefined`. */
export function canonicalInstant(value: unknown): string | undefined {
  // The common case, already canonical, costs one regex run and no Date.
  const epoch = parseInstant(value);
  if (Number.isNaN(epoch)) return undefined;
  const text = value as string;
  if (text.length === 20 && text[10] === 'T' && text[19] === 'Z') return text;
  return formatInstant(epoch);
}

// ───────────────────────────── Zones ─────────────────────────────

/**
 * ICU (and so Chromium, Node and Intl.supportedValuesOf) still reports these renamed zones by
 * their old names; IANA's current name is on the right. Zones merged into another country's
 * (`Europe/Bratislava` → `Europe/Prague`) keep their own names: they are still current.
 */
const RENAMED_ZONES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

const ZONE_CACHE_LIMIT = 1024;
const zones = new Map<string, string | null>();

/** ICU's name for a zone (`US/Eastern` → `America/New_York`), else `null`. */
function icuZone(name: string): string | null {
  if (!ZONE_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The current IANA name of a zone the runtime knows: aliases resolved (`US/Eastern` →
 * `America/New_York`, `Etc/UTC` → `UTC`) and ICU's legacy names renamed (`Asia/Calcutta` →
 * `Asia/Kolkata`); `undefined` for anything else. Cached (bounded), so a hot path may call it.
 */
export function canonicalZone(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let zone = zones.get(value);
  if (zone === undefined) {
    const icu = icuZone(value);
    zone = icu === null ? null : (RENAMED_ZONES[icu] ?? icu);
    if (zones.size >= ZONE_CACHE_LIMIT) zones.delete(zones.keys().next().value as string);
    zones.set(value, zone);
  }
  return zone ?? undefined;
}

/** Whether `value` names a zone the runtime knows (`canonicalZone` accepts it). */
export function isZone(value: unknown): value is string {
  return canonicalZone(value) !== undefined;
}

// ───────────────────────────── Booking URLs ─────────────────────────────

export type BookingUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** C0 controls and DEL: the URL parser drops or strips them, so they can hide a scheme. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i;
const MAX_URL_LENGTH = 2048;

/**
 * A booking URL fit for an `href`: absolute `https:`, or `http:` on `localhost`, `127.0.0.1`,
 * `[::1]`; no credentials, no control characters, at most 2,048 characters. Anything else
 * (`javascript:`, `data:`, relative, malformed) is refused with a reason a person can read.
 * Surrounding whitespace is ignored. Use the returned `url` (parsed, normalized), never the input.
 */
export function checkBookingUrl(raw: unknown): BookingUrlCheck {
  const refuse = (reason: string): BookingUrlCheck => ({ ok: false, reason });
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return refuse('No booking URL is set.');
  if (text.length > MAX_URL_LENGTH)
    return refuse('The booking URL is longer than 2048 characters.');
  if (CONTROL_CHARS.test(text)) return refuse('The booking URL contains control characters.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(
      HAS_SCHEME.test(text)
        ? 'The booking URL is not a valid URL.'
        : 'The booking URL is relative; an absolute https: URL is needed.',
    );
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return refuse('The booking URL uses http:; only https: is allowed outside localhost.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(`The booking URL uses ${url.protocol}; only https: is allowed.`);
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('The booking URL contains credentials.');
  }
  if (url.hostname === '') return refuse('The booking URL has no host.');
  return { ok: true, url };
}
