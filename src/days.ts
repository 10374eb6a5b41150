/**
 * Pure time logic for <meetergo-slots>: the display zone, page ranges, grouping instants by
 * the calendar day on which they start in the display zone, and localized labels.
 * Knows nothing of the DOM; every function takes "now" and zones explicitly.
 *
 * Functions that take a `zone` expect one that `isValidZone` accepts and throw a RangeError
 * otherwise (as they do for a `date` that is not `YYYY-MM-DD` or an invalid `now`); the
 * formatters fall back to the runtime's default locale when `locale` is not a valid tag.
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

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Extended calendar date, `T`, hh:mm[:ss[.fraction]], then `Z` or an offset (±hh, ±hhmm, ±hh:mm). */
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)$/i;

/** The luxon zone for an IANA name; refuses what Intl does not know (and luxon's `local`/`system`). */
function ianaZone(zone: string): IANAZone {
  const iana = IANAZone.create(zone);
  if (!iana.isValid) throw new RangeError(`Unknown time zone: ${zone}`);
  return iana;
}

/** Midnight UTC of a calendar day, the neutral carrier for calendar maths and date formatting. */
function calendarDay(date: IsoDate): DateTime {
  if (!isIsoDate(date)) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return DateTime.fromISO(date, { zone: 'utc' });
}

function isoDateOf(dt: DateTime): IsoDate {
  const date = dt.toISODate();
  if (date === null) throw new RangeError(`Invalid date: ${dt.invalidExplanation ?? ''}`);
  return date;
}

/** Whether `date` has any instant in `zone` (Pacific/Apia skipped 2011-12-30 entirely). */
function existsIn(date: IsoDate, zone: IANAZone): boolean {
  // luxon moves a local time inside a gap forward past the gap; a day that exists keeps its date.
  return DateTime.fromISO(date, { zone }).toISODate() === date;
}

/** `locale` when it is a well-formed BCP 47 tag, else `undefined` (the runtime's default). */
function safeLocale(locale: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    return undefined;
  }
}

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
  return typeof zone === 'string' && IANAZone.isValidZone(zone);
}

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (`2025-02-30` is not). */
export function isIsoDate(value: string): boolean {
  return (
    typeof value === 'string' &&
    ISO_DATE.test(value) &&
    DateTime.fromISO(value, { zone: 'utc' }).isValid
  );
}

/** `date` plus `n` calendar days (n may be negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
  return isoDateOf(calendarDay(date).plus({ days: n }));
}

/** Today's date in `zone` at the instant `now`. */
export function todayIn(zone: string, now: Date): IsoDate {
  return isoDateOf(DateTime.fromJSDate(now, { zone: ianaZone(zone) }));
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
  const iana = ianaZone(zone);
  const today = todayIn(zone, now);
  let day = start !== undefined && isIsoDate(start) && start > today ? start : today;
  const days: IsoDate[] = [];
  while (days.length < count) {
    if (existsIn(day, iana)) days.push(day);
    day = addDays(day, 1);
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
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const dt = DateTime.fromISO(value, { zone: 'utc' });
  if (!dt.isValid) return null;
  const epoch = dt.toMillis();
  return { start: new Date(epoch).toISOString().replace('.000Z', 'Z'), epoch };
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
  const iana = ianaZone(zone);
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('Invalid "now"');
  const byDay = new Map<IsoDate, Slot[]>(days.map((date) => [date, []]));
  const seen = new Set<number>();
  let dropped = 0;
  for (const item of windows) {
    const instant = parseInstant(item);
    if (instant === null) {
      dropped++;
      continue;
    }
    if (instant.epoch < nowMs || seen.has(instant.epoch)) continue;
    seen.add(instant.epoch);
    const date = isoDateOf(DateTime.fromMillis(instant.epoch, { zone: iana }));
    byDay.get(date)?.push({ ...instant, date });
  }
  const groups = days.map((date) => ({
    date,
    slots: [...(byDay.get(date) ?? [])].sort((a, b) => a.epoch - b.epoch),
  }));
  return { groups, dropped };
}

/** Localized day heading in `locale`, e.g. `Mon, Jan 15` / `Mo., 15. Jan.` (weekday, day, month). */
export function formatDayHeading(date: IsoDate, locale: string): string {
  return new Intl.DateTimeFormat(safeLocale(locale), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(calendarDay(date).toJSDate());
}

/** Long date for accessible names, e.g. `Monday, January 15, 2024`. */
export function formatLongDate(date: IsoDate, locale: string): string {
  return new Intl.DateTimeFormat(safeLocale(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(calendarDay(date).toJSDate());
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
  const timeZone = ianaZone(zone).name;
  const loc = safeLocale(locale);
  const time = new Intl.DateTimeFormat(loc, {
    hour: 'numeric',
    minute: '2-digit',
    hourCycle,
    timeZone,
  });
  const labels = slots.map((slot) => time.format(slot.epoch));
  const instantsByLabel = new Map<string, Set<number>>();
  slots.forEach((slot, i) => {
    const instants = instantsByLabel.get(labels[i]) ?? new Set<number>();
    instantsByLabel.set(labels[i], instants.add(slot.epoch));
  });
  if (![...instantsByLabel.values()].some((instants) => instants.size > 1)) return labels;
  // ICU writes `GMT-4`-style short names wherever an abbreviation would not tell offsets apart.
  const short = new Intl.DateTimeFormat(loc, { timeZone, timeZoneName: 'short' });
  return labels.map((label, i) =>
    (instantsByLabel.get(label)?.size ?? 0) > 1
      ? `${label} ${zoneNameAt(short, slots[i].epoch)}`
      : label,
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
      return zoneNameAt(new Intl.DateTimeFormat(loc, { timeZone: zone, timeZoneName }), +now);
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
