/**
 * Pure time logic for <meetergo-slots>: the display zone, page ranges, grouping instants by
 * the calendar day on which they start in the display zone, and localized labels.
 * Knows nothing of the DOM; every function takes "now" and zones explicitly.
 *
 * Functions that take a `zone` expect one that `isValidZone` accepts and throw a RangeError
 * otherwise (as they do for a `date` that is not `YYYY-MM-DD` or an invalid `now`); the
 * formatters fall back to the runtime's default locale when `locale` is not a valid tag.
 *
 * Everything here runs on each render, so the hot paths avoid luxon's per-call costs while
 * keeping its answers: dates are plain day arithmetic, instants are parsed by one regex, a
 * zone's offsets are read once per page (see `offsetsOver`), and Intl objects are cached.
 */
import { DateTime, IANAZone } from 'luxon';

/** A calendar day, `YYYY-MM-DD`. */
export type IsoDate = string;

/** One bookable start, placed in the display zone. */
export interface Slot {
  /** The start instant, canonical ISO 8601 UTC with milliseconds dropped when zero: `2024-01-15T09:00:00Z`. */
  start: string;
  /** Epoch milliseconds of `start`. */
  epoch: number;
  /** The calendar day on which it starts in the display zone. */
  date: IsoDate;
}

/** The slots of one displayed day, in chronological order. */
export interface DayGroup {
  date: IsoDate;
  slots: Slot[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** How luxon writes dates beyond the years 0–9999: `+010000-01-01`, `-000001-12-31`. */
const EXPANDED_DATE = /^([+-]\d{6})-(\d{2})-(\d{2})$/;
/** Extended calendar date, `T`, hh:mm[:ss[.fraction]], then `Z` or an offset (±hh, ±hhmm, ±hh:mm). */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:[.,](\d+))?)?(?:Z|([+-])([01]\d|2[0-3])(?::?([0-5]\d))?)$/i;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The largest distance of a JavaScript Date from 1970: 10⁸ days. */
const MAX_TIME = 8.64e15;
/** The day number of 9999-12-31, the last day written `YYYY-MM-DD`. */
const LAST_DAY = 2_932_896;

// ───────────────────────────── Caches ─────────────────────────────

const CACHE_LIMIT = 64;

/** `cache`'s value for `key`, made once; the oldest entry goes when the cache is full. */
function cached<V>(cache: Map<string, V>, key: string, make: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = make();
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

const zoneValidity = new Map<string, boolean>();
const canonicalLocales = new Map<string, string | undefined>();
const formats = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl.DateTimeFormat: building one costs as much as formatting 50 times with it. */
function dateTimeFormat(
  key: string,
  locale: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  return cached(formats, key, () => new Intl.DateTimeFormat(locale, options));
}

// ───────────────────────────── Calendar days ─────────────────────────────

/** Epoch milliseconds of a UTC calendar time, years 0–99 included (luxon's `objToLocalTS`). */
function utcTime(
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
  // Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(time);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether year, month and day name a real day of the proleptic Gregorian calendar. */
function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : MONTH_LENGTHS[month - 1]);
}

/** Days since 1970-01-01 of a real `YYYY-MM-DD` date, else `undefined`. */
function dayNumber(value: unknown): number | undefined {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? utcTime(year, month, day) / DAY_MS : undefined;
}

/** Days since 1970-01-01 of a date as luxon writes it, beyond 0–9999 too, else `undefined`. */
function writtenDay(value: unknown): number | undefined {
  const match = typeof value === 'string' ? EXPANDED_DATE.exec(value) : null;
  if (match === null) return dayNumber(value);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isRealDate(year, month, day)) return undefined;
  const number = utcTime(year, month, day) / DAY_MS;
  return isoDateOfDay(number) === value ? number : undefined;
}

/** Days since 1970-01-01 of `date`, or a RangeError. */
function requireDay(date: IsoDate): number {
  const day = dayNumber(date);
  if (day === undefined) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return day;
}

/** The date of a day number as luxon writes it (`+010000-01-01`, `-000001-12-31` beyond 0–9999). */
function isoDateOfDay(day: number): IsoDate {
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear();
  const long = year < 0 || year > 9999;
  const sign = year < 0 ? '-' : long ? '+' : '';
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const month = pad(date.getUTCMonth() + 1);
  return `${sign}${pad(Math.abs(year), long ? 6 : 4)}-${month}-${pad(date.getUTCDate())}`;
}

// ───────────────────────────── Zone offsets ─────────────────────────────

/** The luxon zone for an IANA name; refuses what Intl does not know (and luxon's `local`/`system`). */
function ianaZone(zone: string): IANAZone {
  requireZone(zone);
  return IANAZone.create(zone);
}

/** `zone` when `isValidZone` accepts it, else a RangeError. */
function requireZone(zone: string): string {
  if (!isValidZone(zone)) throw new RangeError(`Unknown time zone: ${zone}`);
  return zone;
}

function isoDateOf(dt: DateTime): IsoDate {
  const date = dt.toISODate();
  if (date === null) throw new RangeError(`Invalid date: ${dt.invalidExplanation ?? ''}`);
  return date;
}

/** The formatter luxon reads offsets with, so that both read the very same wall time. */
const WALL_OPTIONS: Intl.DateTimeFormatOptions = {
  hour12: false,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  era: 'short',
};
/** en-US's rendering of WALL_OPTIONS: `03/17/2025 AD, 10:00:00` (midnight may read 24:00:00). */
const WALL = /^(\d+)\/(\d+)\/(\d+),? (AD|BC),? (\d+):(\d+):(\d+)$/;
const wallFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The offset of `zone` at `epoch` in minutes, exactly as luxon's `IANAZone#offset` computes it
 * (the wall time to the second minus the instant to the second), but read with `format()` from
 * a cached formatter, four times cheaper than luxon's `formatToParts`. A rendering other than
 * the expected one is left to luxon itself.
 */
function offsetAt(zone: string, epoch: number): number {
  if (!(Math.abs(epoch) <= MAX_TIME)) return Number.NaN;
  const format = cached(
    wallFormats,
    zone,
    () => new Intl.DateTimeFormat('en-US', { ...WALL_OPTIONS, timeZone: zone }),
  );
  const wall = WALL.exec(format.format(epoch));
  if (wall === null) return IANAZone.create(zone).offset(epoch);
  const [, month, day, year, , hour, minute, second] = wall.map(Number);
  const local = utcTime(
    wall[4] === 'BC' ? 1 - year : year,
    month,
    day,
    hour === 24 ? 0 : hour,
    minute,
    second,
  );
  const over = epoch % 1000;
  return (local - (epoch - (over >= 0 ? over : 1000 + over))) / MINUTE_MS;
}

/** The day number on which `epoch` falls at an offset of `offset` minutes (luxon's `tsToObj`). */
function dayAt(epoch: number, offset: number): number {
  const local = Math.trunc(epoch + offset * 60 * 1000);
  return Math.abs(local) <= MAX_TIME ? Math.floor(local / DAY_MS) : Number.NaN;
}

/** Instants `from` (inclusive) to `to` (exclusive) over which a zone keeps one offset (minutes). */
interface Stretch {
  from: number;
  to: number;
  offset: number;
}

/**
 * How far apart the offset is probed. A change undone between two probes would go unseen, but
 * the time zone database has no two offset changes within 7 days of each other (every zone,
 * checked hourly over 1900–2100 and every 12 h over 1800–2100; tzdata 2025c).
 */
const PROBE_MS = 12 * 3_600_000;
const stretchCache = new Map<string, Stretch[]>();

/**
 * The offsets of `zone` over [lo, hi) (whole seconds) as stretches of one offset each: probed
 * every PROBE_MS and, where two probes differ, bisected to the second at which it changes
 * (offsets change only on whole seconds). About two probes a day and sixteen per change,
 * against one Intl call per instant.
 */
function offsetsOver(zone: string, lo: number, hi: number): Stretch[] {
  return cached(stretchCache, `${zone} ${lo} ${hi}`, () => {
    const stretches: Stretch[] = [];
    let from = lo;
    let offset = offsetAt(zone, lo);
    let a = lo;
    while (a < hi) {
      const b = Math.min(a + PROBE_MS, hi);
      if (offsetAt(zone, b) === offset) {
        a = b;
        continue;
      }
      let before = a; // still `offset`
      let after = b; // another offset
      while (after - before > 1000) {
        const middle = before + Math.floor((after - before) / 2000) * 1000;
        if (offsetAt(zone, middle) === offset) before = middle;
        else after = middle;
      }
      stretches.push({ from, to: after, offset });
      from = a = after;
      offset = offsetAt(zone, after);
    }
    if (from < hi) stretches.push({ from, to: hi, offset });
    return stretches;
  });
}

/**
 * The stretches of `zone` around the given days (day numbers, ascending): from a day before
 * each to a day after it. Offsets stay under 24 h, so no instant outside these can fall on one
 * of the days.
 */
function offsetsAround(zone: string, days: readonly number[]): Stretch[] {
  const stretches: Stretch[] = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] - days[j] <= 3) j++;
    stretches.push(...offsetsOver(zone, (days[i] - 1) * DAY_MS, (days[j] + 2) * DAY_MS));
    i = j + 1;
  }
  return stretches;
}

/** The offset at `epoch` from stretches in ascending order, `undefined` when none covers it. */
function offsetIn(stretches: readonly Stretch[], epoch: number): number | undefined {
  let lo = 0;
  let hi = stretches.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const stretch = stretches[mid];
    if (epoch < stretch.from) hi = mid - 1;
    else if (epoch >= stretch.to) lo = mid + 1;
    else return stretch.offset;
  }
  return undefined;
}

/** Whether some instant of the stretches falls on `day`; exact for days they surround. */
function occursIn(stretches: readonly Stretch[], day: number): boolean {
  return stretches.some(
    ({ from, to, offset }) => dayAt(from, offset) <= day && day <= dayAt(to - 1, offset),
  );
}

// ───────────────────────────── Instants ─────────────────────────────

/** Epoch milliseconds of an instant written as `parseInstant` accepts, else NaN. */
function parseEpoch(value: unknown): number {
  const match = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  if (match === null) return Number.NaN;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (!isRealDate(year, month, day)) return Number.NaN;
  const fraction = match[7];
  let millisecond = 0;
  if (fraction !== undefined) {
    // As luxon reads it: up to 30 digits, rounded down to the millisecond (.9999999999999999999
    // makes 1000, refused).
    if (fraction.length > 30) return Number.NaN;
    millisecond = Math.floor(parseFloat(`0.${fraction}`) * 1000);
    if (millisecond > 999) return Number.NaN;
  }
  const offset =
    (match[8] === '-' ? -1 : 1) * (Number(match[9] ?? 0) * 60 + Number(match[10] ?? 0));
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
  return utcTime(year, month, day, hour, minute, second, millisecond) - offset * MINUTE_MS;
}

/** The canonical `start` of a parsed instant (the input itself when it already is canonical). */
function canonicalStart(value: string, epoch: number): string {
  if (value.length === 20 && value[10] === 'T' && value[19] === 'Z') return value;
  return new Date(epoch).toISOString().replace('.000Z', 'Z');
}

// ───────────────────────────── Locales ─────────────────────────────

function canonicalLocale(locale: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    return undefined;
  }
}

/** `locale` when it is a well-formed BCP 47 tag, else `undefined` (the runtime's default). */
function safeLocale(locale: string): string | undefined {
  if (typeof locale !== 'string') return canonicalLocale(locale);
  return cached(canonicalLocales, locale, () => canonicalLocale(locale));
}

// ───────────────────────────── Exports ─────────────────────────────

/** The viewer's own IANA zone, from Intl (falls back to `UTC`). */
export function viewerZone(): string {
  try {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && isValidZone(zone)) return zone;
  } catch {
    // A runtime without a usable Intl zone: fall back below.
  }
  return 'UTC';
}

/** Whether `zone` is an IANA zone luxon/Intl knows (aliases such as `US/Eastern` count). */
export function isValidZone(zone: string): boolean {
  return typeof zone === 'string' && cached(zoneValidity, zone, () => IANAZone.isValidZone(zone));
}

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (`2025-02-30` is not). */
export function isIsoDate(value: string): boolean {
  return dayNumber(value) !== undefined;
}

/** `date` plus `n` calendar days (n may be negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
  const day = requireDay(date) + n;
  if (!(Math.abs(day * DAY_MS) <= MAX_TIME)) throw new RangeError('Invalid date: ');
  return isoDateOfDay(day);
}

/** Today's date in `zone` at the instant `now`. */
export function todayIn(zone: string, now: Date): IsoDate {
  requireZone(zone);
  const epoch = now instanceof Date ? now.valueOf() : Number.NaN;
  const day = dayAt(epoch, offsetAt(zone, epoch));
  if (Number.isNaN(day)) {
    // An invalid or out-of-range `now`, or a Date of another realm: luxon decides (and reports).
    return isoDateOf(DateTime.fromJSDate(now, { zone: ianaZone(zone) }));
  }
  return isoDateOfDay(day);
}

/**
 * The days of one page: `count` consecutive days from `start` (or today in `zone` when
 * `start` is absent, invalid, or before today). Always `count` entries.
 * Days that do not exist in `zone` (Pacific/Apia's 2011-12-30) are skipped, so the page
 * still has `count` real days. `count` must be a positive integer (RangeError otherwise).
 */
export function pageDays(
  start: IsoDate | undefined,
  count: number,
  zone: string,
  now: Date,
): IsoDate[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Not a positive whole number of days: ${count}`);
  }
  requireZone(zone);
  const today = todayIn(zone, now);
  const first = start !== undefined && isIsoDate(start) && start > today ? start : today;
  let day = requireDay(first);
  const days: IsoDate[] = [];
  // The offsets around the page, read again further on only if it skips days.
  let last = day + count - 1;
  let stretches = offsetsOver(zone, (day - 1) * DAY_MS, (last + 2) * DAY_MS);
  while (days.length < count) {
    if (day > LAST_DAY) throw new RangeError(`Not a YYYY-MM-DD date: ${isoDateOfDay(day)}`);
    if (day > last) {
      last = day + count - days.length - 1;
      stretches = offsetsOver(zone, (day - 1) * DAY_MS, (last + 2) * DAY_MS);
    }
    if (occursIn(stretches, day)) days.push(isoDateOfDay(day));
    day++;
  }
  return days;
}

/**
 * The request range that covers every displayed day whatever zone the backend reads dates in:
 * one day of padding on each side. `days` must not be empty (RangeError otherwise).
 */
export function requestRange(days: IsoDate[]): { startDate: IsoDate; endDate: IsoDate } {
  if (days.length === 0) throw new RangeError('No days to request');
  const sorted = [...days].sort();
  return { startDate: addDays(sorted[0], -1), endDate: addDays(sorted[sorted.length - 1], 1) };
}

/**
 * One window item as an instant: a string in extended ISO 8601 calendar form with an explicit
 * `Z` or offset (`2024-01-15T09:00:00Z`, `2024-01-15T10:00+01:00`), else `null`. Week and
 * ordinal dates, basic format, expanded years and local times without an offset are refused.
 */
export function parseInstant(value: unknown): { start: string; epoch: number } | null {
  const epoch = parseEpoch(value);
  if (Number.isNaN(epoch)) return null;
  return { start: canonicalStart(value as string, epoch), epoch };
}

/**
 * Parse raw window strings (ISO 8601 instants with an offset or Z) into slots in `zone`:
 * drop unparseable items and instants before `now`, dedupe the same instant, sort ascending,
 * and group by the calendar day on which each starts in `zone`. Only days in `days` are
 * returned, one group per entry of `days` in that order (empty groups included).
 * `dropped` counts the items that were not instants.
 */
export function groupByDay(
  windows: readonly unknown[],
  zone: string,
  days: readonly IsoDate[],
  now: Date,
): { groups: DayGroup[]; dropped: number } {
  requireZone(zone);
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('Invalid "now"');
  // The displayed days by day number; entries that are not real dates never get a slot.
  const byDay = new Map<number, DayGroup>();
  const entries = days.map((date) => {
    const day = writtenDay(date);
    if (day === undefined) return undefined;
    const group = byDay.get(day) ?? { date, slots: [] };
    byDay.set(day, group);
    return group;
  });
  // An instant starts on the day of (instant + the zone's offset there), luxon's own arithmetic.
  // Instead of one Intl call per instant, the zone's offsets around the displayed days are read
  // once (`offsetsAround`), so placing an instant is a lookup and an addition, and an instant more
  // than a day from every displayed day is skipped without any zone maths. (Day boundaries from
  // luxon's `startOf('day')` would not do: a date can go back at a fall-back, as at Casey in 2010
  // or St. John's in 1987–2010, and a gap can swallow midnight, as in Toronto in 1919.)
  const displayed = [...byDay.keys()].sort((a, b) => a - b);
  const stretches = offsetsAround(zone, displayed);
  const seen = new Set<number>();
  let dropped = 0;
  for (const item of windows) {
    const epoch = parseEpoch(item);
    if (Number.isNaN(epoch)) {
      dropped++;
      continue;
    }
    if (epoch < nowMs || seen.has(epoch)) continue;
    seen.add(epoch);
    const offset = offsetIn(stretches, epoch);
    if (offset === undefined) continue; // more than a day away from every displayed day
    const group = byDay.get(dayAt(epoch, offset));
    group?.slots.push({ start: canonicalStart(item as string, epoch), epoch, date: group.date });
  }
  for (const group of byDay.values()) group.slots.sort((a, b) => a.epoch - b.epoch);
  const groups = days.map((date, i) => ({ date, slots: entries[i]?.slots.slice() ?? [] }));
  return { groups, dropped };
}

/** Localized day heading in `locale`, e.g. `Mon, Jan 15` / `Mo., 15. Jan.` (weekday, day, month). */
export function formatDayHeading(date: IsoDate, locale: string): string {
  const loc = safeLocale(locale);
  return dateTimeFormat(`heading ${loc ?? ''}`, loc, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(requireDay(date) * DAY_MS);
}

/** Long date for accessible names, e.g. `Monday, January 15, 2024`. */
export function formatLongDate(date: IsoDate, locale: string): string {
  const loc = safeLocale(locale);
  return dateTimeFormat(`long ${loc ?? ''}`, loc, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(requireDay(date) * DAY_MS);
}

/** The zone-name part of `epoch` formatted with `format` (`''` when there is none). */
function zoneNameAt(format: Intl.DateTimeFormat, epoch: number): string {
  return format.formatToParts(epoch).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/**
 * Localized start times of a day's slots, in the same order as `slots`. When two different
 * instants of one day have the same wall time (a DST fall-back), both labels carry the zone's
 * offset or short name so they are told apart (e.g. `1:30 AM EDT` / `1:30 AM EST`).
 * The suffix is the locale's short zone name (`EDT`, `MESZ`, `GMT-4`).
 */
export function formatTimes(
  slots: readonly Slot[],
  zone: string,
  locale: string,
  hourCycle: 'h12' | 'h23' | undefined,
): string[] {
  const timeZone = requireZone(zone);
  const loc = safeLocale(locale);
  const time = dateTimeFormat(`time ${loc ?? ''} ${hourCycle} ${timeZone}`, loc, {
    hour: 'numeric',
    minute: '2-digit',
    hourCycle,
    timeZone,
  });
  const labels = slots.map((slot) => time.format(slot.epoch));
  // A label is ambiguous when it stands for two different instants.
  const firstInstant = new Map<string, number>();
  const ambiguous = new Set<string>();
  labels.forEach((label, i) => {
    const instant = firstInstant.get(label);
    if (instant === undefined) firstInstant.set(label, slots[i].epoch);
    else if (instant !== slots[i].epoch) ambiguous.add(label);
  });
  if (ambiguous.size === 0) return labels;
  // ICU writes `GMT-4`-style short names wherever an abbreviation would not tell offsets apart.
  const short = dateTimeFormat(`short ${loc ?? ''} ${timeZone}`, loc, {
    timeZone,
    timeZoneName: 'short',
  });
  return labels.map((label, i) =>
    ambiguous.has(label) ? `${label} ${zoneNameAt(short, slots[i].epoch)}` : label,
  );
}

/**
 * A readable name of the zone for the header: the locale's generic zone name, plus the
 * IANA city when the name does not already contain it, e.g. `Central European Time (Berlin)`,
 * `Eastern Time (New York)`, `Nepal Time (Kathmandu)`, `Coordinated Universal Time`,
 * `GMT-12:00`. Never throws: falls back to `zone` itself.
 */
export function formatZoneName(zone: string, locale: string, now: Date): string {
  if (!isValidZone(zone)) return typeof zone === 'string' ? zone : '';
  const loc = safeLocale(locale);
  const nameIn = (timeZoneName: 'longGeneric' | 'long'): string => {
    try {
      const format = dateTimeFormat(`${timeZoneName} ${loc ?? ''} ${zone}`, loc, {
        timeZone: zone,
        timeZoneName,
      });
      return zoneNameAt(format, +now);
    } catch {
      return '';
    }
  };
  let name = nameIn('longGeneric');
  // Zones without a generic name (UTC, Etc/GMT+5) get an offset here; their long name reads better.
  if (name === '' || /\d/.test(name)) name = nameIn('long') || name;
  if (name === '') return zone;
  const city =
    zone.includes('/') && !zone.startsWith('Etc/')
      ? zone.slice(zone.lastIndexOf('/') + 1).replaceAll('_', ' ')
      : '';
  const letters = (text: string): string => text.toLowerCase().replace(/[^\p{L}]/gu, '');
  return city && !letters(name).includes(letters(city)) ? `${name} (${city})` : name;
}
